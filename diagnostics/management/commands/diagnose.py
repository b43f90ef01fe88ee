"""Operations from the shell: ``python manage.py diagnose ORDER_NUMBER [--seller ID] [--json]``.

Without ``--seller`` the order is looked up across sellers; when several have it, the
command names them and stops. Exits non-zero when the order is not found."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from accounts.models import Seller
from core.gate import CheckStatus
from diagnostics.exceptions import AmbiguousOrder, DiagnosticsError
from diagnostics.models import RunSource
from diagnostics.selectors import order_sellers
from diagnostics.services import order_diagnose


class Command(BaseCommand):
    help = "Trace the order gate for an order number: every check, the root cause, the fix."

    def add_arguments(self, parser):
        parser.add_argument("order_number")
        parser.add_argument("--seller", type=int, help="the seller's ID (default: find it)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print JSON")

    def handle(self, *args, order_number: str, seller: int | None, as_json: bool, **options):
        if seller is not None:
            found = Seller.objects.filter(pk=seller).first()
            if found is None:
                raise CommandError(f"No seller #{seller}.")
        else:
            sellers = order_sellers(order_number=order_number)
            if not sellers:
                raise CommandError(f"Order {order_number} not found.")
            if len(sellers) > 1:
                raise CommandError(str(AmbiguousOrder(sellers).message))
            found = sellers[0]
        try:
            diagnosis = order_diagnose(
                seller=found, order_number=order_number, source=RunSource.COMMAND
            )
        except DiagnosticsError as error:
            raise CommandError(str(error.message)) from None
        if as_json:
            self.stdout.write(_dumps(diagnosis.as_json()))
            return
        self._print(diagnosis)

    def _print(self, diagnosis) -> None:
        out = self.stdout
        out.write(
            f"Order {diagnosis.order_number} · seller #{diagnosis.seller.pk} "
            f"{diagnosis.seller.company_name}"
        )
        if diagnosis.refusal is not None:
            out.write(
                f"Refused {diagnosis.refusal.at:%Y-%m-%d %H:%M} by {diagnosis.refusal.check_code}: "
                f"{diagnosis.refusal.message}"
            )
        elif diagnosis.shipment is not None:
            shipment = diagnosis.shipment
            out.write(
                f"Accepted: created as shipment {shipment.tracking_number} "
                f"{shipment.created_at:%Y-%m-%d %H:%M}, price ¥{shipment.quoted_total}, "
                f"charged ¥{shipment.charge}{' (free trial)' if shipment.is_trial else ''}"
            )
        if diagnosis.metrics_stale:
            out.write(
                self.style.WARNING(f"Platform metrics as of {diagnosis.metrics_as_of}: stale")
            )
        for step in diagnosis.steps():
            mark = {CheckStatus.PASS: "pass", CheckStatus.FAIL: "FAIL"}.get(step.status, "n/a ")
            out.write(f"  {mark}  {step.code:<30} {step.message or ''}")
            for label, value in step.evidence if step.status == CheckStatus.FAIL else []:
                out.write(f"          {label}: {value}")
        if diagnosis.shipment is not None:
            now = diagnosis.now_refused_by
            if now is None:
                out.write(self.style.SUCCESS("A new order with the same parcel would pass now."))
            else:
                out.write(self.style.WARNING(f"A new order would be refused now by: {now.code}"))
                out.write(f"Fix: {now.fix}")
            return
        cause = diagnosis.root_cause
        if cause is None:
            out.write(self.style.SUCCESS("Root cause: none, it would pass now."))
        else:
            out.write(self.style.WARNING(f"Root cause: {cause.code}"))
            out.write(f"Fix: {cause.fix}")


def _dumps(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
