"""The API's request shapes (checked here: types, required fields, no unknown field) and
its response shapes (declared here for the OpenAPI schema; the views build the bodies in
``representations``, the hot path's plain dicts). What a value must be beyond its shape (a
real country, an HS code of 6–10 digits, a US ZIP) is decided once, by the same
``parcel_build`` the form and the files use, and comes back as a 422 naming the field."""

import copy
import threading
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pricing.models import Region
from shipments.models import MAX_ITEMS, Incoterm, ShipmentStatus
from shipments.services.batches import MAX_BATCH_ORDERS
from webhooks.models import DeliveryStatus, EventType

_FIELDS = threading.local()


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (400, each named): an ERP's typo (``weigth_g``)
    is caught at once instead of being silently dropped.

    Its fields are built once per thread and place in the request's shape and copied
    shallowly for each instance: REST framework deep-copies (builds anew) a serializer's
    declared fields each time, 9 % of an API creation's CPU. The copy is what the instance
    binds; what it shares with the built field (validators, messages, a nested serializer's
    own fields) is only read while validating, in the language it was built for."""

    def get_fields(self) -> dict[str, serializers.Field]:
        cache: dict[tuple[Any, ...], dict[str, serializers.Field]] = vars(_FIELDS).setdefault(
            "by_place", {}
        )
        # Per language too: a validator's message is formatted once and kept (REST
        # framework's ``lazy_format``), in the language of the request that first failed it.
        place: list[Any] = [translation.get_language(), type(self)]
        node: Any = self
        while node.parent is not None:
            place.append((type(node.parent), node.field_name))
            node = node.parent
        built = cache.get(tuple(place))
        if built is None:
            built = cache[tuple(place)] = super().get_fields()
        return {name: copy.copy(field) for name, field in built.items()}

    def to_internal_value(self, data: Any) -> Any:
        unknown = (
            sorted(str(name) for name in data if name not in self.fields)
            if isinstance(data, dict)
            else []
        )
        errors: dict[str, Any] = {}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail
            errors = dict(detail) if isinstance(detail, dict) else {"non_field_errors": detail}
        for name in unknown:
            errors[name] = [serializers.ErrorDetail(_("Unknown field."), code="unknown_field")]
        if errors:
            raise serializers.ValidationError(errors)
        return value


def _text(max_length: int, *, required: bool = False, **kwargs: Any) -> serializers.CharField:
    if required:
        return StrictChar(max_length=max_length, **kwargs)
    return StrictChar(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": r"^-?\d{0,9}(?:\.\d{0,2})?$"},
            {"type": "number"},
        ]
    }
)
class DecimalInput(serializers.DecimalField):
    """A decimal as a JSON string ("12.50", exact) or number (12.5)."""


class StrictChar(serializers.CharField):
    """A JSON string (a number is not silently turned into one)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictEmail(serializers.EmailField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictInteger(serializers.IntegerField):
    """A JSON integer (not "500", not 500.5)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBoolean(serializers.BooleanField):
    """true or false, as JSON has them (not "yes", 1 or "on")."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ItemSerializer(StrictSerializer):
    description = _text(200, required=True, help_text="In English: what it is.")
    description_zh = _text(200)
    quantity = StrictInteger(min_value=1, max_value=100_000)
    unit_value = DecimalInput(
        max_digits=9, decimal_places=2, min_value=0, help_text="Per unit, in `currency`."
    )
    currency = _text(3, required=True, help_text="ISO 4217, e.g. USD.")
    unit_weight_g = StrictInteger(min_value=1, max_value=1_000_000)
    hs_code = _text(14, help_text="6 to 10 digits.")
    origin_country = StrictChar(max_length=2, required=False, default="CN")
    sku = _text(64)
    gtin = _text(14)
    mpn = _text(64)
    contains_battery = StrictBoolean(required=False, default=False)


class AddressSerializer(StrictSerializer):
    name = _text(100, required=True)
    phone = _text(30)
    email = StrictEmail(required=False, allow_blank=True, default="")
    address = _text(300, required=True)
    address2 = _text(300)
    city = _text(100, required=True)
    state = _text(60, help_text="Required where the destination needs it (US: CA).")
    postcode = _text(12)
    country = _text(2, required=True, help_text="ISO 3166-1 alpha-2, e.g. US.")


class DimensionsSerializer(StrictSerializer):
    length = DecimalInput(max_digits=6, decimal_places=1, min_value=0)
    width = DecimalInput(max_digits=6, decimal_places=1, min_value=0)
    height = DecimalInput(max_digits=6, decimal_places=1, min_value=0)


class ParcelFields(StrictSerializer):
    origin = serializers.ChoiceField(choices=Region.choices, default=Region.EAST)
    weight_g = StrictInteger(min_value=1, max_value=1_000_000)
    dimensions_cm = DimensionsSerializer(required=False, allow_null=True, default=None)
    green = StrictBoolean(
        required=False, default=False, help_text="Carried by a new-energy vehicle."
    )


class QuoteRequestSerializer(ParcelFields):
    country = _text(2, required=True)
    postcode = _text(12)
    state = _text(60)


class ShipmentRequestSerializer(ParcelFields):
    order_number = _text(64, required=True, help_text="The platform's order number.")
    recipient = AddressSerializer()
    items = ItemSerializer(many=True, min_length=1, max_length=MAX_ITEMS)
    incoterm = serializers.ChoiceField(choices=Incoterm.choices, default=Incoterm.DDU)
    ioss_number = _text(20, help_text="The marketplace's, for EU parcels up to €150.")
    uk_vat_number = _text(20, help_text="The marketplace's, for UK parcels up to £135.")


class BatchRequestSerializer(StrictSerializer):
    orders = ShipmentRequestSerializer(many=True, min_length=1, max_length=MAX_BATCH_ORDERS)


class CancelRequestSerializer(StrictSerializer):
    reason = _text(300)


class LabelsRequestSerializer(StrictSerializer):
    tracking_numbers = serializers.ListField(
        child=StrictChar(max_length=20), min_length=1, max_length=200
    )
    format = serializers.ChoiceField(choices=["pdf", "zpl"], default="pdf")


SIMULATED = [
    ShipmentStatus.PICKED_UP,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.CUSTOMS,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.EXCEPTION,
    ShipmentStatus.RETURNED,
]


class SimulateRequestSerializer(StrictSerializer):
    status = serializers.ChoiceField(
        choices=SIMULATED,
        required=False,
        allow_null=True,
        default=None,
        help_text="The status to move to; omitted, the next step of the journey.",
    )


class WebhookEndpointRequestSerializer(StrictSerializer):
    url = StrictChar(max_length=500)
    description = _text(200)
    enabled_events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.values),
        required=False,
        default=list,
        help_text="Empty: every event type.",
    )


class PageQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(
        required=False, allow_blank=True, help_text="next_cursor of the last page"
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=50)


# --- responses (for the schema) -------------------------------------------------------
class PriceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    lane = serializers.CharField()
    zone = serializers.CharField()
    chargeable_weight_g = serializers.IntegerField()
    volumetric_weight_g = serializers.IntegerField()
    fulfilment_score = serializers.CharField()
    base = serializers.CharField()
    fulfillment_adjustment = serializers.CharField()
    peak_adjustment = serializers.CharField()
    green_discount = serializers.CharField()
    total = serializers.CharField()
    charge = serializers.CharField(help_text="What is charged: the total, or 0.00 in the trial.")
    transit_days = serializers.IntegerField()


class QuoteSerializer(serializers.Serializer):
    livemode = serializers.BooleanField()
    price = PriceSerializer()


class ItemOutSerializer(serializers.Serializer):
    description = serializers.CharField()
    description_zh = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_value = serializers.CharField()
    currency = serializers.CharField()
    unit_weight_g = serializers.IntegerField()
    hs_code = serializers.CharField()
    origin_country = serializers.CharField()
    sku = serializers.CharField()
    gtin = serializers.CharField()
    mpn = serializers.CharField()
    contains_battery = serializers.BooleanField()


class EventOutSerializer(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    location = serializers.CharField()
    description = serializers.CharField()


class ShipmentSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    order_number = serializers.CharField()
    livemode = serializers.BooleanField()
    status = serializers.ChoiceField(choices=ShipmentStatus.choices)
    is_trial = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField()
    origin = serializers.CharField()
    recipient = AddressSerializer()
    weight_g = serializers.IntegerField()
    dimensions_cm = DimensionsSerializer(allow_null=True)
    incoterm = serializers.CharField()
    ioss_number = serializers.CharField()
    uk_vat_number = serializers.CharField()
    customs_form = serializers.CharField()
    declared_value = serializers.CharField()
    declared_currency = serializers.CharField()
    price = PriceSerializer()
    promised_by = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    label_url = serializers.CharField()


class ShipmentDetailSerializer(ShipmentSerializer):
    items = ItemOutSerializer(many=True)
    events = EventOutSerializer(many=True)


class ShipmentPageSerializer(serializers.Serializer):
    data = ShipmentSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)
    has_more = serializers.BooleanField()


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    code = serializers.CharField()
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    instance = serializers.CharField()
    errors = ProblemErrorSerializer(many=True, required=False)
    order_number = serializers.CharField(required=False)
    fix = serializers.CharField(required=False)
    fix_url = serializers.CharField(required=False, allow_null=True)
    evidence = serializers.DictField(required=False)
    diagnosis = serializers.CharField(required=False)


class BatchResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    order_number = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "refused", "invalid", "duplicate"])
    tracking_number = serializers.CharField(required=False)
    problem = ProblemSerializer(required=False)


class BatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    livemode = serializers.BooleanField()
    status = serializers.CharField()
    orders_total = serializers.IntegerField()
    orders_done = serializers.IntegerField()
    created = serializers.IntegerField()
    refused = serializers.IntegerField()
    invalid = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()
    results = BatchResultSerializer(many=True)


class RefusalSerializer(serializers.Serializer):
    order_number = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    evidence = serializers.DictField()
    refused_at = serializers.DateTimeField()
    source = serializers.CharField()
    diagnosis = serializers.CharField()


class RefusalPageSerializer(serializers.Serializer):
    data = RefusalSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)
    has_more = serializers.BooleanField()


class CheckSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    detail = serializers.CharField()
    evidence = serializers.DictField()
    fix = serializers.CharField()


class DiagnosisSerializer(serializers.Serializer):
    order_number = serializers.CharField()
    livemode = serializers.BooleanField()
    found = serializers.CharField()
    tracking_number = serializers.CharField(allow_null=True)
    root_cause = serializers.CharField(allow_null=True)
    passes_now = serializers.BooleanField()
    refusal = RefusalSerializer(allow_null=True)
    checks = CheckSerializer(many=True)


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    settlement = serializers.ChoiceField(choices=["instant", "monthly"])
    balance = serializers.CharField()
    open_period_charges = serializers.CharField()
    overdue_statement = serializers.CharField(allow_null=True)


class StatementSerializer(serializers.Serializer):
    number = serializers.CharField()
    period = serializers.CharField()
    issued_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    currency = serializers.CharField()
    total = serializers.CharField()
    paid = serializers.CharField()
    outstanding = serializers.CharField()
    state = serializers.CharField()
    lines = serializers.IntegerField()


class StatementListSerializer(serializers.Serializer):
    data = StatementSerializer(many=True)


class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    description = serializers.CharField()
    livemode = serializers.BooleanField()
    enabled_events = serializers.ListField(child=serializers.CharField())
    enabled = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    failing_since = serializers.DateTimeField(allow_null=True)
    disabled_at = serializers.DateTimeField(allow_null=True)
    previous_secret_until = serializers.DateTimeField(
        allow_null=True,
        help_text="After a rotation, the old secret signs too (a second signature) until then.",
    )


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="Shown once: verify signatures with it.")


class WebhookEndpointListSerializer(serializers.Serializer):
    data = WebhookEndpointSerializer(many=True)


class WebhookAttemptSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True, help_text="None: no answer.")
    error = serializers.CharField(help_text="Why there was no answer (timeout, refused …).")
    duration_ms = serializers.IntegerField()
    response_excerpt = serializers.CharField(help_text="The first 500 characters answered.")


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.CharField(help_text="The webhook-id header: the same on every try.")
    type = serializers.ChoiceField(choices=EventType.choices)
    status = serializers.ChoiceField(choices=DeliveryStatus.values)
    attempts = WebhookAttemptSerializer(many=True, help_text="Newest first.")
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class WebhookDeliveryPageSerializer(serializers.Serializer):
    data = WebhookDeliverySerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)
    has_more = serializers.BooleanField()
