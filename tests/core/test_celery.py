import pytest

from core.tasks import ping

pytestmark = [pytest.mark.worker, pytest.mark.slow]


def test_a_task_goes_through_redis_to_a_real_worker_and_back(celery_worker):
    result = ping.delay("你好")

    assert result.get(timeout=20) == "pong:你好"
    assert result.status == "SUCCESS"


def test_tasks_are_json_and_acknowledged_late():
    from config.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.broker_url.startswith("redis://")
