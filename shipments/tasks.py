"""Celery entry points of shipments. Each takes an id, loads the row and calls one service."""

from celery import shared_task

from core.tasks import JingluoTask


# --- bulk files of orders (shipments.services.imports) ---------------------------------
@shared_task(
    bind=True,
    base=JingluoTask,
    name="shipments.import_run",
    soft_time_limit=600,
    time_limit=660,
    max_retries=5,
)
def import_run(self: JingluoTask, import_id: int) -> str:
    """Create the shipments of one uploaded file. Safe to run twice and to kill: each chunk
    commits with its progress, and a new run resumes after the last committed one. A soft
    time limit or a transient error re-queues the task, which carries on from there."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import InterfaceError, OperationalError
    from django.utils.translation import gettext

    from .services.imports import shipment_import_fail, shipment_import_run

    try:
        shipment_import = shipment_import_run(import_id=import_id)
    except (SoftTimeLimitExceeded, OperationalError, InterfaceError, OSError) as error:
        if self.retries_exhausted():
            shipment_import_fail(
                import_id=import_id,
                reason=gettext(
                    "The file could not be finished: the orders created so far are kept; "
                    "upload the remaining rows again."
                ),
            )
            return "failed"
        countdown = 0 if isinstance(error, SoftTimeLimitExceeded) else self.backoff(base=5)
        raise self.retry(exc=error, countdown=countdown) from error
    except Exception:
        shipment_import_fail(
            import_id=import_id,
            reason=gettext(
                "The file stopped on an internal error; the orders created so far are kept. "
                "We have been notified."
            ),
        )
        raise
    return shipment_import.status if shipment_import is not None else "skipped"


@shared_task(
    bind=True,
    base=JingluoTask,
    name="shipments.import_preview",
    soft_time_limit=600,
    time_limit=660,
    max_retries=3,
)
def import_preview(self: JingluoTask, import_id: int) -> str:
    """Before anything is spent: what the file would create, refuse and cost. Writes only
    the preview on the file's row; safe to run twice (state guard)."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import InterfaceError, OperationalError
    from django.utils.translation import gettext

    from .services.imports import shipment_import_fail, shipment_import_preview

    try:
        shipment_import = shipment_import_preview(import_id=import_id)
    except (OperationalError, InterfaceError, OSError) as error:
        if self.retries_exhausted():
            shipment_import_fail(
                import_id=import_id,
                reason=gettext("The file could not be checked: upload it again."),
            )
            return "failed"
        raise self.retry(exc=error, countdown=self.backoff(base=5)) from error
    except SoftTimeLimitExceeded:
        shipment_import_fail(
            import_id=import_id,
            reason=gettext("The file could not be checked in time: split it into smaller files."),
        )
        return "failed"
    return shipment_import.status if shipment_import is not None else "skipped"


# --- tracking: customs alerts and the trial's evaluation ---------------------------------
@shared_task(base=JingluoTask, name="shipments.customs_alerts")
def customs_alerts() -> int:
    """Every 15 minutes: alert sellers of parcels held in customs (once per hold)."""
    from .services.alerts import customs_alerts_send

    return len(customs_alerts_send())


@shared_task(base=JingluoTask, name="shipments.trial_evaluate")
def trial_evaluate(store_id: int) -> str:
    """After a trial shipment's delivery: evaluate the store's trial if it is due. Safe to
    run twice: a store no longer in trial is left alone."""
    from stores.models import Store

    from .services.trial import trial_evaluate as evaluate

    store = Store.objects.filter(pk=store_id).first()
    verdict = evaluate(store=store) if store is not None else None
    return verdict.to_status if verdict is not None else "not due"


@shared_task(base=JingluoTask, name="shipments.trials_evaluate_due")
def trials_evaluate_due() -> int:
    """Daily: evaluate the trials whose shipments are all delivered or overdue."""
    from .services.trial import trials_evaluate_due as evaluate_due

    return len(evaluate_due())


@shared_task(base=JingluoTask, name="shipments.sweep_stuck_imports")
def sweep_stuck_imports() -> int:
    """Re-send files of orders (and API batches) stuck queued (broker down at upload) or
    running (worker died)."""
    from .services.batches import shipment_batches_requeue_stuck
    from .services.imports import shipment_imports_requeue_stuck

    return len(shipment_imports_requeue_stuck()) + len(shipment_batches_requeue_stuck())


# --- batches of orders from the API (shipments.services.batches) -------------------------
@shared_task(
    bind=True,
    base=JingluoTask,
    name="shipments.batch_run",
    soft_time_limit=300,
    time_limit=330,
    max_retries=5,
)
def batch_run(self: JingluoTask, batch_id: int) -> str:
    """Create the orders of one API batch; safe to run twice and to kill (each chunk commits
    with its progress, a new run resumes after it)."""
    from celery.exceptions import SoftTimeLimitExceeded
    from django.db import InterfaceError, OperationalError
    from django.utils.translation import gettext

    from .services.batches import shipment_batch_fail, shipment_batch_run

    try:
        batch = shipment_batch_run(batch_id=batch_id)
    except (SoftTimeLimitExceeded, OperationalError, InterfaceError, OSError) as error:
        if self.retries_exhausted():
            shipment_batch_fail(
                batch_id=batch_id,
                reason=gettext(
                    "The batch could not be finished: the orders created so far are kept; "
                    "send the remaining orders again."
                ),
            )
            return "failed"
        raise self.retry(exc=error, countdown=self.backoff(base=5)) from error
    except Exception:
        shipment_batch_fail(
            batch_id=batch_id,
            reason=gettext(
                "The batch stopped on an internal error; the orders created so far are kept."
            ),
        )
        raise
    return batch.status if batch is not None else "skipped"
