from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.mixins import seller_required
from accounts.models import User

from .exceptions import SettlementError
from .exports.company import CARRIER
from .forms import LowBalanceAlertForm, SettlementSwitchForm
from .models import SettlementMode
from .selectors import (
    StatementState,
    settlement_get,
    statement_get_for_seller,
    statements_for_seller,
)
from .selectors_exports import ledger_entries_page, seller_transfer_reference
from .services import (
    settlement_low_balance_alert_set,
    settlement_mode_switch,
    settlement_mode_switch_rule,
)
from .services.exports import STATEMENT_FORMATS, statement_export

# The billing page lists this many statements (two years of months), newest first.
STATEMENTS_SHOWN = 24
ENTRIES_PER_PAGE = 20
LINES_PER_PAGE = 100


@seller_required
@require_GET
def index(request):
    """Mode and what switching means, balance, recent ledger entries (keyset pages),
    statements with their state and downloads, how to top up."""
    seller = request.user.seller
    settlement = settlement_get(seller=seller)
    other_mode = (
        SettlementMode.MONTHLY
        if settlement.mode == SettlementMode.INSTANT
        else SettlementMode.INSTANT
    )
    page = ledger_entries_page(
        seller=seller, before=request.GET.get("before"), size=ENTRIES_PER_PAGE
    )
    statements = [
        (statement, StatementState.LABELS[statement.state])
        for statement in statements_for_seller(seller=seller)[:STATEMENTS_SHOWN]
    ]
    return render(
        request,
        "billing/index.html",
        {
            "settlement": settlement,
            "mode_label": SettlementMode(settlement.mode).label,
            "other_mode_label": SettlementMode(other_mode).label,
            "switch_rule": settlement_mode_switch_rule(to_mode=other_mode),
            "switch_form": SettlementSwitchForm(initial={"mode": other_mode}),
            "alert_form": LowBalanceAlertForm(initial={"threshold": settlement.low_balance_alert}),
            "can_switch": request.user.seller_role == User.SellerRole.OWNER,
            "entries": page.entries,
            "next_cursor": page.next_cursor,
            "paging": bool(request.GET.get("before")),
            "statements": statements,
            "formats": STATEMENT_FORMATS,
            "transfer_reference": seller_transfer_reference(seller=seller),
            "payee": CARRIER,
        },
    )


@seller_required
@require_POST
def settlement_switch(request):
    """The seller's owner switches the settlement mode (the page said what it means)."""
    if request.user.seller_role != User.SellerRole.OWNER:
        messages.error(request, _("Only the account owner can switch the settlement mode."))
        return redirect("billing:index")
    form = SettlementSwitchForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Tick the box to confirm that you have read what the switch means.")
        )
        return redirect("billing:index")
    mode = form.cleaned_data["mode"]
    try:
        settlement_mode_switch(
            seller=request.user.seller,
            mode=mode,
            user=request.user,
            reason=_("Switched by the seller on the billing page."),
        )
    except SettlementError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, settlement_mode_switch_rule(to_mode=mode))
    return redirect("billing:index")


@seller_required
@require_POST
def low_balance_alert(request):
    """The owner sets the balance under which the team is told (empty: never)."""
    if request.user.seller_role != User.SellerRole.OWNER:
        messages.error(request, _("Only the account owner can set the balance alert."))
        return redirect("billing:index")
    form = LowBalanceAlertForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("billing:index")
    threshold = settlement_low_balance_alert_set(
        seller=request.user.seller, amount=form.cleaned_data["threshold"], user=request.user
    )
    if threshold is None:
        messages.success(request, _("No balance alert: you will not be told when it runs low."))
    else:
        messages.success(
            request,
            _("You will be told when the prepaid balance falls below ¥%(threshold)s.")
            % {"threshold": threshold},
        )
    return redirect("billing:index")


@seller_required
@require_GET
def statement_detail(request, pk: int):
    """One of the seller's statements with its lines, LINES_PER_PAGE at a time (keyset on
    the line's position)."""
    statement = statement_get_for_seller(seller=request.user.seller, pk=pk)
    try:
        after = max(int(request.GET.get("after", 0)), 0)
    except ValueError:
        after = 0
    lines = list(
        statement.lines.filter(position__gt=after).order_by("position")[: LINES_PER_PAGE + 1]
    )
    more = len(lines) > LINES_PER_PAGE
    lines = lines[:LINES_PER_PAGE]
    return render(
        request,
        "billing/statement.html",
        {
            "statement": statement,
            "state_label": StatementState.LABELS[statement.state],
            "lines": lines,
            "next_after": lines[-1].position if more else None,
            "paging": after > 0,
            "formats": STATEMENT_FORMATS,
        },
    )


@seller_required
@require_GET
def statement_download(request, pk: int, fmt: str):
    """The seller's own statement as PDF, XLSX or CSV; another seller's is a 404."""
    if fmt not in STATEMENT_FORMATS:
        raise Http404
    statement = statement_get_for_seller(seller=request.user.seller, pk=pk)
    export = statement_export(statement=statement, fmt=fmt)
    response = FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=export.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
