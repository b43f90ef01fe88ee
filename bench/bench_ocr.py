"""OCR figures on generated scans: accuracy per face and mode, time against plain Tesseract,
worker scaling, memory.

Licences come from ``tests/onboarding/synthetic.py``: six faces (AR PL UMing, AR PL UKai,
WenQuanYi Zen Hei and Micro Hei, Noto Serif and Sans CJK) in five modes (clean PNG, flatbed
scan, phone photo, low resolution, PDF); a seed's face and mode come from the seed, so every 30
consecutive seeds hold each face in each mode once. ID card backs likewise (faces × photo, scan,
low resolution). Seven seed ranges, side by side:

- ``tuning`` (0–179 by default): the only range of this bench looked at while the pipeline
  was tuned (the third round also studied the misses of seeds 180–539, outside every range);
- ``held-out`` (5000–5179): never looked at while tuning;
- ``held-out-2`` (9000–9179): generated only once tuning had stopped;
- ``held-out-3`` (13000–13179): added when the second round of tuning (the vote by sources)
  had stopped, never looked at before;
- ``held-out-4`` (17000–17179): added when the third round (the line model, a second kind of
  reader) had stopped, never looked at before;
- ``held-out-5`` (21000–21179): added when the fourth round (ink set by the crop, the second
  network) had stopped, never looked at before. That round looked at tuning seeds 0–539 only;
  a last fix (a representative whose surname was misread, the label column lost) looked at the
  AR PL UKai seeds of 30000–32159, outside every range;
- ``held-out-6`` (25000–25179): added when the fifth round (the two networks agreeing) had
  stopped, never looked at before. That round looked at tuning seeds 0–539 and the AR PL UKai
  seeds of 30000–32159 only.

For each range and each face and mode: company name, USCC, legal representative and founding
date exact (a field left empty as unsure counts as a miss, and goes to manual review), USCC codes
reported valid that are wrong (target 0), and the ID card's expiry. Then the time per licence
through ``read_document`` beside plain ``tesseract FILE - -l chi_sim+eng`` on the same image
(both single-threaded, ``OMP_THREAD_LIMIT=1``, alternating), throughput of 1 and 2 worker
processes, and the peak memory of a worker process.

Prints figures; asserts nothing. Targets on the held-out ranges, every face: name ≥ 95 %,
USCC ≥ 98 % with 0 wrong codes reported valid, legal representative ≥ 95 %, founding date
≥ 95 %, ID expiry 100 %; time ≤ 1.3 × plain tesseract; < 500 MB per worker process. Per face,
the held-out ranges are also summed (180 licences a face): a range alone holds 30 of a face,
where one miss is 96.7 %; the cells below target are listed both ways.

    .venv/bin/python bench/bench_ocr.py
        [--ranges tuning,held-out,held-out-2,held-out-3,held-out-4,held-out-5,held-out-6]
        [--n 180] [--n-id 60] [--n-time 30] [--n-pool 12] [--jobs 2] [--misses]

``--misses`` lists what was read wrong, for the tuning range only.
"""

import argparse
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ocr import engine, read_document  # noqa: E402
from tests.onboarding.synthetic import (  # noqa: E402
    FACE_NAMES,
    MODES,
    id_back_image,
    id_face,
    licence_scan,
)

RANGES = {
    "tuning": 0,
    "held-out": 5000,
    "held-out-2": 9000,
    "held-out-3": 13000,
    "held-out-4": 17000,
    "held-out-5": 21000,
    "held-out-6": 25000,
}
FIELDS = ("name", "uscc", "legal_representative", "established")
SHORT = {"name": "name", "uscc": "USCC", "legal_representative": "rep", "established": "date"}
TARGETS = {"name": 0.95, "uscc": 0.98, "legal_representative": 0.95, "established": 0.95}


# ---------------------------------------------------------------- one scan, in a worker


def _read_licence(seed: int) -> dict:
    scan = licence_scan(seed)
    result = read_document(kind="licence", data=scan.data, content_type=scan.content_type)
    fields, truth = result.fields, scan.truth
    return {
        "seed": seed,
        "face": scan.face,
        "mode": scan.mode,
        "hits": {key: fields[key] == truth[key] for key in FIELDS},
        "wrong": {key: fields[key] is not None and fields[key] != truth[key] for key in FIELDS},
        "wrong_valid": bool(fields["uscc_valid"]) and fields["uscc"] != truth["uscc"],
        "misses": [
            f"seed {seed} {scan.face}/{scan.mode} {key}: read {fields[key]!r}"
            f"{' (' + result.unsure[key] + ')' if key in result.unsure else ''}"
            f", truth {truth[key]!r}"
            for key in FIELDS
            if fields[key] != truth[key]
        ],
    }


def _read_id_back(seed: int) -> dict:
    data, truth = id_back_image(seed)
    result = read_document(kind="id_back", data=data, content_type="image/jpeg")
    return {
        "seed": seed,
        "face": id_face(seed),
        "hit": result.fields == truth,
        "wrong": result.fields["valid_from"] is not None and result.fields != truth,
        "miss": f"seed {seed} {id_face(seed)} ID back: read {result.fields}, truth {truth}",
    }


# ---------------------------------------------------------------- accuracy


def accuracy(first: int, n: int, n_id: int, jobs: int) -> tuple[list[dict], list[dict]]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs) as pool:
        licences = pool.map(_read_licence, range(first, first + n), chunksize=1)
        ids = pool.map(_read_id_back, range(first, first + n_id), chunksize=1)
    return licences, ids


def tally(licences: list[dict], ids: list[dict]) -> dict:
    """(group, field) → (hits, count); groups: every face, every mode, 'all'."""
    table: dict = defaultdict(lambda: [0, 0])
    for row in licences:
        for group in (row["face"], row["mode"], "all"):
            for key in FIELDS:
                table[group, key][0] += row["hits"][key]
                table[group, key][1] += 1
            table[group, "wrong_valid"][0] += row["wrong_valid"]
            table[group, "wrong_valid"][1] += 1
            for key in FIELDS:
                table[group, f"wrong_{key}"][0] += row["wrong"][key]
    for row in ids:
        for group in (row["face"], "all"):
            table[group, "expiry"][0] += row["hit"]
            table[group, "expiry"][1] += 1
            table[group, "wrong_expiry"][0] += row["wrong"]
    return table


def print_tables(results: dict[str, dict]) -> None:
    names = list(results)
    columns = [*FIELDS, "expiry"]
    head = "".join(f" {SHORT.get(c, c):^{7 * len(names)}}" for c in columns)
    print(f"{'':12}{head}  {'wrong valid USCC':>16}")
    print(f"{'':12}" + "".join(" " + "".join(f"{n[:6]:>7}" for n in names) for _ in columns))
    groups = [*FACE_NAMES, *MODES, "all"]
    for group in groups:
        if group == MODES[0] or group == "all":
            print()
        cells = []
        for column in columns:
            cell = ""
            for name in names:
                hits, count = results[name].get((group, column), (0, 0))
                cell += f"{hits / count:7.1%}" if count else f"{'–':>7}"
            cells.append(" " + cell)
        wrong = " ".join(
            str(results[name].get((group, "wrong_valid"), (0, 0))[0]) for name in names
        )
        print(f"{group:12}{''.join(cells)}  {wrong:>16}")
    print()
    print("Wrong values returned (not left empty for review), all faces:")
    for name in names:
        parts = [
            f"{SHORT.get(key, key)} {results[name].get(('all', f'wrong_{key}'), (0, 0))[0]}"
            for key in [*FIELDS, "expiry"]
        ]
        print(f"  {name:12} {', '.join(parts)}")


def print_grid(name: str, licences: list[dict]) -> None:
    """Face × mode: licences with all four fields right, of those drawn."""
    cells: dict = defaultdict(lambda: [0, 0])
    for row in licences:
        cells[row["face"], row["mode"]][0] += all(row["hits"].values())
        cells[row["face"], row["mode"]][1] += 1
    print(f"{name}: licences with name, USCC, representative and date all right (face × mode)")
    print(f"  {'':12}" + "".join(f"{m:>9}" for m in MODES))
    for face in FACE_NAMES:
        row = "".join(
            f"{cells[face, m][0]:>5}/{cells[face, m][1]:<3}" if cells[face, m][1] else f"{'–':>9}"
            for m in MODES
        )
        print(f"  {face:12}{row}")


def pooled(results: dict[str, dict]) -> dict:
    """The held-out ranges' tallies summed. A range holds 30 licences of a face: too few for a
    rate per face (one miss in 30 is 96.7 %, below the USCC's 98 %); together, the held-out
    ranges hold 30 of each face per range."""
    table: dict = defaultdict(lambda: [0, 0])
    for name, ranged in results.items():
        if name == "tuning":
            continue
        for key, (hits, count) in ranged.items():
            table[key][0] += hits
            table[key][1] += count
    return table


def print_pooled(table: dict) -> None:
    columns = [*FIELDS, "expiry"]
    print("Held-out ranges together, per face (hits/licences):")
    print(f"  {'':12}" + "".join(f"{SHORT.get(c, c):>16}" for c in columns) + "  wrong valid USCC")
    for group in [*FACE_NAMES, "all"]:
        cells = ""
        for column in columns:
            hits, count = table.get((group, column), (0, 0))
            cells += f"{hits:>6}/{count:<4}{hits / count:6.1%}" if count else f"{'–':>16}"
        wrong = table.get((group, "wrong_valid"), (0, 0))[0]
        print(f"  {group:12}{cells}  {wrong:>16}")


def below_target(results: dict[str, dict]) -> list[str]:
    out = []
    for name, table in results.items():
        if name == "tuning":
            continue
        for group in [*FACE_NAMES, "all"]:
            for key, target in [*TARGETS.items(), ("expiry", 1.0)]:
                hits, count = table.get((group, key), (0, 0))
                if count and hits / count < target:
                    out.append(f"{name} {group} {SHORT.get(key, key)} {hits}/{count}")
            wrong = table.get((group, "wrong_valid"), (0, 0))[0]
            if group == "all" and wrong:
                out.append(f"{name} wrong USCC reported valid: {wrong}")
    return out


# ---------------------------------------------------------------- time and memory


def plain_tesseract(path: Path) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        ["tesseract", str(path), "-", "-l", "chi_sim+eng"],  # noqa: S607
        capture_output=True,
        env=env,
        check=False,
    )
    return time.perf_counter() - started


def timing(first: int, n: int) -> None:
    """Seconds per licence image, ours and the CLI's, alternating on the same images."""
    ours, cli = [], []
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as tmp:
        seed = first
        while len(ours) < n:
            scan = licence_scan(seed)
            seed += 1
            if scan.content_type == "application/pdf":
                continue  # the CLI reads no PDF
            path = Path(tmp) / f"licence-{seed}.{scan.content_type.split('/')[1]}"
            path.write_bytes(scan.data)
            started = time.perf_counter()
            read_document(kind="licence", data=scan.data, content_type=scan.content_type)
            ours.append(time.perf_counter() - started)
            cli.append(plain_tesseract(path))
    mean_ours, mean_cli = statistics.mean(ours), statistics.mean(cli)
    print(f"Time per licence image ({n} JPEG/PNG images from seed {first}, one process):")
    print(f"  read_document                        {mean_ours:.2f} s")
    print(f"  tesseract FILE - -l chi_sim+eng      {mean_cli:.2f} s  (OMP_THREAD_LIMIT=1)")
    print(f"  ratio {mean_ours / mean_cli:.2f}  (target ≤ 1.3)")


def _pool_job(data: bytes) -> tuple[float, int, int]:
    started = time.perf_counter()
    read_document(kind="licence", data=data, content_type="image/jpeg")
    elapsed = time.perf_counter() - started
    return elapsed, _peak_rss_kb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _peak_rss_kb() -> int:
    """This process's own high-water RSS (VmHWM). ru_maxrss would not do: Linux carries it
    over fork and exec, so a pool worker would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def pool_run(processes: int, scans: list[bytes]) -> tuple[float, int, int]:
    # fresh interpreters (spawn), so ru_maxrss is the worker's own (the scans are generated
    # here, not in the worker); each worker reads one scan before the clock starts
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        pool.map(_pool_job, scans[:processes], chunksize=1)
        started = time.perf_counter()
        results = pool.map(_pool_job, scans, chunksize=1)
        wall = time.perf_counter() - started
    return len(scans) / wall, max(r[1] for r in results), max(r[2] for r in results)


def throughput_and_memory(n: int) -> None:
    scans = []
    seed = 1000
    while len(scans) < n:
        scan = licence_scan(seed)
        seed += 1
        if scan.content_type == "image/jpeg":
            scans.append(scan.data)
    one, rss_one, child_one = pool_run(1, scans)
    two, rss_two, child_two = pool_run(2, scans)
    print(f"Throughput, {len(scans)} JPEG licences per run:")
    print(f"  1 process   {one:.2f} licences/s")
    print(f"  2 processes {two:.2f} licences/s  → ×{two / one:.2f}")
    print(f"Peak memory: worker process {max(rss_one, rss_two) / 1024:.0f} MB (VmHWM)")
    # a forked child starts its ru_maxrss from the parent's pages: an upper bound
    print(f"  Tesseract children ≤ {max(child_one, child_two) / 1024:.0f} MB (ru_maxrss)")
    print("  (target < 500 MB per process)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ranges", default=",".join(RANGES), help="of " + ", ".join(RANGES))
    parser.add_argument("--n", type=int, default=180, help="licences per range")
    parser.add_argument("--n-id", type=int, default=60, help="ID card backs per range")
    parser.add_argument("--n-time", type=int, default=30, help="licences timed against the CLI")
    parser.add_argument("--n-pool", type=int, default=12, help="licences per pool run")
    parser.add_argument("--jobs", type=int, default=2, help="processes reading for accuracy")
    parser.add_argument("--misses", action="store_true", help="list the tuning range's misses")
    args = parser.parse_args()
    started = time.perf_counter()
    model = engine.name_model_dir()
    print(f"Name line re-read with {model / 'chi_sim.traineddata' if model else 'nothing'}")
    results, grids = {}, {}
    for name in args.ranges.split(","):
        first = RANGES[name]
        licences, ids = accuracy(first, args.n, args.n_id, args.jobs)
        results[name] = tally(licences, ids)
        grids[name] = licences
        print(
            f"{name}: licences {first}–{first + args.n - 1}, ID backs {first}–"
            f"{first + args.n_id - 1}"
        )
        if name == "tuning" and args.misses:
            for row in licences:
                for line in row["misses"]:
                    print("  " + line)
            for row in ids:
                if not row["hit"]:
                    print("  " + row["miss"])
    print()
    print_tables(results)
    print()
    for name, licences in grids.items():
        print_grid(name, licences)
    misses = below_target(results)
    print("Below target on held-out seeds: " + ("; ".join(misses) if misses else "none"))
    print()
    together = pooled(results)
    if together:
        print_pooled(together)
        misses = below_target({"held-out ranges together": together})
        print("Below target, held-out ranges together: " + ("; ".join(misses) or "none"))
    print()
    if args.n_time:
        timing(RANGES["tuning"], args.n_time)
    if args.n_pool:
        throughput_and_memory(args.n_pool)
    print(f"Bench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
