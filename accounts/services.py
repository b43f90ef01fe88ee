"""Everything that writes sellers and their users."""

from django.db import IntegrityError, transaction

from .exceptions import EmailAlreadyRegistered
from .models import Seller, User


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
