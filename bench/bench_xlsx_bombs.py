"""XLSX bombs (issue 18) and the reader's memory for an accepted file.

    .venv/bin/python bench/bench_xlsx_bombs.py [--rows 100000]

Two attacks from the security review, each built here as the attacker built it:

- ``trillion``: a 1.7 KB workbook whose second row is numbered ``r="1000000000000"``
  (openpyxl's read-only reader yields a trillion empty rows);
- ``forty-million``: 40,000,000 ``<row/>`` elements after the header, 240 MB of XML in a
  ~350 KB zip (it took 412 s in the request and ~3 GB in the worker).

For each: the upload request's work (``order_file_open``: type, zip limits, the header only)
and the worker's count, which refuses it; the time of each, and the message. Then a workbook
of ``--rows`` item rows (``bench_imports``' orders of 1 to 7 items, written by openpyxl, as
Excel would) is read by the worker's reader (count, then every order parsed with its items)
in a child process, whose peak memory is the figure. The database side of an import (gate,
price, create in chunks) is the same for CSV and XLSX and is measured by
``bench_imports.py``.

Targets: each bomb refused in < 1 s in all; peak memory < 300 MB. Prints; asserts nothing.
"""

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from shipments.services.imports.files import ImportFileRefused, order_file_open  # noqa: E402
from tests.shipments.import_files import xlsx_bomb  # noqa: E402


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ``ru_maxrss``: Linux keeps that
    across fork and exec, so a child would report the parent's peak (the bombs built here)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def attack(name: str, data: bytes) -> None:
    started = time.perf_counter()
    try:
        order_file = order_file_open(name="bomb.xlsx", data=data)
    except ImportFileRefused as refused:
        elapsed = time.perf_counter() - started
        print(f"{name}: {len(data):,} bytes; refused by the request in {elapsed * 1000:.0f} ms:")
        print(f"    {refused.message}")
        return
    request_s = time.perf_counter() - started
    started = time.perf_counter()
    try:
        order_file.count()
    except ImportFileRefused as refused:
        worker_s = time.perf_counter() - started
        print(
            f"{name}: {len(data):,} bytes; request (header only) {request_s * 1000:.0f} ms,"
            f" worker's count refused it in {worker_s * 1000:.0f} ms;"
            f" in all {(request_s + worker_s) * 1000:.0f} ms (target < 1,000 ms):"
        )
        print(f"    {refused.message}")
    else:
        print(f"{name}: ACCEPTED — the limits did not hold")


def accepted_workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    sys.path.insert(0, str(ROOT / "bench"))
    import csv

    from bench_imports import orders_csv

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    reader = csv.reader(io.StringIO(orders_csv(rows).decode("utf-8")))
    header = next(reader)  # bench_imports' Chinese header, item columns included
    sheet.append(header)
    numbers = {header.index(name) for name in ("重量(克)", "数量", "单件重量(克)")}
    for cells in reader:
        # Numbers as a spreadsheet holds them (cells of type n), the rest as text.
        sheet.append(
            [
                int(cell) if index in numbers and cell.isdigit() else (cell or None)
                for index, cell in enumerate(cells)
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def read_in_child(path: Path) -> dict:
    """In this (child) process: open, count and parse every record of the workbook."""
    from core.timezones import shanghai_date
    from customs.selectors import currencies_known
    from shipments.services.imports.rows import OrderRow, order_rows_parse
    from shipments.services.imports.run import _order_groups

    currencies = currencies_known(shanghai_date(datetime.datetime.now(tz=datetime.UTC)))
    data = path.read_bytes()
    started = time.perf_counter()
    order_file = order_file_open(name="orders.xlsx", data=data)
    total = order_file.count()
    parsed = sum(
        len(group)
        for group in _order_groups(order_file)
        if isinstance(order_rows_parse(group, order_file.header, currencies=currencies), OrderRow)
    )
    return {
        "rows": total,
        "parsed": parsed,
        "seconds": time.perf_counter() - started,
        "peak_mb": peak_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(read_in_child(Path(args.child))))
        return

    translation.activate("en")
    trillion = xlsx_bomb(
        second_row='<row r="1000000000000"><c t="inlineStr"><is><t>A</t></is></c></row>'
    )
    attack("trillion (row r=1000000000000)", trillion)
    forty = xlsx_bomb(second_row="<row/>" * 40_000_000)
    attack("forty-million (<row/> × 40,000,000)", forty)
    del forty

    started = time.perf_counter()
    workbook = accepted_workbook(args.rows)
    path = ROOT / "var" / "bench-accepted.xlsx"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(workbook)
    print(
        f"accepted workbook: {args.rows:,} item rows (bench_imports' orders of 1 to 7 items),"
        f" {len(workbook) / 1e6:.1f} MB"
        f" (written in {time.perf_counter() - started:.1f} s)"
    )
    child = subprocess.run(  # noqa: S603 - this script, fixed argv
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    path.unlink()
    print(
        f"  worker's reading (header, count, every order parsed with its items):"
        f" {figures['rows']:,} rows, {figures['parsed']:,} in orders that parse, in"
        f" {figures['seconds']:.1f} s; peak memory of that process"
        f" {figures['peak_mb']:.0f} MB (target < 300 MB)"
    )


if __name__ == "__main__":
    main()
