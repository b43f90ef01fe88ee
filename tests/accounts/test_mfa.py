"""Two-factor authentication (allauth.mfa, issue 18): TOTP with recovery codes; required for
staff before any admin page, optional for sellers (owners are nudged), and asked at every
login once set up."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.urls import reverse

from accounts.models import User

from .factories import PASSWORD, SellerUserFactory, StaffUserFactory, totp_code

pytestmark = pytest.mark.django_db

ADMIN = f"/{settings.ADMIN_URL}"
LOGIN = reverse("account_login")
MFA = reverse("mfa_authenticate")


def log_in(client, user, code: str | None = None):
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    if code is not None:
        assert response["Location"] == MFA
        response = client.post(MFA, {"code": code})
    return response


def test_staff_without_totp_are_sent_to_set_it_up_before_any_admin_page(client):
    staff = StaffUserFactory(groups=["Operations"], totp=False)
    log_in(client, staff)  # the password alone, as a new staff member's first login

    for path in (ADMIN, f"{ADMIN}shipments/shipment/", f"{ADMIN}diagnostics/diagnosticrun/tool/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa_activate_totp"))

    # allauth asks for the password again before adding an authenticator (a stolen session
    # alone cannot add the thief's phone).
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()  # the QR code
    secret = page.context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(ADMIN).status_code == 200


def test_staff_with_totp_give_a_code_at_login(client):
    staff = StaffUserFactory(groups=["Operations"])

    response = log_in(client, staff)
    assert response["Location"] == MFA
    assert "_auth_user_id" not in client.session  # the password alone is not a login
    assert (
        client.post(MFA, {"code": "000000" if totp_code() != "000000" else "111111"}).status_code
        == 200
    )
    assert "_auth_user_id" not in client.session

    client.post(MFA, {"code": totp_code()})
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get(ADMIN).status_code == 200


def test_a_recovery_code_replaces_the_app_once(client):
    staff = StaffUserFactory(groups=["Finance"])
    codes = RecoveryCodes.activate(staff).get_unused_codes()

    log_in(client, staff, code=codes[0])
    assert client.session["_auth_user_id"] == str(staff.pk)
    client.post(reverse("account_logout"))

    log_in(client, staff)
    client.post(MFA, {"code": codes[0]})  # used: refused
    assert "_auth_user_id" not in client.session


def test_owners_are_nudged_until_they_set_it_up_and_members_are_not(client):
    owner = SellerUserFactory()
    client.force_login(owner)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert 'id="mfa-nudge"' in dashboard
    assert reverse("mfa_activate_totp") in dashboard

    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(owner, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ")
    assert 'id="mfa-nudge"' not in client.get(reverse("portal:dashboard")).content.decode()

    member = SellerUserFactory(seller=owner.seller, seller_role=User.SellerRole.MEMBER)
    client.force_login(member)
    assert 'id="mfa-nudge"' not in client.get(reverse("portal:dashboard")).content.decode()


def test_a_seller_who_set_it_up_gives_a_code_at_login_too(client):
    from allauth.mfa.totp.internal.auth import TOTP

    owner = SellerUserFactory()
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXR"
    TOTP.activate(owner, secret)

    assert log_in(client, owner)["Location"] == MFA
    client.post(MFA, {"code": totp_code(secret)})
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert 'id="mfa-nudge"' not in client.get(reverse("portal:dashboard")).content.decode()


def test_a_seller_without_totp_logs_in_with_the_password_alone(client):
    owner = SellerUserFactory()
    assert log_in(client, owner)["Location"] == reverse("portal:dashboard")
