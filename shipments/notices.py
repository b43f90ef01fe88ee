"""What shipments tell sellers (``notifications.kinds``): a file of orders has finished."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.kinds import notification_kind
from notifications.services import notification_send

from .models import ImportStatus, ShipmentImport

notification_kind(
    "import_done",
    subject=_("%(file)s: %(created)s shipments created, %(failed)s rows refused"),
    body=_(
        "Your file %(file)s is processed: %(created)s of its %(total)s rows became shipments, "
        "%(failed)s were refused. The file's page has the report of the refused rows, each "
        "with its reason."
    ),
)
notification_kind(
    "import_failed",
    subject=_("%(file)s could not be processed"),
    body=_(
        "Your file %(file)s stopped: %(error)s Shipments already created from it stay; the "
        "file's page says what to do."
    ),
)


def import_finished_notify(shipment_import: ShipmentImport) -> None:
    """Tell the seller a file of orders is done (or failed), once per file; inside the
    transaction that finishes it."""
    failed = shipment_import.status == ImportStatus.FAILED
    notification_send(
        seller=shipment_import.seller,
        kind="import_failed" if failed else "import_done",
        key=f"import:{shipment_import.pk}:finished",
        params={
            "file": shipment_import.file_name,
            "total": shipment_import.rows_total,
            "created": shipment_import.rows_created,
            "failed": shipment_import.rows_failed,
            "error": shipment_import.error,
        },
        url=reverse("shipments:import", args=[shipment_import.pk]),
    )
