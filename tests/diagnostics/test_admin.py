"""Operations: the distribution of root causes beside the article's split, the drill-down
to sellers and orders, the tool for any seller, and who may do what."""

import pytest
from django.urls import reverse

from diagnostics.models import DiagnosticRun
from tests.accounts.factories import StaffUserFactory

from .scenarios import refuse_then_diagnose, store_ready

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("admin:diagnostics_overview")
TOOL = reverse("admin:diagnostics_tool")
PERIOD = {"start": "2026-08-01", "end": "2026-08-31"}


@pytest.fixture
def refusals():
    stores = [store_ready(bound=False) for _ in range(3)]
    for n, store in enumerate(stores):
        refuse_then_diagnose(store, order_number=f"ADM-{n}")
    mismatch = store_ready(tax_address="北京市朝阳区建国路1号")
    refuse_then_diagnose(mismatch, order_number="ADM-X")
    return stores, mismatch


def test_the_chart_counts_refusals_per_cause_beside_the_article(client, ops_user, refusals):
    client.force_login(ops_user)

    response = client.get(OVERVIEW, {**PERIOD, "source": "refusals"})

    assert response.status_code == 200
    bars = {bar.code: bar for bar in response.context["distribution"].bars}
    assert bars["store_not_bound"].count == 3
    assert bars["store_not_bound"].sellers == 3
    assert str(bars["store_not_bound"].share) == "75.0"
    assert str(bars["store_not_bound"].article_share) == "93.6"
    assert str(bars["licence_tax_address_mismatch"].share) == "25.0"
    assert str(bars["legal_rep_id_expiring"].article_share) == "1.7"
    assert bars["dsr_frozen"].count == 0
    html = response.content.decode()
    assert 'data-code="store_not_bound" data-count="3"' in html
    assert 'value="75.0"' in html and 'value="93.6"' in html


def test_the_period_excludes_other_months(client, ops_user, refusals):
    client.force_login(ops_user)
    response = client.get(OVERVIEW, {"start": "2026-09-01", "end": "2026-09-30"})
    assert response.context["distribution"].total == 0


def test_the_chart_of_the_tools_runs(client, ops_user, refusals):
    client.force_login(ops_user)
    response = client.get(OVERVIEW, {**PERIOD, "source": "runs"})
    bars = {bar.code: bar for bar in response.context["distribution"].bars}
    assert bars["store_not_bound"].count == 3


def test_drill_down_lists_the_sellers_and_orders_behind_a_bar(
    client, ops_user, refusals, django_assert_max_num_queries
):
    stores, _mismatch = refusals
    client.force_login(ops_user)
    url = reverse("admin:diagnostics_drilldown", args=["store_not_bound"])

    with django_assert_max_num_queries(12):
        response = client.get(url, {**PERIOD, "source": "refusals"})

    assert response.status_code == 200
    assert {row["seller_id"] for row in response.context["sellers"]} == {
        s.seller.pk for s in stores
    }
    assert {row["order_number"] for row in response.context["orders"]} == {
        "ADM-0",
        "ADM-1",
        "ADM-2",
    }
    sellers_url = response.context["sellers_changelist"]
    assert sellers_url.startswith(reverse("admin:accounts_seller_changelist") + "?id__in=")
    assert client.get(sellers_url).status_code == 200


def test_ops_run_the_tool_for_any_seller(client, ops_user, refusals):
    stores, _ = refusals
    client.force_login(ops_user)

    response = client.get(TOOL, {"seller": stores[0].seller.pk, "order": "ADM-0"})

    assert response.status_code == 200
    assert response.context["diagnosis"].root_cause.code == "store_not_bound"
    run = DiagnosticRun.objects.filter(source="admin").get()
    assert run.user == ops_user

    by_number = client.get(TOOL, {"order": "ADM-X"})
    assert by_number.context["diagnosis"].root_cause.code == "licence_tax_address_mismatch"
    account = client.get(TOOL, {"seller": stores[1].seller.pk})
    assert account.context["diagnosis"].kind == "account"


def test_finance_sees_none_of_it(client, finance_user, refusals):
    client.force_login(finance_user)
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(TOOL).status_code == 403
    changelist = reverse("admin:diagnostics_diagnosticrun_changelist")
    assert client.get(changelist).status_code == 403


def test_staff_without_the_run_permission_cannot_run_it(client, refusals):
    from django.contrib.auth.models import Permission

    viewer = StaffUserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_diagnosticrun"))
    client.force_login(viewer)
    assert client.get(OVERVIEW).status_code == 200
    assert client.get(TOOL).status_code == 403


def test_the_runs_changelist_has_a_query_budget(
    client, ops_user, refusals, django_assert_max_num_queries
):
    client.force_login(ops_user)
    changelist = reverse("admin:diagnostics_diagnosticrun_changelist")
    with django_assert_max_num_queries(12):
        response = client.get(changelist)
    assert response.status_code == 200
    assert client.get(reverse("admin:diagnostics_watchwarning_changelist")).status_code == 200
