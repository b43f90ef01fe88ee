"""The quote calculator: the price of a parcel, from query parameters; nothing is written."""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.mixins import seller_of, seller_required
from core.timezones import today_shanghai
from stores.selectors import fulfilment_score_for_seller

from .exceptions import QuoteRefused
from .forms import QuoteForm
from .rates import pricing_table
from .services import quote

# A seller whose store has no metrics yet is quoted at the full score.
DEFAULT_SCORE = Decimal(100)


@seller_required
@require_GET
def quote_calculator(request: HttpRequest) -> HttpResponse:
    """The price of a parcel, from query parameters: nothing is written."""
    form = QuoteForm(request.GET or None, served_countries=pricing_table().served_countries)
    result = refusal = None
    seller_score = fulfilment_score_for_seller(seller=seller_of(request))
    own_score = seller_score is not None
    score = seller_score if seller_score is not None else DEFAULT_SCORE
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = quote(
                origin=data["origin"],
                country=data["country"],
                postcode=data["postcode"],
                weight_g=data["weight_g"],
                dims_cm=data["dims_cm"],
                score=score,
                on_date=today_shanghai(),
                green=data["green"],
            )
        except QuoteRefused as refused:
            refusal = refused.message
    return render(
        request,
        "pricing/quote.html",
        {
            "form": form,
            "quote": result,
            "refusal": refusal,
            "score": score,
            "own_score": own_score,
        },
    )
