"""Schemathesis against the API's own OpenAPI schema, through the WSGI app in-process: every
operation with generated bodies and parameters, with a real key; no answer is a 5xx and
every answer conforms to the schema (status documented, body and content type as
declared). Bounded: a few examples per operation, no shrinking, a deadline."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.billing.factories import instant_store

from .factories import api_key

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the request's end must not close the connection that
    holds the test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def key(db):
    store = instant_store(balance="1000.00")
    return api_key(store.seller, live=False)


@pytest.mark.slow
@schema.parametrize()
@settings(
    # Fixed examples in CI (derandomized: a run fails for the code, never for the draw);
    # SCHEMA_EXAMPLES=80 SCHEMA_RANDOM=1 explores further (three such runs passed).
    max_examples=int(os.environ.get("SCHEMA_EXAMPLES", "8")),
    derandomize=not os.environ.get("SCHEMA_RANDOM"),
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_conforms_to_its_schema(case, key):
    # Not checked: that every schema-valid request is accepted. The schema says a field's
    # type and bounds; a country code that is no country, a URL that does not resolve, a
    # NUL in a string are refused by the domain with a documented 400/422 problem.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "fuzz"},
        excluded_checks=[positive_data_acceptance],
    )
