from celery import shared_task


@shared_task(name="core.ping")
def ping(payload: str) -> str:
    """Round-trip probe used by tests and operators: proves a worker takes tasks."""
    return f"pong:{payload}"
