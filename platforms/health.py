"""The fulfilment health self-check (履约健康度自检), DOMAIN.md §1.

Before activation and daily after: DSR logistics score, return rate and label-print
success rate from the store-metrics feed. Any one below its threshold closes the service
of an active store (``onboarding``'s daily check) and keeps a trial store from activation
(``shipments``' trial evaluation). Thresholds are ours (the article names the metrics, not
the numbers). It reads only the platform's figures, so it lives with them.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

MIN_DSR = Decimal("4.8")
MAX_RETURN_RATE_PCT = Decimal("5")
MIN_LABEL_PRINT_SUCCESS_PCT = Decimal("98")


@dataclass(frozen=True)
class HealthLine:
    code: str
    label: StrOrPromise
    value: Decimal | None
    threshold: Decimal
    higher_is_better: bool

    @property
    def ok(self) -> bool:
        if self.value is None:
            return False
        if self.higher_is_better:
            return self.value >= self.threshold
        return self.value <= self.threshold


def health_lines(metrics: Any) -> list[HealthLine]:
    def value(name):
        return getattr(metrics, name) if metrics is not None else None

    return [
        HealthLine("dsr", _("DSR logistics score"), value("dsr_logistics"), MIN_DSR, True),
        HealthLine(
            "return_rate",
            _("Return rate (%)"),
            value("return_rate_pct"),
            MAX_RETURN_RATE_PCT,
            False,
        ),
        HealthLine(
            "label_print",
            _("Label-print success rate (%)"),
            value("label_print_success_pct"),
            MIN_LABEL_PRINT_SUCCESS_PCT,
            True,
        ),
    ]


def health_failures(metrics: Any) -> list[HealthLine]:
    """The lines below their threshold. No metrics at all is not a failure: the service
    is not closed for a feed that has not arrived."""
    if metrics is None:
        return []
    return [line for line in health_lines(metrics) if not line.ok]


def health_reason(failures: list[HealthLine]) -> str:
    """The failures in one line, for a status reason the seller reads:
    "DSR logistics score 4.50 (≥ 4.8); …"."""
    return "; ".join(
        f"{line.label} {line.value} ({'≥' if line.higher_is_better else '≤'} {line.threshold})"
        for line in failures
    )
