import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the msgids; requests choose it by cookie."""
    with translation.override("en"):
        yield
