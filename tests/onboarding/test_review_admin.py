"""Operations review in the admin: queue, documents beside fields, decisions, audit."""

import pytest
from django.conf import settings
from django.urls import reverse

from onboarding.models import ApplicationEvent, DocumentAccess

from .factories import ApplicationFactory
from .test_applications import _in_review

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}"


def test_the_review_queue_lists_oldest_first_with_masked_ids_in_bounded_queries(
    client, ops_user, seller_user, django_assert_max_num_queries
):
    first = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    for _ in range(3):
        ApplicationFactory()
    client.force_login(ops_user)

    with django_assert_max_num_queries(12):
        response = client.get(f"{ADMIN}onboarding/application/?status__exact=in_review")

    html = response.content.decode()
    assert response.status_code == 200
    assert first.masked_id_number in html
    assert first.legal_rep_id_number not in html
    assert list(response.context["cl"].result_list) == [first]


def test_the_review_page_shows_documents_beside_their_fields_and_highlights_mismatches(
    client, ops_user, seller_user
):
    application = _in_review(
        seller_user, ApplicationFactory(seller=seller_user.seller), address="北京市朝阳区"
    )
    client.force_login(ops_user)

    response = client.get(reverse("admin:onboarding_application_change", args=[application.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="mismatch"' in html
    assert 'id="decision"' in html
    change_form = html.index('id="application_form"')
    assert html.index('id="decision"') > html.index("</form>", change_form)  # forms never nest
    assert "北京市朝阳区" in html
    assert application.legal_rep_id_number not in html
    licence = next(
        item for item in response.context["review_documents"] if item["document"].kind == "licence"
    )
    address = next(row for row in licence["rows"] if row["read"] == "北京市朝阳区")
    assert address["matches"] is False


def test_ops_approve_from_the_admin(client, ops_user, seller_user):
    application = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    client.force_login(ops_user)

    url = reverse("admin:onboarding_application_decide", args=[application.pk, "approve"])

    asked = client.post(url, {"reason": ""})

    # Checks still need review: the reviewer is asked to confirm them, nothing changed yet.
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'id="approve-confirm"' in html
    assert 'data-check="platform_requirement"' in html
    assert 'data-check="store_fulfilment_level"' in html
    application.refresh_from_db()
    assert application.status == "in_review"

    response = client.post(
        url,
        {"reason": "", "override": ["platform_requirement", "store_fulfilment_level"]},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "trial"
    event = application.events.filter(to_status="trial").get()
    assert event.data["overridden_checks"] == ["platform_requirement", "store_fulfilment_level"]


def test_confirming_only_some_of_the_checks_does_not_approve(client, ops_user, seller_user):
    application = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    client.force_login(ops_user)
    url = reverse("admin:onboarding_application_decide", args=[application.pk, "approve"])

    response = client.post(url, {"reason": "", "override": ["platform_requirement"]})

    assert response.status_code == 200 and 'id="approve-confirm"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == "in_review"


def test_finance_cannot_decide_and_nothing_changes(client, finance_user, seller_user):
    application = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    client.force_login(finance_user)

    response = client.post(
        reverse("admin:onboarding_application_decide", args=[application.pk, "approve"])
    )

    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "in_review"


def test_revealing_a_full_id_number_needs_permission_and_is_logged(client, ops_user, finance_user):
    application = ApplicationFactory()
    client.force_login(finance_user)
    url = reverse("admin:onboarding_application_id_number", args=[application.pk])
    assert client.get(url).status_code == 403
    assert not ApplicationEvent.objects.exists()

    client.force_login(ops_user)
    response = client.get(url, follow=True)

    assert application.legal_rep_id_number in response.content.decode()
    event = ApplicationEvent.objects.get()
    assert (event.action, event.actor) == ("id_number_viewed", ops_user)


def test_ops_enter_the_fields_of_an_unreadable_document_audited(client, ops_user, seller_user):
    application = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    licence = application.documents.get(kind="licence", is_current=True)
    client.force_login(ops_user)

    response = client.post(
        reverse("admin:onboarding_document_fields", args=[licence.pk]),
        {"uscc": application.uscc, "name": application.company_name, "address": "上海市"},
    )

    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.ocr_fields["address"] == "上海市"
    assert licence.fields_entered_by == ops_user
    event = ApplicationEvent.objects.filter(action="fields_entered").get()
    assert event.actor == ops_user
    assert event.data["after"]["address"] == "上海市"
    check = application.checks.get(code="licence_address_matches")
    assert check.status == "fail"


def test_opening_a_document_from_the_review_is_logged(client, ops_user, seller_user):
    application = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    licence = application.documents.get(kind="licence", is_current=True)
    client.force_login(ops_user)

    client.get(reverse("onboarding:document_download", args=[licence.pk]))

    assert DocumentAccess.objects.filter(document=licence, user=ops_user).count() == 1


def test_the_onboarding_dashboard_counts_states(client, ops_user, seller_user):
    _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    ApplicationFactory()
    client.force_login(ops_user)

    response = client.get(reverse("admin:onboarding_application_dashboard"))

    assert response.status_code == 200
    counts = {value: count for _label, count, value in response.context["rows"]}
    assert counts["in_review"] == 1
    assert counts["draft"] == 1
    assert response.context["article_median"] == "1.8"
    assert response.context["oldest_waiting"] is not None


# --- issue 13, items 8, 9, 10 -------------------------------------------------------------


def test_the_review_queue_is_the_default_and_its_count_is_on_the_admin_index(
    client, ops_user, seller_user
):
    waiting = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    ApplicationFactory()  # a draft: not waiting
    client.force_login(ops_user)

    bare = client.get(f"{ADMIN}onboarding/application/")
    everything = client.get(f"{ADMIN}onboarding/application/?all=1")
    index = client.get(ADMIN).content.decode()

    assert bare.status_code == 302
    assert bare["Location"].endswith("?status__exact=in_review")
    assert len(everything.context["cl"].result_list) == 2
    row = index.split('data-queue="applications_in_review"')[1].split("</tr>")[0]
    assert 'data-count="1"' in row
    assert waiting.submitted_at is not None


def test_checks_and_events_read_in_words(client, ops_user, seller_user):
    application = _in_review(
        seller_user, ApplicationFactory(seller=seller_user.seller), address="北京市朝阳区"
    )
    client.force_login(ops_user)

    html = client.get(
        reverse("admin:onboarding_application_change", args=[application.pk])
    ).content.decode()

    checks = html.split('id="checks-group"')[1].split('id="events-group"')[0]
    assert "uscc_matches" not in checks
    assert "营业执照上的统一社会信用代码与您填写的一致且有效" in checks  # the check's title
    assert "{" not in checks.split("<tbody")[1]  # no JSON
    assert "从资料中识别" in checks  # "Read from the document", not "read"
    events = html.split('id="events-group"')[1]
    assert "in_review" not in events.split("<tbody")[1]
    assert "待审核" in events


def test_the_same_credit_code_in_another_seller_account_is_flagged(client, ops_user, seller_user):
    application = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    twin = ApplicationFactory(uscc=application.uscc)  # another seller, the same company
    ApplicationFactory(seller=seller_user.seller, uscc=application.uscc)  # the same seller
    client.force_login(ops_user)

    html = client.get(
        reverse("admin:onboarding_application_change", args=[application.pk])
    ).content.decode()
    alone = ApplicationFactory()
    clean = client.get(reverse("admin:onboarding_application_change", args=[alone.pk]))

    assert 'id="same-uscc" data-count="1"' in html
    assert reverse("admin:onboarding_application_change", args=[twin.pk]) in html
    assert 'id="same-uscc"' not in clean.content.decode()


@pytest.mark.parametrize(("days_old", "state"), [(None, "none"), (3, "fresh"), (8, "stale")])
def test_the_review_says_how_old_the_platforms_figures_are(
    client, ops_user, seller_user, days_old, state
):
    import datetime

    from django.utils import timezone

    from tests.platforms.factories import StoreMetricsSnapshotFactory

    application = _in_review(seller_user, ApplicationFactory(seller=seller_user.seller))
    if days_old is not None:
        StoreMetricsSnapshotFactory(
            platform=application.platform,
            store_id=application.store_id,
            as_of=timezone.localdate() - datetime.timedelta(days=days_old),
        )
    client.force_login(ops_user)

    html = client.get(
        reverse("admin:onboarding_application_change", args=[application.pk])
    ).content.decode()

    assert f'id="metrics-state" data-state="{state}"' in html
