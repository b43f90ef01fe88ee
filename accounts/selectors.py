from allauth.mfa.models import Authenticator

from .models import User


def email_is_registered(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def seller_users(*, seller):
    return User.objects.filter(seller=seller).order_by("seller_role", "email")


def user_has_totp(*, user) -> bool:
    """Whether ``user`` has set up an authenticator app (allauth.mfa's TOTP)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def owner_mfa_nudge(request) -> bool:
    """Whether to ask the signed-in seller owner to set up two-factor authentication: an
    owner whose login did not pass a TOTP code (allauth notes each login's methods in the
    session) and who has no authenticator yet (one query, only for them)."""
    from .models import User

    user = request.user
    if getattr(user, "seller_role", "") != User.SellerRole.OWNER:
        return False
    methods = request.session.get("account_authentication_methods", [])
    if any(method.get("method") == "mfa" for method in methods):
        return False
    return not user_has_totp(user=user)
