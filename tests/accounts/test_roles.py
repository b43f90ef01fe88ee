import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError

from accounts.models import User

from .factories import SellerFactory, SellerUserFactory

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"
PRICING_MODELS = [
    "ratecard",
    "lane",
    "weightband",
    "zone",
    "zonecountry",
    "peakseason",
    "greendiscount",
    "origin",
]
PRICING_VIEW = {f"pricing.view_{model}" for model in PRICING_MODELS}
PRICING_EDIT = {f"pricing.{verb}_{m}" for m in PRICING_MODELS for verb in ("add", "change")}
PLATFORM_PERMISSIONS = {
    "platforms.view_storemetricssnapshot",
    "platforms.add_storemetricssnapshot",
    "platforms.view_storemetricsimport",
}


SHIPMENTS_OPERATIONS = {
    "shipments.view_shipment",
    "shipments.change_shipment",
    "shipments.view_shipmentevent",
    "shipments.add_shipmentevent",
    "shipments.view_refusedorder",
    "shipments.view_shipmentimport",
    "shipments.view_notification",
    "shipments.view_shipmentitem",
}
STORES_OPERATIONS = {"stores.view_store", "stores.view_storeevent"}
CUSTOMS_OPERATIONS = {
    f"customs.{verb}_{model}"
    for model in ("customsrule", "fxrate", "genericterm")
    for verb in ("view", "add", "change")
} | {"customs.delete_genericterm", "customs.view_taxregistration"}
BILLING_OPERATIONS = {"billing.view_settlementaccount", "billing.view_statement"}
# The stores in service and the queue of stores awaiting binding; what sellers were told.
STORES_OPERATIONS = {"stores.view_store", "stores.view_storeevent"}
NOTIFICATIONS_OPERATIONS = {"notifications.view_notification"}
INVENTORY_OPERATIONS = {
    f"inventory.view_{model}"
    for model in (
        *("warehouse", "sku", "stock", "stockmovement", "inbound", "inboundline"),
        *("campaign", "presalelock", "routedorder", "allocation", "allocationline"),
    )
} | {
    "inventory.add_warehouse",
    "inventory.change_warehouse",
    "inventory.change_inbound",
    "inventory.change_stock",
}
INVENTORY_FINANCE = {
    "inventory.view_warehouse",
    "inventory.view_stock",
    "inventory.view_stockmovement",
    "inventory.view_sku",
}
DIAGNOSTICS_OPERATIONS = {
    "diagnostics.run_diagnostics",
    "diagnostics.view_diagnosticrun",
    "diagnostics.view_watchwarning",
}
BILLING_FINANCE = {
    "billing.add_payment",
    "billing.close_month",
    "billing.add_topup",
    "billing.change_settlementaccount",
    "billing.export_statement",
    "billing.view_ledgerentry",
    "billing.view_overduestatement",
    "billing.view_payment",
    "billing.view_settlementaccount",
    "billing.view_settlementmodechange",
    "billing.view_statement",
    "billing.view_statementline",
    "billing.view_topup",
}


def _permissions(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_staff_groups_are_created_by_migration_with_their_permissions():
    assert (
        _permissions("Operations")
        == {
            "accounts.view_seller",
            "accounts.change_seller",
            "accounts.view_user",
            "onboarding.view_application",
            "onboarding.view_applicationcheck",
            "onboarding.view_applicationevent",
            "onboarding.view_document",
            "onboarding.view_documentaccess",
            "onboarding.review_application",
            "onboarding.view_full_id_number",
            "onboarding.enter_document_fields",
            "onboarding.reinstate_service",
        }
        | PLATFORM_PERMISSIONS
        | PRICING_VIEW
        | PRICING_EDIT
        | SHIPMENTS_OPERATIONS
        | BILLING_OPERATIONS
        | DIAGNOSTICS_OPERATIONS
        | STORES_OPERATIONS
        | CUSTOMS_OPERATIONS
        | NOTIFICATIONS_OPERATIONS
        | INVENTORY_OPERATIONS
    )
    assert _permissions("Finance") == (
        {
            "accounts.view_seller",
            "shipments.view_shipment",
            "shipments.view_shipmentitem",
            "stores.view_store",
        }
        | PRICING_VIEW
        | BILLING_FINANCE
        | INVENTORY_FINANCE
    )


def test_admin_is_branded_and_accepts_an_operations_user(client, ops_user):
    client.force_login(ops_user)

    index = client.get(ADMIN)
    assert index.status_code == 200
    assert "经络速通运营后台" in index.content.decode()
    assert client.get(f"{ADMIN}accounts/seller/").status_code == 200
    assert client.get(f"{ADMIN}onboarding/document/").status_code == 200


def test_finance_sees_sellers_but_not_documents(client, finance_user):
    client.force_login(finance_user)

    assert client.get(f"{ADMIN}accounts/seller/").status_code == 200
    assert client.get(f"{ADMIN}onboarding/document/").status_code == 403


def test_a_seller_never_gets_into_the_admin(client, seller_user):
    client.force_login(seller_user)

    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{ADMIN}login/")


def test_staff_are_sent_from_seller_pages_to_the_admin(client, ops_user):
    client.force_login(ops_user)

    response = client.get("/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == ADMIN


def test_a_seller_has_one_owner_and_staff_never_belong_to_a_seller():
    owner = SellerUserFactory()
    member = SellerUserFactory(seller=owner.seller, seller_role=User.SellerRole.MEMBER)
    assert member.seller == owner.seller

    with pytest.raises(IntegrityError):
        SellerUserFactory(seller=owner.seller, seller_role=User.SellerRole.OWNER)


def test_a_staff_user_cannot_be_attached_to_a_seller():
    with pytest.raises(IntegrityError):
        User.objects.create_user(
            email="mixed@jingluo.local",
            password="x-long-password-1",
            is_staff=True,
            seller=SellerFactory(),
            seller_role=User.SellerRole.OWNER,
        )
