import datetime
from typing import Any, TypedDict

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.mixins import seller_required
from platforms.health import health_lines
from platforms.models import SEARCH_BOOST_SCORE, Platform
from platforms.selectors import (
    metrics_age_days,
    metrics_are_stale,
    store_metrics_latest_for_many,
)

from .exceptions import ApplicationIncomplete, OnboardingError
from .forms import STEPS, DocumentUploadForm
from .letters import LetterParty, agency_authorisation_letter_pdf, authorisation_letter_pdf
from .models import MAX_DOCUMENT_BYTES, DocumentKind
from .selectors import (
    application_get_for_seller,
    application_list_for_seller,
    application_progress,
    document_get_for_user,
    document_list_history,
)
from .services import (
    RenewalState,
    Scan,
    application_check_can_submit,
    application_create,
    application_submit,
    application_update,
    document_read,
    document_upload,
    id_renewal_apply,
    id_renewal_can_upload,
    id_renewal_pending,
    id_renewal_upload,
)

# A fulfilment score of 98 or more earns a 5 % search-traffic boost on AliExpress.


@seller_required
@require_GET
def index(request):
    applications = application_list_for_seller(seller=request.user.seller)
    return render(request, "onboarding/index.html", {"applications": applications})


@seller_required
@require_POST
def application_new(request):
    application = application_create(seller=request.user.seller)
    return redirect("onboarding:step", pk=application.pk, step="company")


@seller_required
@require_GET
def application_detail(request, pk: int):
    application = application_get_for_seller(seller=request.user.seller, pk=pk)
    return render(
        request,
        "onboarding/application.html",
        {
            "application": application,
            "progress": application_progress(application=application),
            "problems": application_check_can_submit(application=application)
            if application.is_editable
            else [],
            "steps": STEPS,
        },
    )


@seller_required
@require_http_methods(["GET", "POST"])
def application_step(request, pk: int, step: str):
    application = application_get_for_seller(seller=request.user.seller, pk=pk)
    form_class = STEPS.get(step)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        try:
            application_update(
                application=application,
                data={name: form.cleaned_data[name] for name in form._meta.fields or ()},
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved as a draft."))
            names = list(STEPS)
            following = names.index(step) + 1
            if "next" in request.POST and following < len(names):
                return redirect("onboarding:step", pk=pk, step=names[following])
            if "next" in request.POST:
                return redirect("onboarding:documents", pk=pk)
            return redirect("onboarding:step", pk=pk, step=step)
    return render(
        request,
        "onboarding/step.html",
        {"application": application, "form": form, "step": step, "steps": STEPS},
    )


@seller_required
@require_http_methods(["GET", "POST"])
def application_documents(request, pk: int):
    application = application_get_for_seller(seller=request.user.seller, pk=pk)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            try:
                document = document_upload(
                    application=application,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    name=upload.name,
                    data=upload.read(),
                )
            except OnboardingError as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request, _("%(kind)s uploaded.") % {"kind": document.get_kind_display()}
                )
                return redirect("onboarding:documents", pk=pk)
    return render(
        request,
        "onboarding/documents.html",
        {
            "application": application,
            "form": form,
            "progress": application_progress(application=application),
            "history": document_list_history(application=application)[:50],
            "steps": STEPS,
        },
    )


@seller_required
@require_POST
def application_submit_view(request, pk: int):
    application = application_get_for_seller(seller=request.user.seller, pk=pk)
    try:
        application_submit(application=application, actor=request.user)
    except ApplicationIncomplete as error:
        for problem in error.problems:
            messages.error(request, problem)
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Submitted. We are reading your documents now."))
    return redirect("onboarding:application", pk=pk)


@never_cache
@seller_required
@require_GET
def application_progress_json(request, pk: int):
    application = application_get_for_seller(seller=request.user.seller, pk=pk)
    return JsonResponse(application_progress(application=application))


class _LetterDetails(TypedDict):
    """What both authorisation letters take besides the agency."""

    seller: LetterParty
    platform_label: str
    store_id: str
    issued_on: datetime.date
    reference: str


def _party(application) -> LetterParty:
    return LetterParty(
        company_name=application.company_name,
        uscc=application.uscc,
        address=application.registered_address,
        legal_representative=application.legal_rep_name,
    )


@seller_required
@require_GET
def application_letter(request, pk: int, kind: str):
    """The authorisation letter, filled in, for the seller to print, stamp and upload."""
    application = application_get_for_seller(seller=request.user.seller, pk=pk)
    common: _LetterDetails = {
        "seller": _party(application),
        "platform_label": application.get_platform_display() or "",
        "store_id": application.store_id,
        "issued_on": timezone.localdate(),
        "reference": application.reference,
    }
    if kind == DocumentKind.AUTHORISATION:
        pdf, filename = authorisation_letter_pdf(**common), "物流服务授权书"
    elif kind == DocumentKind.AGENCY_AUTHORISATION and application.is_agency:
        agency = LetterParty(
            company_name=application.agency_company_name,
            uscc=application.agency_uscc,
            address=application.agency_address,
            legal_representative=application.agency_legal_rep,
        )
        pdf, filename = (
            agency_authorisation_letter_pdf(agency=agency, **common),
            "委托物流服务授权书",
        )
    else:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{filename}-{application.reference}.pdf"
    )
    return response


@require_GET
def document_download(request, pk: int):
    """Streams a document to its seller, or to staff allowed to see it (logged)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = document_get_for_user(user=request.user, pk=pk)
    if document is None:
        raise Http404
    data = document_read(
        document=document, user=request.user, ip_address=request.META.get("REMOTE_ADDR")
    )
    response = HttpResponse(data, content_type=document.content_type)
    disposition = content_disposition_header(
        bool(request.GET.get("download")), document.original_name
    )
    if disposition is not None:  # None only for a document without a name, shown inline
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@seller_required
@require_GET
def health(request):
    """The fulfilment health self-check, per store, against the thresholds."""
    applications = [
        a
        for a in application_list_for_seller(seller=request.user.seller)
        if a.store_id and a.status != "rejected"
    ]
    latest = store_metrics_latest_for_many([(a.platform, a.store_id) for a in applications])
    stores = []
    for application in applications:
        metrics = latest.get((application.platform, application.store_id))
        stores.append(
            {
                "application": application,
                "metrics": metrics,
                "lines": health_lines(metrics),
                "aliexpress": application.platform == Platform.ALIEXPRESS,
                "boost": application.platform == Platform.ALIEXPRESS
                and metrics is not None
                and metrics.fulfilment_score >= SEARCH_BOOST_SCORE,
                "stale": metrics is not None and metrics_are_stale(as_of=metrics.as_of),
                "age_days": metrics_age_days(as_of=metrics.as_of) if metrics else None,
            }
        )
    return render(
        request, "onboarding/health.html", {"stores": stores, "boost_score": SEARCH_BOOST_SCORE}
    )


class IdRenewalForm(forms.Form):
    """The renewed ID card of the legal representative: the back (validity) and the front."""

    back = forms.FileField(
        label=_("ID card, back (validity period)"),
        help_text=_("JPEG, PNG or PDF, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )
    front = forms.FileField(
        label=_("ID card, front (name and number)"),
        required=False,
        help_text=_("Upload it too if the new card has a new front."),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("back", "front"):
            upload = data.get(name)
            if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
                self.add_error(name, _("The file is larger than 10 MB."))
        return data


@seller_required
@require_http_methods(["GET", "POST"])
def id_renewal(request, pk: int):
    """A store past approval uploads its renewed ID card; once read, it is applied."""
    application = application_get_for_seller(seller=request.user.seller, pk=pk)
    if not id_renewal_can_upload(application=application):
        messages.info(request, _("Until approval, change the ID card in the application."))
        return redirect("onboarding:documents", pk=pk)
    form = IdRenewalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "apply" in request.POST:
        outcome = id_renewal_apply(application=application, actor=request.user)
        if outcome.state == RenewalState.APPLIED:
            messages.success(request, _("The renewed ID card is on file."))
        elif outcome.message:
            messages.warning(request, outcome.message)
        return redirect("onboarding:id_renewal", pk=pk)
    if request.method == "POST" and form.is_valid():
        back, front = form.cleaned_data["back"], form.cleaned_data.get("front")
        try:
            id_renewal_upload(
                application=application,
                user=request.user,
                back=Scan(back.name, back.read()),
                front=Scan(front.name, front.read()) if front else None,
            )
        except OnboardingError as error:
            form.add_error("back", error.message)
        else:
            messages.success(request, _("Uploaded. We are reading the card now."))
            return redirect("onboarding:id_renewal", pk=pk)
    progress = application_progress(application=application)
    id_documents = [d for d in progress["documents"] if d["kind"] in ("id_back", "id_front")]
    return render(
        request,
        "onboarding/id_renewal.html",
        {
            "application": application,
            "form": form,
            "id_documents": id_documents,
            "reading": any(d["ocr_status"] in ("queued", "reading") for d in id_documents),
            "pending": id_renewal_pending(application=application),
        },
    )
