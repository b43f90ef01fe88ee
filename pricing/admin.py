"""The operations console for pricing: rate cards with their lanes and bands, zones, peak
seasons and the green discount.

A card in force (``effective_from`` ≤ today, Asia/Shanghai) is read-only with its lanes
and bands; the "duplicate as a new card" action makes the next version, which operations
edit until it takes effect. Nothing is deleted here.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Subquery
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import NoDeleteAdmin
from core.timezones import today_shanghai

from .exceptions import PricingError
from .models import (
    GreenDiscount,
    Lane,
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


class LaneInline(admin.TabularInline):
    model = Lane
    extra = 0
    fields = LANE_FIELDS
    show_change_link = True
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("zone")

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj) and super().has_add_permission(request, obj)


@admin.register(RateCard)
class RateCardAdmin(NoDeleteAdmin):
    list_display = ("name", "effective_from", "status", "lane_count", "created_by", "created_at")
    list_select_related = ("created_by",)
    list_filter = ("effective_from",)
    search_fields = ("name", "notes")
    date_hierarchy = "effective_from"
    fields = ("name", "effective_from", "notes", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")
    inlines = (LaneInline,)
    actions = ("duplicate_as_new_card",)

    def get_queryset(self, request):
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
    def lane_count(self, obj: RateCard) -> int:
        return obj._lane_count

    @admin.display(description=_("status"))
    def status(self, obj: RateCard) -> str:
        if obj.effective_from > today_shanghai():
            return gettext("Scheduled (editable)")
        return gettext("In force") if obj.pk == obj._in_force_pk else gettext("Superseded")

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        # The form already checked the date (see get_form); keep the service as the gate.
        rate_card_check_editable(card=obj)
        rate_card_check_effective_from(effective_from=obj.effective_from)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RateCardForm(form):
            def clean_effective_from(self):
                value = self.cleaned_data["effective_from"]
                try:
                    rate_card_check_effective_from(effective_from=value)
                except PricingError as error:
                    raise ValidationError(error.message) from None
                return value

        return RateCardForm

    @admin.action(description=_("Duplicate as a new card"), permissions=["add"])
    def duplicate_as_new_card(self, request, queryset):
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


class WeightBandFormSet(BaseInlineFormSet):
    def clean(self):
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


class WeightBandInline(admin.TabularInline):
    model = WeightBand
    formset = WeightBandFormSet
    fields = ("up_to_g", "price")
    extra = 0

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj and obj.card) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj and obj.card) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Removing a band of a card not yet in force is an edit, and allowed.
        return not _card_frozen(obj and obj.card) and request.user.has_perm(
            "pricing.change_weightband"
        )


@admin.register(Lane)
class LaneAdmin(NoDeleteAdmin):
    list_display = ("card", *LANE_FIELDS)
    list_select_related = ("card", "zone")
    list_filter = ("card", "origin", "zone", "service")
    search_fields = ("zone__code", "zone__name", "card__name")
    autocomplete_fields = ("zone",)
    inlines = (WeightBandInline,)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _card_frozen(obj and obj.card) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        rate_card_check_editable(card=obj.card)
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "card" in form.base_fields:
            form.base_fields["card"].queryset = RateCard.objects.filter(
                effective_from__gt=today_shanghai()
            )
        return form


class ZoneCountryInline(admin.TabularInline):
    model = ZoneCountry
    fields = ("country", "postcode_first_digits")
    extra = 0


@admin.register(Zone)
class ZoneAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "countries_list")
    search_fields = ("code", "name", "countries__country")
    inlines = (ZoneCountryInline,)

    def get_queryset(self, request):
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
class PeakSeasonAdmin(NoDeleteAdmin):
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
class GreenDiscountAdmin(NoDeleteAdmin):
    list_display = ("effective_from", "discount_pct")
    date_hierarchy = "effective_from"
