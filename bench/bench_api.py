"""The seller API under load, beside the web form: gunicorn with production settings on the
loopback, locust headless, a real Celery worker for the batch. Not a test: prints figures.

    .venv/bin/python bench/bench_api.py [--seconds 20] [--users 20] [--rate 6]
        [--replay-rate 30] [--workers 3] [--threads 4] [--sellers 10] [--cpu-orders 200]
        [--batch 1000] [--skip-load] [--reseed]

Works in its own database (``BENCH_API_DATABASE``, default ``jingluo_bench_api``, on the
server of ``DATABASE_URL``) and Redis database 13, created, migrated and seeded when missing
(``--seller`` sellers with an active store settling monthly, so that no creation is refused
for want of balance; a live API key each, made anew every run). It prints:

1. CPU milliseconds per created order, in one process through Django's WSGI handler (no
   HTTP, no generator): the web form (its POST, and with the page the browser then loads),
   the API's POST, and a batch (its POST plus the worker's run, per order); this process's
   CPU and PostgreSQL's, side by side. Target: the API ≤ half the form's.
2. ``POST /api/v1/shipments`` created/s sustained, p95, errors (target ≥ 100/s, p95 < 300 ms,
   0 errors), and an idempotent replay/s (target ≥ 500/s), gunicorn ``--workers`` ×
   ``--threads`` and locust sharing the machine's 2 cores.
3. A ``--batch``-order batch from its POST to ``done`` with one worker of 2 processes
   (target ≤ 10 s).
"""

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ["BENCH_LOAD_DATABASE"] = os.environ.get("BENCH_API_DATABASE", "jingluo_bench_api")
import bench_load as load  # noqa: E402 - after the database is named

KEYS_FILE = ROOT / "var" / "bench-api-keys.txt"
EMAIL = "bench-api-{n}@load.jingluo.local"


def seed(*, sellers: int) -> None:
    """Sellers with an active monthly store and its metrics; a fresh live key each."""
    import django

    django.setup()
    from accounts.models import User
    from accounts.services import seller_register
    from api.services import api_key_create
    from billing.models import SettlementMode
    from tests.shipments.factories import store_ready

    keys = []
    for n in range(sellers):
        email = EMAIL.format(n=n)
        user = User.objects.filter(email=email).select_related("seller").first()
        if user is None:
            user = seller_register(email=email, password=None, company_name=f"接口压测公司{n}")
            store_ready(seller=user.seller, settlement_mode=SettlementMode.MONTHLY)
        keys.append(api_key_create(seller=user.seller, name="bench", livemode=True).secret)
    KEYS_FILE.parent.mkdir(exist_ok=True)
    KEYS_FILE.write_text("\n".join(keys) + "\n")


def prepare(*, env: dict, sellers: int, reseed: bool) -> None:
    import psycopg

    with psycopg.connect(load.SERVER_URL, autocommit=True) as server:
        if reseed:
            server.execute(f'DROP DATABASE IF EXISTS "{load.BENCH_DB}" WITH (FORCE)')
        if not server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [load.BENCH_DB]
        ).fetchone():
            server.execute(f'CREATE DATABASE "{load.BENCH_DB}"')
    for command in (["migrate"], ["collectstatic"]):
        subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, "manage.py", *command, "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, __file__, "--seed-only", "--sellers", str(sellers)],
        cwd=ROOT,
        env=env,
        check=True,
    )


# --- 1. CPU per created order, side by side ----------------------------------------------
def cpu_side_by_side(*, orders: int) -> None:
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from shipments.services.batches import shipment_batch_run
    from stores.selectors import store_for_orders
    from tests.shipments.factories import order_form

    sys.path.insert(0, str(ROOT / "bench"))
    from api_orders import api_order

    user = User.objects.select_related("seller").get(email=EMAIL.format(n=0))
    store = store_for_orders(seller=user.seller)
    key = KEYS_FILE.read_text().split()[0]
    prefix = uuid.uuid4().hex[:8]
    host = {"HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}

    def measure(label: str, run, count: int) -> tuple[str, float, float]:
        run(0)  # warm: caches, connections
        db0, cpu0, wall0 = load.postgres_cpu_seconds(), time.process_time(), time.monotonic()
        for n in range(1, count + 1):
            run(n)
        cpu = time.process_time() - cpu0
        db = load.postgres_cpu_seconds() - db0
        wall = time.monotonic() - wall0
        print(
            f"  {label:<34}{1000 * cpu / count:>9.1f}{1000 * db / count:>12.1f}"
            f"{1000 * wall / count:>10.1f}"
        )
        return label, cpu / count, db / count

    form = Client(secure=True, **host)
    form.force_login(user)

    def form_post(n: int, *, page: bool = False, blank: bool = False) -> None:
        if blank:  # the seller opens the form first
            form.get("/shipments/new/")
        data = order_form(store, order_number=f"FORM-{prefix}-{page:d}{blank:d}-{n}")
        response = form.post("/shipments/new/", data)
        if response.status_code != 302:
            raise SystemExit(f"the form did not create: HTTP {response.status_code}")
        if page:
            form.get(response["Location"])

    api = Client(secure=True, HTTP_AUTHORIZATION=f"Bearer {key}", **host)

    def api_post(n: int) -> None:
        number = f"API-{prefix}-{n}"
        response = api.post(
            "/api/v1/shipments",
            json.dumps(api_order(number)),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=number,
        )
        if response.status_code != 201:
            raise SystemExit(f"the API did not create: HTTP {response.status_code}")

    batches = iter(range(10**6))

    def batch(n: int) -> None:
        size = 5 if n == 0 else orders
        body = {"orders": [api_order(f"BAT-{prefix}-{next(batches)}") for _ in range(size)]}
        response = api.post("/api/v1/batches", json.dumps(body), content_type="application/json")
        if response.status_code != 202:
            raise SystemExit(f"the batch was refused: HTTP {response.status_code}")
        done = shipment_batch_run(batch_id=response.json()["id"])
        if done is None or done.created_count != size:
            raise SystemExit("the batch did not create every order")

    print(f"\n== CPU per created order ({orders} orders each, one process, no HTTP)")
    print(f"  {'path':<34}{'app ms':>9}{'postgres ms':>12}{'wall ms':>10}")
    print("  (postgres: every postgres process of this machine, others' included: a hint only)")
    rows = [
        measure("web form: POST", form_post, orders),
        measure("web form: POST + its page", lambda n: form_post(n, page=True), orders),
        measure(
            "web form: form, POST, its page",
            lambda n: form_post(n, page=True, blank=True),
            orders,
        ),
        measure("API: POST /api/v1/shipments", api_post, orders),
    ]
    label, cpu, db = measure(f"batch of {orders}: POST + worker", batch, 1)
    rows.append((label, cpu / orders, db / orders))
    print(
        f"  ({rows[-1][0]}, per order: app {1000 * rows[-1][1]:.1f} ms, postgres "
        f"{1000 * rows[-1][2]:.1f} ms)"
    )
    # The verdict compares this process's CPU: PostgreSQL's is read over every postgres
    # process of the machine (other databases' included, exited backends' lost), a hint only.
    api_ms = rows[3][1]
    for index, what in ((0, "the form's POST alone"), (2, "the form as a seller uses it")):
        form_ms = rows[index][1]
        verdict = "met" if api_ms <= form_ms / 2 else "NOT met"
        print(
            f"target API ≤ half the form's CPU, against {what}: {verdict} "
            f"({1000 * api_ms:.1f} ms vs {1000 * form_ms:.1f} ms of app CPU)"
        )


# --- 2. load: creations and replays -------------------------------------------------------
def run_load(*, env: dict, args) -> None:
    scenarios = [
        (
            "api create",
            load.Scenario("ApiCreationUser", "api create", args.users, args.rate, 100, 300),
            args.rate,
        ),
        (
            "api replay",
            load.Scenario("ApiReplayUser", "api replay", args.users, args.replay_rate, 500, 300),
            args.replay_rate,
        ),
    ]
    for name, scenario, rate in scenarios:
        port = load.free_port()
        server = load.start_gunicorn(env=env, port=port, workers=args.workers, threads=args.threads)
        print(
            f"\n== {name}: gunicorn {args.workers} × {args.threads} threads, production "
            f"settings, locust on the same {os.cpu_count()} CPUs (load average before: "
            f"{', '.join(f'{v:.2f}' for v in os.getloadavg())})"
        )
        created0 = _shipments_created()
        cpu0, db0 = load.cpu_seconds(server.pid), load.postgres_cpu_seconds()
        try:
            rows = load.run_locust(
                env={**env, "LOAD_API_KEYS_FILE": str(KEYS_FILE)},
                port=port,
                scenario=scenario,
                users=args.users,
                rate=rate,
                seconds=args.seconds,
            )
            cpu = load.cpu_seconds(server.pid) - cpu0
            db = load.postgres_cpu_seconds() - db0
        finally:
            server.terminate()
            server.wait(timeout=30)
        load.report(rows, scenario, users=args.users, rate=rate, seconds=args.seconds)
        count = sum(int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated")
        print(
            f"CPU: gunicorn {1000 * cpu / max(1, count):.1f} ms, PostgreSQL "
            f"{1000 * db / max(1, count):.1f} ms per request counted by locust (its stats "
            "start once every user runs: the ramp-up's CPU is in, its requests are not)"
        )
        if name == "api create":
            # Every creation of the run, the ramp-up's included, counted in the database.
            created = _shipments_created() - created0
            print(
                f"     gunicorn {1000 * cpu / max(1, created):.1f} ms, PostgreSQL "
                f"{1000 * db / max(1, created):.1f} ms per shipment created ({created} in all)"
            )


def _shipments_created() -> int:
    import psycopg

    url = load.bench_environment()["DATABASE_URL"]
    with psycopg.connect(url) as bench:
        row = bench.execute("SELECT count(*) FROM shipments_shipment").fetchone()
    return int(row[0]) if row else 0


# --- 3. a batch through a real worker -----------------------------------------------------
def run_batch(*, env: dict, args) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from api_orders import api_order

    key = KEYS_FILE.read_text().split()[-1]
    port = load.free_port()
    server = load.start_gunicorn(env=env, port=port, workers=2, threads=4)
    worker = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "2",
         "--queues", "default", "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
         "--hostname", f"bench-api-{os.getpid()}@%h"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        time.sleep(6)  # the worker connects
        prefix = uuid.uuid4().hex[:8]
        body = json.dumps(
            {"orders": [api_order(f"BATCH-{prefix}-{n}") for n in range(args.batch)]}
        ).encode()
        headers = {
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
        }
        started = time.monotonic()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/batches", data=body, headers=headers
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            batch = json.loads(response.read())
        accepted = time.monotonic() - started
        status = batch
        while time.monotonic() - started < 120:
            get = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/batches/{batch['id']}", headers=headers
            )
            with urllib.request.urlopen(get, timeout=30) as response:  # noqa: S310 - loopback
                status = json.loads(response.read())
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        wall = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)
    met = status["status"] == "done" and status["created"] == args.batch and wall <= 10
    print(
        f"\n== batch of {args.batch} orders: accepted in {accepted:.2f} s, {status['status']} "
        f"with {status['created']} created after {wall:.1f} s "
        f"(target ≤ 10 s: {'met' if met else 'NOT met'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rate", type=float, default=6.0, help="creations/s per user")
    parser.add_argument("--replay-rate", type=float, default=30.0, help="replays/s per user")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sellers", type=int, default=10)
    parser.add_argument("--cpu-orders", type=int, default=200)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cpu-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        seed(sellers=args.sellers)
        return
    if args.cpu_only:
        cpu_side_by_side(orders=args.cpu_orders)
        return
    env = load.bench_environment()
    prepare(env=env, sellers=args.sellers, reseed=args.reseed)
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, __file__, "--cpu-only", "--cpu-orders", str(args.cpu_orders)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    if not args.skip_load:
        run_load(env=env, args=args)
    run_batch(env=env, args=args)


if __name__ == "__main__":
    main()
