from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.mixins import seller_required

from .forms import RegistrationsForm
from .models import RegistrationKind
from .selectors import registrations_of
from .services import tax_registration_set
from .validation import InvalidCustomsInput


@seller_required
@require_http_methods(["GET", "POST"])
def registrations(request: HttpRequest) -> HttpResponse:
    """The seller's IOSS, UK VAT and EORI numbers, used when an order carries none."""
    seller = request.user.seller  # type: ignore[union-attr]
    current = registrations_of(seller=seller)
    form = RegistrationsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for kind in RegistrationKind.values:
                    tax_registration_set(seller=seller, kind=kind, number=form.cleaned_data[kind])
        except InvalidCustomsInput as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your registrations are saved."))
            return redirect("customs:registrations")
    return render(request, "customs/registrations.html", {"form": form})
