"""Shipments (运单), their tracking events, refused orders and bulk imports. DOMAIN.md §2."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from pricing.models import Region


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Created")
    LABEL_PRINTED = "label_printed", _("Label printed")
    PICKED_UP = "picked_up", _("Picked up")
    IN_TRANSIT = "in_transit", _("In transit")
    CUSTOMS = "customs", _("In customs")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Exception")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


S = ShipmentStatus

# Where a parcel may go from each status. Carrier events may skip steps forward (a scan
# can be missed), never backwards; an exception can resolve onward or end in a return.
SHIPMENT_TRANSITIONS: dict[str, set[str]] = {
    S.CREATED: {S.LABEL_PRINTED, S.PICKED_UP, S.IN_TRANSIT, S.EXCEPTION, S.CANCELLED},
    S.LABEL_PRINTED: {S.PICKED_UP, S.IN_TRANSIT, S.EXCEPTION, S.CANCELLED},
    S.PICKED_UP: {S.IN_TRANSIT, S.CUSTOMS, S.OUT_FOR_DELIVERY, S.DELIVERED, S.EXCEPTION},
    S.IN_TRANSIT: {S.CUSTOMS, S.OUT_FOR_DELIVERY, S.DELIVERED, S.EXCEPTION},
    S.CUSTOMS: {S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.EXCEPTION, S.RETURNED},
    S.OUT_FOR_DELIVERY: {S.DELIVERED, S.EXCEPTION},
    S.EXCEPTION: {S.IN_TRANSIT, S.CUSTOMS, S.OUT_FOR_DELIVERY, S.DELIVERED, S.RETURNED},
    S.DELIVERED: set(),
    S.RETURNED: set(),
    S.CANCELLED: set(),
}
# The lifecycle's order: a late event of an earlier step never moves a parcel back.
STATUS_RANK: dict[str, int] = {
    S.CREATED: 0,
    S.LABEL_PRINTED: 1,
    S.PICKED_UP: 2,
    S.IN_TRANSIT: 3,
    S.CUSTOMS: 4,
    S.OUT_FOR_DELIVERY: 5,
    S.EXCEPTION: 5,
    S.DELIVERED: 6,
    S.RETURNED: 6,
    S.CANCELLED: 7,
}
FINAL_STATUSES = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED})
# Before pickup a shipment can still be cancelled (and refunded).
CANCELLABLE_STATUSES = frozenset({S.CREATED, S.LABEL_PRINTED})


class Incoterm(models.TextChoices):
    DDU = "DDU", _("DDU: duties and taxes paid by the recipient")
    DDP = "DDP", _("DDP: duties and taxes paid by the seller")


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Shipment(models.Model):
    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.PROTECT, related_name="shipments"
    )
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=_("store"),
    )
    order_number = models.CharField(_("platform order number"), max_length=64)
    tracking_number = models.CharField(_("tracking number"), max_length=13, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ShipmentStatus.choices, default=S.CREATED
    )
    is_trial = models.BooleanField(_("trial shipment"), default=False)
    # A test-mode order (an API ``jl_test_`` key): the same gate and price, never charged,
    # numbered from the test range (``s10.TEST_PREFIX``), kept out of live lists.
    livemode = models.BooleanField(_("live"), default=True, db_default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"))

    # the parcel
    origin = models.CharField(_("origin region"), max_length=10, choices=Region.choices)
    recipient_name = models.CharField(_("recipient"), max_length=100)
    recipient_phone = models.CharField(_("recipient phone"), max_length=30, blank=True)
    recipient_email = models.EmailField(_("recipient e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300)
    address2 = models.CharField(_("address line 2"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    state = models.CharField(_("state or province"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=12, blank=True)
    country = models.CharField(_("country"), max_length=2)
    weight_g = models.PositiveIntegerField(_("weight (g)"))
    length_cm = models.DecimalField(
        _("length (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    width_cm = models.DecimalField(
        _("width (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    # Customs: the item lines (``ShipmentItem``) are the truth; the value and the contents
    # line are their sum and summary, worked out once at creation.
    contents = models.CharField(_("contents"), max_length=200)
    declared_value = money_field(_("declared value"))
    declared_currency = models.CharField(_("currency"), max_length=3, default="USD")
    incoterm = models.CharField(
        _("incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.DDU
    )
    ioss_number = models.CharField(_("IOSS number"), max_length=12, blank=True)
    uk_vat_number = models.CharField(_("UK VAT number"), max_length=14, blank=True)
    customs_form = models.CharField(_("customs form"), max_length=4, default="CN22")
    fx_rates = models.JSONField(
        _("exchange rates used"),
        default=dict,
        blank=True,
        help_text=_("CNY per unit of each currency the customs values were compared in."),
    )

    # the price, fixed at creation and never recomputed
    rate_card_id = models.PositiveIntegerField(_("rate card"))
    lane = models.CharField(_("lane"), max_length=60)
    zone = models.CharField(_("zone"), max_length=30)
    volumetric_weight_g = models.PositiveIntegerField(_("volumetric weight (g)"))
    chargeable_weight_g = models.PositiveIntegerField(_("chargeable weight (g)"))
    score = models.DecimalField(_("fulfilment score"), max_digits=5, decimal_places=2)
    peak_rate = models.DecimalField(_("peak surcharge rate"), max_digits=6, decimal_places=4)
    green_rate = models.DecimalField(_("green discount rate"), max_digits=6, decimal_places=4)
    base = money_field(_("base freight"))
    fulfillment_adjustment = money_field(_("fulfilment adjustment"))
    peak_adjustment = money_field(_("peak surcharge"))
    green_discount = money_field(_("green discount"))
    quoted_total = money_field(_("price"))
    charge = money_field(_("charge"))  # the price, or 0 for a trial shipment
    transit_days = models.PositiveSmallIntegerField(_("promised transit (days)"))
    customs_clearance_hours = models.PositiveSmallIntegerField(_("expected clearance (hours)"))

    # tracking
    label_printed_at = models.DateTimeField(_("label printed at"), null=True, blank=True)
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    promised_by = models.DateTimeField(_("promised delivery by"), null=True, blank=True)
    customs_since = models.DateTimeField(_("in customs since"), null=True, blank=True)
    customs_alerted_at = models.DateTimeField(_("customs alert sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One shipment per platform order, in live and in test mode apart: an ERP tests
            # with the order numbers it will ship.
            models.UniqueConstraint(
                fields=["seller", "livemode", "order_number"],
                name="shipment_one_per_seller_mode_order",
            ),
            models.CheckConstraint(condition=Q(weight_g__gt=0), name="shipment_weight_positive"),
            models.CheckConstraint(
                condition=Q(chargeable_weight_g__gte=F("weight_g")),
                name="shipment_chargeable_at_least_actual",
            ),
            models.CheckConstraint(
                condition=Q(
                    quoted_total=F("base")
                    + F("fulfillment_adjustment")
                    + F("peak_adjustment")
                    + F("green_discount")
                ),
                name="shipment_breakdown_adds_up",
            ),
            models.CheckConstraint(
                condition=(Q(is_trial=True) & Q(charge=0))
                | (Q(is_trial=False) & Q(charge=F("quoted_total"))),
                name="shipment_charge_is_price_or_free_trial",
            ),
            models.CheckConstraint(condition=Q(charge__gte=0), name="shipment_charge_not_negative"),
        ]
        indexes = [
            models.Index(
                fields=["seller", "livemode", "-created_at", "-id"],
                name="shipment_seller_mode_recent",
            ),
            models.Index(fields=["seller", "status"], name="shipment_seller_status"),
            models.Index(fields=["store", "is_trial"], name="shipment_store_trial"),
            models.Index(
                fields=["status", "customs_since"],
                name="shipment_in_customs",
                condition=Q(status="customs"),
            ),
            # operations' changelist filtered by status, newest first, across sellers
            models.Index(fields=["status", "-created_at", "-id"], name="shipment_status_recent"),
            # the dashboard's on-time rate: a seller's deliveries of the last 30 days
            models.Index(
                fields=["seller", "delivered_at"],
                name="shipment_seller_delivered",
                condition=Q(delivered_at__isnull=False),
            ),
            # Operations search every seller's shipments by order or tracking number, exact
            # or by its beginning: pattern_ops serve both = and LIKE 'x%' in any collation.
            models.Index(
                fields=["order_number"],
                name="shipment_order_number_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(
                fields=["tracking_number"],
                name="shipment_tracking_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} ({self.order_number})"

    @property
    def dims_cm(self):
        if self.length_cm is None:
            return None
        return (self.length_cm, self.width_cm, self.height_cm)


MAX_ITEMS = 200


class ShipmentItem(models.Model):
    """One line of the parcel's contents, as declared to customs (CN22/CN23)."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="items", verbose_name=_("shipment")
    )
    position = models.PositiveSmallIntegerField(_("line"))
    description = models.CharField(_("description (English)"), max_length=200)
    description_zh = models.CharField(_("description (Chinese)"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_value = money_field(_("unit value"))
    currency = models.CharField(_("currency"), max_length=3)
    unit_weight_g = models.PositiveIntegerField(_("unit weight (g)"))
    hs_code = models.CharField(_("HS code"), max_length=10, blank=True)
    origin_country = models.CharField(_("country of origin"), max_length=2, default="CN")
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    gtin = models.CharField(_("GTIN/EAN"), max_length=14, blank=True)
    mpn = models.CharField(_("manufacturer part number"), max_length=64, blank=True)
    contains_battery = models.BooleanField(_("contains lithium batteries"), default=False)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["shipment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "position"], name="shipment_item_line"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=MAX_ITEMS),
                name="shipment_item_position_range",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="shipment_item_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_value__gt=0), name="shipment_item_value_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_weight_g__gte=1), name="shipment_item_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(hs_code="") | models.Q(hs_code__regex=r"^[0-9]{6,10}$"),
                name="shipment_item_hs_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.description}"

    @property
    def value(self):
        return self.unit_value * self.quantity


class EventSource(models.TextChoices):
    PORTAL = "portal", _("Portal")
    WEBHOOK = "webhook", _("Carrier webhook")
    IMPORT = "import", _("Tracking file")
    ADMIN = "admin", _("Operations")
    SIMULATOR = "simulator", _("Test-mode simulator")


class ShipmentEvent(models.Model):
    """One thing that happened to a parcel: a carrier scan or a portal action. Carrier events
    carry the carrier's id and are stored once; an event that would move the parcel
    backwards is kept for the timeline but does not change its status (``applied`` false)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(_("event ID"), max_length=100, null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=ShipmentStatus.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    at = models.DateTimeField(_("happened at"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=EventSource.choices)
    applied = models.BooleanField(_("changed the status"), default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["shipment", "at"], name="event_shipment_at")]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} @ {self.at:%Y-%m-%d %H:%M}"


class RefusedOrder(models.Model):
    """An order the gate refused: nothing was created, but the order number alone is enough
    for the diagnostics tool to explain why."""

    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="refused_orders"
    )
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store"),
    )
    order_number = models.CharField(_("platform order number"), max_length=64)
    check_code = models.CharField(_("refused by check"), max_length=40)
    message = models.TextField(_("message"))
    evidence = models.JSONField(_("evidence"), default=dict)
    parcel = models.JSONField(_("parcel"), default=dict)
    source = models.CharField(_("source"), max_length=10, default="web")  # web, bulk, api
    livemode = models.BooleanField(_("live"), default=True, db_default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("refused at"), db_index=True)

    class Meta:
        verbose_name = _("refused order")
        verbose_name_plural = _("refused orders")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["seller", "order_number", "-at"], name="refused_seller_order"),
            models.Index(fields=["check_code", "at"], name="refused_code_at"),
        ]

    def __str__(self) -> str:
        return f"{self.order_number}: {self.check_code}"


class ImportStatus(models.TextChoices):
    PREVIEWING = "previewing", _("Checking the file")
    PREVIEWED = "previewed", _("Waiting for your confirmation")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class ShipmentImport(models.Model):
    """A bulk file of orders, processed by a Celery task. Valid rows become shipments,
    every other row is reported with its reason; a file that cannot be read at all
    (encoding, missing columns) creates nothing."""

    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="shipment_imports"
    )
    # None while the seller's application is not approved: every row is then refused by
    # the gate's service check, and reported.
    store = models.ForeignKey(
        "stores.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(_("stored file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows refused"), default=0)
    shipments_created = models.PositiveIntegerField(_("shipments created"), default=0)
    # The file's own header, repeated in the error report so that it can be fixed and sent
    # again; and what the preview found before anything was spent.
    header = models.JSONField(_("header"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    error = models.TextField(_("why the file failed"), blank=True)
    report_name = models.CharField(_("error report"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment file")
        verbose_name_plural = _("shipment files")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rows_done__lte=F("rows_total")), name="import_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


class Notification(models.Model):
    """A message sent to a seller by SMS or e-mail (customs alerts), kept so that each
    hold is announced once and support can see what the seller was told."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} → {self.recipient}"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ShipmentBatch(models.Model):
    """Up to 1,000 orders sent at once by a seller's system (``POST /api/v1/batches``),
    created by a Celery task in committed chunks, with one result per order: its tracking
    number, its refusal by the gate, or what is wrong with it. The orders are kept encrypted
    (recipients' names and addresses) until the batch is done."""

    seller = models.ForeignKey(
        "accounts.Seller", on_delete=models.CASCADE, related_name="shipment_batches"
    )
    store = models.ForeignKey(
        "stores.Store", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    livemode = models.BooleanField(_("live"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    orders_total = models.PositiveIntegerField(_("orders"))
    orders_done = models.PositiveIntegerField(_("orders processed"), default=0)
    created_count = models.PositiveIntegerField(_("shipments created"), default=0)
    refused_count = models.PositiveIntegerField(_("orders refused"), default=0)
    invalid_count = models.PositiveIntegerField(_("orders not valid"), default=0)
    orders_encrypted = models.BinaryField(_("orders (encrypted)"), editable=False, default=b"")
    results = models.JSONField(_("results"), default=list, blank=True)
    error = models.TextField(_("why the batch failed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch of orders")
        verbose_name_plural = _("batches of orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orders_done__lte=F("orders_total")), name="batch_done_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.orders_total})"
