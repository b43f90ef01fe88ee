"""Routing's reasons in words, written when shown (the seller's language), from the codes
and figures a route keeps (``planning.Reason``)."""

from typing import Any

from django.utils.translation import gettext as _

from .planning import Reason


def _short(params: dict[str, Any]) -> str:
    return ", ".join(_("%(sku)s: %(has)s of %(needs)s") % item for item in params.get("short", []))


def reason_text(reason: Reason) -> str:
    p = reason.params
    code = reason.code
    if code in ("chosen", "chosen_split"):
        parts = [
            _("Chosen: ships %(lines)s") % {"lines": p.get("lines", "")}
            if code == "chosen"
            else _("Chosen for a split into %(n)s parcels: ships %(lines)s")
            % {"n": p.get("parcels", 2), "lines": p.get("lines", "")}
        ]
        if p.get("locked"):
            parts.append(_("%(n)s from the presale lock") % {"n": p["locked"]})
        parts.append(
            _("in the destination's country") if p.get("same_market") else _("from abroad")
        )
        parts.append(
            _("¥%(price)s, %(days)s days") % {"price": p.get("price"), "days": p.get("days")}
        )
        return "; ".join(parts) + "."
    texts = {
        "not_serving": lambda: _("Does not ship to %(country)s.") % p,
        "no_lane": lambda: _("No lane from it to %(country)s on the rate card in force.") % p,
        "no_stock": lambda: _("Holds none of the order's SKUs free."),
        "partial": lambda: _("Holds only part of the order (%(short)s).") % {"short": _short(p)},
        "too_heavy": lambda: _("The order is over its lane's maximum weight."),
        "more_parcels": lambda: _("Would make more parcels than %(chosen)s.") % p,
        "lock_elsewhere": lambda: (
            _("Could ship it alone, but the campaign's locked stock is at %(chosen)s.") % p
        ),
        "other_market": lambda: (
            _("Could ship it alone, but %(chosen)s is in the destination's country.") % p
        ),
        "dearer": lambda: (
            _("Could ship it alone, for ¥%(price)s instead of ¥%(chosen_price)s.") % p
        ),
        "slower": lambda: (
            _("Could ship it alone, in %(days)s days instead of %(chosen_days)s.") % p
        ),
        "tie": lambda: _("Could ship it alone, at the same price and speed: %(chosen)s first.") % p,
        "max_splits": lambda: (
            _("Filling the whole order would take more than %(max_splits)s parcels.") % p
        ),
        "from_china": lambda: _("Not in stock overseas, ships from China: %(lines)s.") % p,
    }
    text = texts.get(code)
    return text() if text is not None else code


def reasons_json(reasons: list[Reason] | tuple[Reason, ...]) -> list[dict[str, Any]]:
    """The reasons as the command and the API give them: warehouse (or null for the whole
    order), chosen, code and the sentence."""
    return [
        {
            "warehouse": reason.warehouse or None,
            "chosen": reason.chosen,
            "code": reason.code,
            "reason": reason_text(reason),
        }
        for reason in reasons
    ]
