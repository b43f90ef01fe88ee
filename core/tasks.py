"""How work goes to the Celery workers: one way to enqueue, one base class for tasks.

- ``enqueue_on_commit(task, *args)`` sends the task once the current transaction commits
  (at once outside one), so a worker never looks for a row that is not there yet. The row
  the task works on says what is left to do (queued, running …): when the broker is down
  the send is logged and dropped, and the app's sweeper sends it again later. A failed
  send never undoes the commit.
- ``JingluoTask`` holds the conventions: acknowledged late and re-queued when a worker
  dies, soft and hard time limits, and ``backoff`` for retries of transient errors. Tasks
  are declared ``@shared_task(base=JingluoTask, name="app.verb")`` and may override the
  limits.
"""

import logging
from typing import Any

from celery import Task, shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


class JingluoTask(Task[Any, Any]):
    acks_late = True
    reject_on_worker_lost = True
    soft_time_limit = 120
    time_limit = 150

    def backoff(self, *, base: int = 5, cap: int = 600) -> int:
        """Seconds before the next retry: ``base`` × 2^retries, at most ``cap``."""
        return int(min(cap, base * 2**self.request.retries))

    def retries_exhausted(self) -> bool:
        """Whether the task has used its retries (``max_retries = None`` retries forever)."""
        return self.max_retries is not None and self.request.retries >= self.max_retries


def enqueue_on_commit(task: Any, *args: Any, link: Any = None) -> None:
    """Send ``task(*args)`` after the current transaction commits; see the module's
    docstring for what happens when the broker is down."""

    def send() -> None:
        try:
            task.apply_async(args=list(args), link=link, retry=False)
        except Exception:  # noqa: BLE001 - any broker failure leaves the row for the sweeper
            logger.warning(
                "%s %s not queued: the broker is unavailable",
                task.name,
                ", ".join(map(str, args)),
            )

    transaction.on_commit(send)


@shared_task(base=JingluoTask, name="core.ping")
def ping(payload: str) -> str:
    """Round-trip probe used by tests and operators: proves a worker takes tasks."""
    return f"pong:{payload}"
