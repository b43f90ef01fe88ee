"""Helpers of the fault tests: real workers killed with SIGKILL, a broker that does not
answer, database connections cut as a PostgreSQL restart cuts them.

What is simulated, and what is not: the shared PostgreSQL and Redis servers are never
stopped (other test runs use them). "Redis down" is a broker URL on a port where nothing
listens; "PostgreSQL restarted" is ``pg_terminate_backend`` on every other connection to
the test database, which is what a restart does to its clients; a dead worker is a real
worker process group killed with SIGKILL (``conftest.kill_celery_worker``).
"""

import json
import socket
from contextlib import contextmanager

from django.db import connection

from config.celery import app


def redeliver_unacked(task_id: str) -> None:
    """Give the message of a task whose worker was killed back to its queue, as Redis
    does once the message's visibility timeout (1 h, CELERY_BROKER_TRANSPORT_OPTIONS)
    has passed: the task was acknowledged late, so the dead worker never acknowledged it
    and kombu still holds it among the unacknowledged. Uses kombu's own restore, for that
    one message only (not every unacknowledged message of the test run's broker)."""
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        unacked = channel.client.hgetall(channel.unacked_key)
        for tag, payload in unacked.items():
            message = json.loads(payload)[0]
            if message["headers"].get("id") == task_id:
                channel.qos.restore_by_tag(tag.decode() if isinstance(tag, bytes) else tag)
                return
    raise AssertionError(f"task {task_id} is not among the unacknowledged messages")


def other_backends(*, where: str = "TRUE", params=()) -> list[tuple]:
    """Other client connections to the test database: (pid, state, in a transaction,
    query), filtered by ``where`` (SQL over pg_stat_activity)."""
    sql = (
        "SELECT pid, state, xact_start IS NOT NULL, query FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend' AND ({where})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql.format(where=where), params)  # the tests' own filters
        return cursor.fetchall()


def terminate_backends(pids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", [pids])


@contextmanager
def broker_down():
    """Messages sent inside go to a Redis URL where nothing listens (a port just freed),
    as when the broker is down; the real broker is back on the way out. The shared Redis
    server is never touched. Resets the app's connection and producer pools both ways,
    as Celery does after a fork."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    previous = app.conf.broker_url

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = dead
    reset_pools()
    try:
        yield dead
    finally:
        app.conf.broker_url = previous
        reset_pools()
