"""Writes of customs data a seller makes: their own tax registrations. (Rules, rates and
terms are operations' data, edited in the admin.)"""

from typing import Any

from django.db import transaction

from .models import RegistrationKind, TaxRegistration
from .validation import eori_clean, ioss_clean, uk_vat_clean

_CLEAN = {
    RegistrationKind.IOSS: ioss_clean,
    RegistrationKind.UK_VAT: uk_vat_clean,
    RegistrationKind.EORI: eori_clean,
}


def tax_registration_set(*, seller: Any, kind: str, number: object) -> TaxRegistration | None:
    """Record (or replace) the seller's registration of ``kind``; an empty number removes
    it. A number that cannot be right raises ``InvalidCustomsInput`` and changes nothing."""
    cleaned = _CLEAN[RegistrationKind(kind)](number, field="number")
    with transaction.atomic():
        if not cleaned:
            TaxRegistration.objects.filter(seller=seller, kind=kind).delete()
            return None
        registration, _created = TaxRegistration.objects.update_or_create(
            seller=seller, kind=kind, defaults={"number": cleaned}
        )
    return registration
