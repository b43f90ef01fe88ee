"""Everything that writes onboarding data. Split by sub-domain; import from here."""

from .applications import (
    application_check_can_submit,
    application_create,
    application_run_checks,
    application_submit,
    application_transition,
    application_update,
)
from .documents import (
    document_fields_enter,
    document_ocr_fail,
    document_ocr_finish,
    document_ocr_requeue_stuck,
    document_ocr_start,
    document_read,
    document_upload,
)
from .health import applications_health_check
from .renewal import (
    RenewalState,
    Scan,
    id_renewal_apply,
    id_renewal_can_upload,
    id_renewal_pending,
    id_renewal_upload,
)
from .review import (
    application_approve,
    application_check_can_approve,
    application_checks_to_override,
    application_reinstate,
    application_reject,
    application_request_changes,
    application_reveal_id_number,
)

__all__ = [
    "RenewalState",
    "Scan",
    "application_approve",
    "application_check_can_approve",
    "application_check_can_submit",
    "application_checks_to_override",
    "application_create",
    "application_reinstate",
    "application_reject",
    "application_request_changes",
    "application_reveal_id_number",
    "application_run_checks",
    "application_submit",
    "application_transition",
    "application_update",
    "applications_health_check",
    "document_fields_enter",
    "document_ocr_fail",
    "document_ocr_finish",
    "document_ocr_requeue_stuck",
    "document_ocr_start",
    "document_read",
    "document_upload",
    "id_renewal_apply",
    "id_renewal_can_upload",
    "id_renewal_pending",
    "id_renewal_upload",
]
