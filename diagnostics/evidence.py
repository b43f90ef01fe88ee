"""Evidence in readable form: the gate's evidence keys with labels, values as text."""

from django.utils.translation import gettext_lazy as _

from platforms.models import Platform

LABELS = {
    "store": _("Store"),
    "status": _("Status"),
    "reason": _("Reason"),
    "platform": _("Platform"),
    "store_id": _("Store ID"),
    "metrics_as_of": _("Platform metrics as of"),
    "registered": _("Licence (registered) address"),
    "tax": _("Tax-registration address"),
    "valid_until": _("ID card valid until"),
    "long_term": _("ID card valid long-term"),
    "must_be_valid_until": _("Must be valid until at least"),
    "serious_complaints_30d": _("Serious logistics complaints, last 30 days"),
    "limit": _("Limit"),
    "used": _("Trial shipments used"),
    "quota": _("Trial quota"),
    "country": _("Destination country"),
    "postcode": _("Postcode"),
    "weight_g": _("Weight (g)"),
    "limit_g": _("Limit (g)"),
    "chargeable_weight_g": _("Chargeable weight (g)"),
    "balance": _("Balance (¥)"),
    "charge": _("Charge (¥)"),
    "due_date": _("Due date"),
    "total": _("Total (¥)"),
    "paid": _("Paid (¥)"),
    "period": _("Period"),
    "statement": _("Statement"),
    "statements": _("Statements"),
    "settlement": _("Settlement"),
    "outstanding": _("Still unpaid (¥)"),
    "shortfall": _("Short by (¥)"),
    "overdue": _("Overdue statement"),
    "fails_from": _("Orders refused from"),
    "warehouse": _("Overseas warehouse"),
    "lines": _("Lines (SKU, asked, available)"),
    "unknown_skus": _("SKUs the warehouse does not know"),
    "campaign": _("Presale campaign"),
    "expired_at": _("Lock expired at"),
    "allocated": _("Already allocated to the order"),
    "origin_country": _("Leaves from"),
}
# Evidence that explains a skip rather than a finding.
SKIP_REASONS = {
    "no_parcel": _("asked about the account: no parcel"),
    "no_store": _("no store"),
    "no_metrics": _("no platform metrics yet"),
    "not_in_trial": _("not in trial"),
    "no_lane": _("no line for the destination"),
    "monthly": _("monthly statement: no prepaid balance needed"),
    "not_from_a_warehouse": _("leaves from China, not from an overseas warehouse"),
    "no_campaign": _("not a presale order"),
    "no_border": _("crosses no customs border (within one country or the EU)"),
}


def _text(value) -> str:
    if value is None:
        return "—"
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


# Codes shown by their name: a seller never reads ``lazada`` or ``active``.
VALUE_LABELS = {"platform": dict(Platform.choices)}
LABEL_SUFFIX = "_label"


def _value(key: str, value, evidence: dict) -> str:
    """A value as a seller reads it: the check's own label for it (``status`` beside
    ``status_label``), a known code's name, else the value as text."""
    if f"{key}{LABEL_SUFFIX}" in evidence:
        return str(evidence[f"{key}{LABEL_SUFFIX}"])
    names = VALUE_LABELS.get(key)
    if names is not None and value in names:
        return str(names[value])
    return _text(value)


def evidence_lines(evidence: dict) -> list[tuple[str, str]]:
    """(label, value) pairs; unknown keys are shown by name, never dropped."""
    lines = []
    evidence = evidence or {}
    for key, value in evidence.items():
        if key.endswith(LABEL_SUFFIX) and key.removesuffix(LABEL_SUFFIX) in evidence:
            continue  # shown as the value of its key
        if key == "reason" and value in SKIP_REASONS:
            lines.append((str(_("Why not applicable")), str(SKIP_REASONS[value])))
            continue
        label = LABELS.get(key)
        lines.append((str(label) if label else key.replace("_", " "), _value(key, value, evidence)))
    return lines
