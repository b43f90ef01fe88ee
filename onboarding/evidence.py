"""The automatic checks' evidence in words, for the reviewer: each key with its label,
each value as text (yes/no, a platform's name, a problem said in full), never JSON."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from platforms.models import Platform

LABELS = {
    "typed": _("Typed by the seller"),
    "read": _("Read from the document"),
    "read_valid": _("Read code's check digit valid"),
    "problem": _("Problem"),
    "uscc_prefix": _("Credit code starts with"),
    "entity_type": _("Entity type on the licence"),
    "required": _("Required"),
    "registered": _("Licence (registered) address"),
    "tax": _("Tax-registration address"),
    "typed_name": _("Name typed"),
    "id_card_name": _("Name on the ID card"),
    "licence_name": _("Legal representative on the licence"),
    "id_number_matches": _("ID number matches the card"),
    "read_valid_until": _("Card valid until (read)"),
    "read_long_term": _("Card long-term (read)"),
    "typed_valid_until": _("Card valid until (typed)"),
    "typed_long_term": _("Card long-term (typed)"),
    "must_be_valid_until": _("Must be valid until at least"),
    "platform": _("Platform"),
    "source": _("Source"),
    "tier": _("AliExpress tier"),
    "level": _("Store level"),
    "official_warehouse": _("Lazada official overseas warehouse"),
    "whitelisted": _("Temu logistics whitelist"),
    "site": _("TikTok Shop site"),
    "logistics_partner": _("TikTok Shop logistics partner"),
    "metrics": _("Platform metrics"),
    "as_of": _("Platform metrics as of"),
    "positive_rating_pct": _("Logistics positive rating (%)"),
    "dsr_logistics": _("DSR logistics score"),
    "min_positive_rating_pct": _("Minimum positive rating (%)"),
    "min_dsr_logistics": _("Minimum DSR"),
}
VALUES = {
    "problem": {
        "typed_invalid": _("the code typed is not a valid credit code"),
        "not_read": _("the code could not be read from the licence"),
    },
    "source": {
        "metrics": _("the platform's metrics"),
        "declared": _("declared by the seller (no metrics yet)"),
    },
    "platform": dict(Platform.choices),
}


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    return str(value)


def evidence_lines(evidence: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, value) pairs in the evidence's order; an unknown key by its name."""
    lines = []
    for key, value in (evidence or {}).items():
        names = VALUES.get(key, {})
        shown = str(names[value]) if isinstance(value, str) and value in names else _text(value)
        label = LABELS.get(key)
        lines.append((str(label) if label else key.replace("_", " "), shown))
    return lines
