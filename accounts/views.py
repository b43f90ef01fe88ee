from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .exceptions import AccountError
from .forms import AlertPhoneForm, MemberAddForm
from .mixins import seller_required
from .models import User
from .phones import mobile_display
from .selectors import seller_users
from .services import (
    seller_alert_phone_set,
    seller_member_add,
    seller_member_set_active,
)


@seller_required
@require_http_methods(["GET", "POST"])
def team(request):
    """The seller's users. The owner adds staff members and switches them off."""
    seller = request.user.seller
    is_owner = request.user.seller_role == User.SellerRole.OWNER
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                member = seller_member_add(
                    seller=seller,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    request=request,
                )
            except AccountError as error:
                form.add_error("email", error.message)
            else:
                messages.success(
                    request,
                    _("%(email)s was added and received a link to choose a password.")
                    % {"email": member.email},
                )
                return redirect("accounts:team")
    return _team_page(request, form=form, phone_form=AlertPhoneForm(initial=_phone_initial(seller)))


def _phone_initial(seller) -> dict:
    return {"phone": mobile_display(seller.alert_phone)}


def _team_page(request, *, form, phone_form):
    seller = request.user.seller
    return render(
        request,
        "accounts/team.html",
        {
            "form": form,
            "phone_form": phone_form,
            "members": seller_users(seller=seller),
            "is_owner": request.user.seller_role == User.SellerRole.OWNER,
            "alert_phone": mobile_display(seller.alert_phone),
        },
    )


@seller_required
@require_POST
def team_alert_phone(request):
    """The owner sets the mobile number that customs alerts go to by SMS."""
    seller = request.user.seller
    if request.user.seller_role != User.SellerRole.OWNER:
        raise PermissionDenied
    phone_form = AlertPhoneForm(request.POST)
    if phone_form.is_valid():
        seller_alert_phone_set(
            seller=seller, actor=request.user, phone=phone_form.cleaned_data["phone"]
        )
        if seller.alert_phone:
            messages.success(
                request,
                _("Customs alerts now also go by SMS to %(phone)s.")
                % {"phone": mobile_display(seller.alert_phone)},
            )
        else:
            messages.success(request, _("Customs alerts now go by e-mail only."))
        return redirect("accounts:team")
    return _team_page(request, form=MemberAddForm(), phone_form=phone_form)


@seller_required
@require_POST
def team_member_active(request, pk: int):
    member = get_object_or_404(User, pk=pk, seller=request.user.seller)
    try:
        seller_member_set_active(
            seller=request.user.seller,
            actor=request.user,
            member=member,
            active=request.POST.get("active") == "1",
        )
    except AccountError as error:
        messages.error(request, error.message)
    return redirect("accounts:team")
