"""The application follows its store: a transition of the store's service (the trial's
evaluation in shipments, the health check, a reinstatement, a rejection after the trial)
moves the application to the same status, with its own audit row, in the same
transaction. Registered on ``stores.hooks`` by ``OnboardingConfig.ready``."""

from stores.hooks import StoreTransition
from stores.models import Closure, StoreStatus

from .models import Application, ApplicationStatus
from .services.applications import application_transition


def application_status_of(*, store_status: str, closure: str = "") -> str:
    """The application status that mirrors a store's service status."""
    if store_status == StoreStatus.CLOSED:
        return (
            ApplicationStatus.REJECTED if closure == Closure.REJECTED else ApplicationStatus.CLOSED
        )
    in_service: dict[str, str] = {
        StoreStatus.TRIAL: ApplicationStatus.TRIAL,
        StoreStatus.TRIAL_REVIEW: ApplicationStatus.TRIAL_REVIEW,
        StoreStatus.ACTIVE: ApplicationStatus.ACTIVE,
    }
    return in_service[store_status]


def application_follow_store(transition: StoreTransition) -> None:
    application = Application.objects.filter(opened_store=transition.store).first()
    if application is None:
        return
    to_status = application_status_of(store_status=transition.to_status, closure=transition.closure)
    if application.status == to_status:
        return
    application_transition(
        application=application,
        to_status=to_status,
        actor=transition.actor,
        reason=transition.reason,
        data=transition.data,
    )
