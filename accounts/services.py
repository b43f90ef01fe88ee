"""Everything that writes sellers and their users."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .exceptions import CannotChangeOwner, EmailAlreadyRegistered, NotSellerOwner
from .models import Seller, User
from .phones import mobile_normalize


@transaction.atomic
def seller_register(*, email: str, password: str, company_name: str) -> User:
    """Create a seller and its owner in one transaction.

    The database's case-insensitive unique e-mail decides races: the loser gets
    ``EmailAlreadyRegistered`` and nothing is left behind.
    """
    email = email.strip().lower()
    seller = Seller.objects.create(company_name=company_name.strip())
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=email,
                password=password,
                seller=seller,
                seller_role=User.SellerRole.OWNER,
            )
    except IntegrityError as exc:
        raise EmailAlreadyRegistered() from exc


def seller_member_add(*, seller, actor: User, email: str, request=None) -> User:
    """The owner adds a staff member, who sets a password through an e-mailed link."""
    if actor.seller_id != seller.pk or actor.seller_role != User.SellerRole.OWNER:
        raise NotSellerOwner()
    email = email.strip().lower()
    try:
        with transaction.atomic():
            member = User.objects.create_user(
                email=email, password=None, seller=seller, seller_role=User.SellerRole.MEMBER
            )
    except IntegrityError as exc:
        raise EmailAlreadyRegistered() from exc
    transaction.on_commit(lambda: _send_set_password_link(member, request))
    return member


def _send_set_password_link(member: User, request) -> None:
    context = {
        "user": member,
        "domain": request.get_host() if request else "localhost",
        "protocol": "https" if request and request.is_secure() else "http",
        "uid": urlsafe_base64_encode(force_bytes(member.pk)),
        "token": default_token_generator.make_token(member),
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context)
    body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [member.email])


def seller_member_set_active(*, seller, actor: User, member: User, active: bool) -> User:
    if actor.seller_id != seller.pk or actor.seller_role != User.SellerRole.OWNER:
        raise NotSellerOwner()
    if member.seller_id != seller.pk:
        raise NotSellerOwner()
    if member.seller_role == User.SellerRole.OWNER:
        raise CannotChangeOwner()
    member.is_active = active
    member.save(update_fields=["is_active"])
    return member


def seller_alert_phone_set(*, seller, actor: User, phone: str) -> Seller:
    """The owner sets (or, with a blank, removes) the mobile number that customs alerts go
    to by SMS. ``phone`` as typed; kept as E.164."""
    if actor.seller_id != seller.pk or actor.seller_role != User.SellerRole.OWNER:
        raise NotSellerOwner()
    seller.alert_phone = mobile_normalize(phone)
    seller.save(update_fields=["alert_phone"])
    return seller
