"""The operations console for pricing: rate cards with their lanes and bands, zones, peak
seasons and the green discount.

A card in force (``effective_from`` ≤ today, Asia/Shanghai) is read-only with its lanes
and bands; the "duplicate as a new card" action makes the next version, which operations
edit until it takes effect. Nothing is deleted here.
"""

from __future__ import annotations

import datetime
from typing import Any, TypedDict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from accounts.models import User
from core.admin import NoDeleteAdmin
from core.forms import field_of
from core.timezones import today_shanghai

from .exceptions import PricingError
from .models import (
    GreenDiscount,
    Lane,
    Origin,
    PeakSeason,
    RateCard,
    WeightBand,
    Zone,
    ZoneCountry,
)
from .services import (
    rate_card_check_editable,
    rate_card_check_effective_from,
    rate_card_duplicate,
)


def _card_frozen(card: RateCard | None) -> bool:
    return card is not None and card.pk is not None and card.effective_from <= today_shanghai()


def _lane_frozen(lane: Lane | None) -> bool:
    return lane is not None and _card_frozen(lane.card)


# A lane as operations read it, in the card's inline and in the lanes' list.
LANE_FIELDS = (
    "origin",
    "zone",
    "service",
    "max_weight_g",
    "volumetric_divisor",
    "transit_days",
    "customs_clearance_hours",
    "accepts_batteries",
)


class LaneInline(admin.TabularInline[Lane, RateCard]):
    model = Lane
    extra = 0
    fields = LANE_FIELDS
    show_change_link = True
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Lane]:
        return super().get_queryset(request).select_related("zone", "origin")

    def has_change_permission(self, request: HttpRequest, obj: RateCard | None = None) -> bool:
        return not _card_frozen(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: RateCard | None = None) -> bool:
        return not _card_frozen(obj) and super().has_add_permission(request, obj)


class _CardFigures(TypedDict):
    """What RateCardAdmin.get_queryset annotates a card with."""

    _lane_count: int
    _in_force_pk: int | None


class RateCardForm(forms.ModelForm[RateCard]):
    def clean_effective_from(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["effective_from"]
        try:
            rate_card_check_effective_from(effective_from=value)
        except PricingError as error:
            raise ValidationError(error.message) from None
        return value


@admin.register(RateCard)
class RateCardAdmin(NoDeleteAdmin[RateCard]):
    list_display = ("name", "effective_from", "status", "lane_count", "created_by", "created_at")
    list_select_related = ("created_by",)
    list_filter = ("effective_from",)
    search_fields = ("name", "notes")
    date_hierarchy = "effective_from"
    fields = ("name", "effective_from", "notes", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    inlines = (LaneInline,)
    actions = ("duplicate_as_new_card",)
    # The date is checked on the form (a field error), and again by the service on save.
    form = RateCardForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[RateCard]:
        in_force = (
            RateCard.objects.filter(effective_from__lte=today_shanghai())
            .order_by("-effective_from")
            .values("pk")[:1]
        )
        return (
            super()
            .get_queryset(request)
            .annotate(_lane_count=Count("lanes"), _in_force_pk=Subquery(in_force))
        )

    @admin.display(description=_("lanes"), ordering="_lane_count")
    def lane_count(self, obj: WithAnnotations[RateCard, _CardFigures]) -> int:
        return obj._lane_count

    @admin.display(description=_("status"))
    def status(self, obj: WithAnnotations[RateCard, _CardFigures]) -> str:
        if obj.effective_from > today_shanghai():
            return gettext("Scheduled (editable)")
        return gettext("In force") if obj.pk == obj._in_force_pk else gettext("Superseded")

    def has_change_permission(self, request: HttpRequest, obj: RateCard | None = None) -> bool:
        return not _card_frozen(obj) and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: RateCard, form: RateCardForm, change: bool
    ) -> None:
        # The form already checked the date (RateCardForm); keep the service as the gate.
        rate_card_check_editable(card=obj)
        rate_card_check_effective_from(effective_from=obj.effective_from)
        if not change and isinstance(request.user, User):
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Duplicate as a new card"), permissions=["add"])
    def duplicate_as_new_card(self, request: HttpRequest, queryset: QuerySet[RateCard]) -> None:
        created = []
        for card in queryset.order_by("effective_from"):
            try:
                created.append(rate_card_duplicate(card=card, user=request.user))
            except PricingError as error:
                self.message_user(request, error.message, messages.ERROR)
                return
        self.message_user(
            request,
            ngettext(
                "%(count)d new card created, effective %(dates)s: edit it before that day.",
                "%(count)d new cards created, effective %(dates)s: edit them before then.",
                len(created),
            )
            % {
                "count": len(created),
                "dates": ", ".join(f"{c.effective_from:%Y-%m-%d}" for c in created),
            },
            messages.SUCCESS,
        )


class WeightBandFormSet(BaseInlineFormSet[WeightBand, Lane, forms.ModelForm[WeightBand]]):
    def clean(self) -> None:
        super().clean()
        bounds = [
            form.cleaned_data["up_to_g"]
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        max_weight = getattr(self.instance, "max_weight_g", None)
        if max_weight and bounds and max(bounds) < max_weight:
            raise ValidationError(
                gettext("The last band (%(bound)s g) must reach the maximum weight (%(max)s g).")
                % {"bound": max(bounds), "max": max_weight}
            )


class WeightBandInline(admin.TabularInline[WeightBand, Lane]):
    model = WeightBand
    formset = WeightBandFormSet
    fields = ("up_to_g", "price")
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Lane | None = None) -> bool:
        return not _lane_frozen(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Lane | None = None) -> bool:
        return not _lane_frozen(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Lane | None = None) -> bool:
        # Removing a band of a card not yet in force is an edit, and allowed.
        return not _lane_frozen(obj) and request.user.has_perm("pricing.change_weightband")


@admin.register(Lane)
class LaneAdmin(NoDeleteAdmin[Lane]):
    list_display = ("card", *LANE_FIELDS)
    list_select_related = ("card", "zone", "origin")
    list_filter = ("card", "origin", "zone", "service")
    search_fields = ("zone__code", "zone__name", "card__name", "origin__code", "origin__name")
    autocomplete_fields = ("zone", "origin")
    inlines = (WeightBandInline,)

    def has_change_permission(self, request: HttpRequest, obj: Lane | None = None) -> bool:
        return not _lane_frozen(obj) and super().has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: Lane, form: forms.ModelForm[Lane], change: bool
    ) -> None:
        rate_card_check_editable(card=obj.card)
        super().save_model(request, obj, form, change)

    def get_form(
        self, request: HttpRequest, obj: Lane | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Lane]]:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "card" in form.base_fields:
            card = field_of(form.base_fields, "card", forms.ModelChoiceField)
            card.queryset = RateCard.objects.filter(effective_from__gt=today_shanghai())
        return form


@admin.register(Origin)
class OriginAdmin(NoDeleteAdmin[Origin]):
    """Where lanes start: the Chinese regions and the overseas warehouses. A code is kept on
    every shipment from it, so it is read-only once saved."""

    list_display = ("code", "name", "kind", "country")
    list_filter = ("kind", "country")
    search_fields = ("code", "name")
    fields = ("code", "name", "kind", "country", "address")

    def get_readonly_fields(self, request: HttpRequest, obj: Origin | None = None) -> list[str]:
        return ["code", "kind"] if obj is not None and obj.pk else []


class ZoneCountryInline(admin.TabularInline[ZoneCountry, Zone]):
    model = ZoneCountry
    fields = ("country", "postcode_first_digits")
    extra = 0


@admin.register(Zone)
class ZoneAdmin(NoDeleteAdmin[Zone]):
    list_display = ("code", "name", "countries_list")
    search_fields = ("code", "name", "countries__country")
    inlines = (ZoneCountryInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Zone]:
        return super().get_queryset(request).prefetch_related("countries")

    @admin.display(description=_("countries"))
    def countries_list(self, obj: Zone) -> str:
        return format_html(
            "{}",
            ", ".join(
                f"{c.country} {c.postcode_first_digits}…" if c.postcode_first_digits else c.country
                for c in obj.countries.all()
            ),
        )


@admin.register(PeakSeason)
class PeakSeasonAdmin(NoDeleteAdmin[PeakSeason]):
    list_display = (
        "name",
        "start_month",
        "start_day",
        "end_month",
        "end_day",
        "surcharge_pct",
        "is_active",
    )
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(GreenDiscount)
class GreenDiscountAdmin(NoDeleteAdmin[GreenDiscount]):
    list_display = ("effective_from", "discount_pct")
    date_hierarchy = "effective_from"
