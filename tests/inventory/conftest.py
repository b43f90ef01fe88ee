import pytest
from django.utils import translation

from pricing.rates import pricing_cache_clear_local


@pytest.fixture(autouse=True)
def _fresh_pricing_cache():
    """Lanes added by a test are rolled back afterwards: no test prices with another's."""
    pricing_cache_clear_local()
    yield
    pricing_cache_clear_local()


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the Chinese catalogue is checked by core's tests)."""
    with translation.override("en"):
        yield
