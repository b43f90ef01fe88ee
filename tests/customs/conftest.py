import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English ones (the portal defaults to Chinese)."""
    with translation.override("en"):
        yield
