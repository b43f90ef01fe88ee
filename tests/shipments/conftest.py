import pytest

from pricing.rates import pricing_cache_clear_local


@pytest.fixture(autouse=True)
def _fresh_pricing_cache():
    """Each test's rows are rolled back afterwards: no test may price with another's."""
    pricing_cache_clear_local()
    yield
    pricing_cache_clear_local()
