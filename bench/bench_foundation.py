"""Foundation figures: Celery round trips through Redis to a real worker, and /healthz.

Starts its own worker process on a Redis database of its own (13), so that it neither
disturbs nor is disturbed by a running `make run`. Prints the figures; asserts nothing.

    .venv/bin/python bench/bench_foundation.py [--tasks 2000]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_REDIS = "redis://127.0.0.1:6379/13"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["REDIS_URL"] = BENCH_REDIS

import django  # noqa: E402

django.setup()

from _setup import percentile  # noqa: E402
from django.test import Client  # noqa: E402

from config.celery import app  # noqa: E402
from core.tasks import ping  # noqa: E402


def start_worker() -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            "--queues",
            "default",
            "--hostname",
            "bench@%h",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return process
    process.kill()
    raise SystemExit("worker did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    args = parser.parse_args()
    worker = start_worker()
    try:
        latencies = []
        for i in range(100):
            started = time.perf_counter()
            ping.delay(str(i)).get(timeout=10)
            latencies.append((time.perf_counter() - started) * 1000)
        print(
            f"celery round trip, one at a time (100): p50 {statistics.median(latencies):.1f} ms,"
            f" p95 {percentile(latencies, 95):.1f} ms"
        )

        started = time.perf_counter()
        results = [ping.delay(str(i)) for i in range(args.tasks)]
        for result in results:
            result.get(timeout=60)
        elapsed = time.perf_counter() - started
        print(
            f"celery throughput ({args.tasks} tasks, 2 worker processes): "
            f"{args.tasks / elapsed:.0f} tasks/s"
        )

        client = Client()
        timings, statuses = [], set()
        for _ in range(50):
            started = time.perf_counter()
            statuses.add(client.get("/healthz", HTTP_HOST="localhost").status_code)
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"/healthz (50 requests, in-process): p50 {statistics.median(timings):.1f} ms, "
            f"p95 {percentile(timings, 95):.1f} ms, statuses {sorted(statuses)}"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=20)


if __name__ == "__main__":
    main()
