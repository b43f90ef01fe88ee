"""PDF checks shared by the label, statement and letter tests (poppler's pdffonts)."""

import subprocess


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """Each font of the PDF as pdffonts lists it: (name, embedded)."""
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout
    rows = out.decode().splitlines()[2:]  # past the heading and its rule
    return [(row.split()[0], row.split()[-5] == "yes") for row in rows]
