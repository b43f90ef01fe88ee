"""Everything that writes sellers and their users.

Sign-up, login, e-mail verification and password reset are django-allauth's
(``accounts.adapter``); the services here are the portal's own writes around them."""

from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .exceptions import CannotChangeOwner, EmailAlreadyRegistered, NotSellerOwner
from .models import Seller, User
from .phones import mobile_normalize


def seller_owner_prepare(*, user: User, company_name: str) -> Seller:
    """A sign-up (allauth's, ``accounts.adapter``): create the seller and make the new,
    not yet saved, ``user`` its owner. The caller saves the user in the same transaction."""
    seller = Seller.objects.create(company_name=company_name.strip())
    user.seller = seller
    user.seller_role = User.SellerRole.OWNER
    return seller


@transaction.atomic
def seller_register(*, email: str, password: str | None, company_name: str) -> User:
    """Create a seller and its owner in one transaction, outside the sign-up page (the demo,
    the benches, operations' scripts): the address is taken as verified, as whoever runs
    this vouches for it. Sellers sign up through allauth, which verifies it.

    The database's case-insensitive unique e-mail decides races: the loser gets
    ``EmailAlreadyRegistered`` and nothing is left behind.
    """
    email = email.strip().lower()
    seller = Seller.objects.create(company_name=company_name.strip())
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                seller=seller,
                seller_role=User.SellerRole.OWNER,
            )
    except IntegrityError as exc:
        raise EmailAlreadyRegistered() from exc
    email_address_verify(user=user)
    return user


def email_address_verify(*, user: User) -> EmailAddress:
    """Mark ``user``'s own address verified and primary (allauth's ``EmailAddress``): the
    address was proven by a link sent to it (a password set from an invitation or a reset),
    or vouched for by staff (``seller_register``, the demo)."""
    address, _created = EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
    return address


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
            EmailAddress.objects.create(user=member, email=email, primary=True, verified=False)
    except IntegrityError as exc:
        raise EmailAlreadyRegistered() from exc
    transaction.on_commit(lambda: _send_set_password_link(member, request))
    return member


def _send_set_password_link(member: User, request) -> None:
    """The invitation: allauth's password-reset link. Setting the password through it
    proves the address, which is then verified (``accounts.reset_forms``)."""
    from allauth.account.forms import default_token_generator  # not at import: see reset_forms

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(member),
            "key": default_token_generator.make_token(member),
        },
    )
    context = {
        "user": member,
        "url": (request.build_absolute_uri(path) if request else f"http://localhost{path}"),
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
