"""Reads of pricing data for other apps: origins (where lanes start), from the in-memory
pricing table, so that a label, a customs check or a route reads them without a query."""

from .models import OriginKind
from .rates import OriginInfo, pricing_table


def origin_get(*, code: str) -> OriginInfo | None:
    """The origin ``code`` (a Chinese region or an overseas warehouse), or None."""
    return pricing_table().origins.get(code)


def origin_country(*, code: str) -> str:
    """The country parcels from ``code`` leave: CN for a Chinese region (and for a code no
    origin has: every parcel before origins were data left China)."""
    origin = pricing_table().origins.get(code)
    return origin.country if origin is not None else "CN"


def origin_choices(*, kind: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of every origin, or of one kind, Chinese regions first."""
    origins = sorted(
        pricing_table().origins.values(),
        key=lambda o: (o.kind != OriginKind.CHINA, o.code),
    )
    return [(o.code, o.label) for o in origins if kind is None or o.kind == kind]
