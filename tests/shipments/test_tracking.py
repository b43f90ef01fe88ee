"""Status transitions and carrier events: the table, late and duplicate events, the promise,
customs holds, on-time at its boundary; the tracking file and its command."""

import datetime
import itertools
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from shipments.exceptions import IllegalStatusChange, TrackingEventInvalid, TrackingFileUnreadable
from shipments.models import EventSource, Shipment, ShipmentEvent
from shipments.services import shipment_event_record, shipment_transition, tracking_import
from shipments.services.tracking import CarrierEvent, Outcome, carrier_event_parse
from tests.shipments.factories import AUGUST, create_shipment, store_ready

pytestmark = pytest.mark.django_db

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
_ids = itertools.count(1)


def event(shipment, status, at, event_id=None, **extra) -> CarrierEvent:
    return CarrierEvent(
        event_id=event_id or f"EV-{next(_ids)}",
        tracking_number=shipment.tracking_number,
        status=status,
        at=at,
        **extra,
    )


def record(shipment, status, at, event_id=None):
    return shipment_event_record(shipment=shipment, event=event(shipment, status, at, event_id))


@pytest.fixture
def shipment():
    return create_shipment(store_ready())


def test_printing_the_label_moves_created_to_label_printed_with_an_audit_row(shipment, seller_user):
    at = AUGUST + H
    stored = shipment_transition(
        shipment=shipment, to_status="label_printed", at=at, source="portal", actor=seller_user
    )
    shipment.refresh_from_db()
    assert shipment.status == "label_printed"
    assert shipment.label_printed_at == at
    assert shipment.status_changed_at == at
    assert (stored.from_status, stored.status, stored.actor, stored.source, stored.applied) == (
        "created",
        "label_printed",
        seller_user,
        "portal",
        True,
    )


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "delivered"),
        ([], "customs"),
        (["picked_up"], "label_printed"),
        (["picked_up", "in_transit", "customs", "delivered"], "in_transit"),
        (["picked_up"], "cancelled"),
    ],
)
def test_an_illegal_move_is_refused_and_nothing_changes(shipment, path, illegal):
    for step, status in enumerate(path, start=1):
        record(shipment, status, AUGUST + step * H)
    shipment.refresh_from_db()
    before = (shipment.status, shipment.status_changed_at, ShipmentEvent.objects.count())

    with pytest.raises(IllegalStatusChange):
        shipment_transition(shipment=shipment, to_status=illegal, at=AUGUST + D, source="admin")

    shipment.refresh_from_db()
    assert (shipment.status, shipment.status_changed_at, ShipmentEvent.objects.count()) == before


def test_a_naive_time_is_refused_everywhere(shipment):
    naive = datetime.datetime(2026, 8, 15, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(TrackingEventInvalid):
        shipment_transition(shipment=shipment, to_status="label_printed", at=naive, source="portal")
    with pytest.raises(TrackingEventInvalid):
        shipment_event_record(shipment=shipment, event=event(shipment, "picked_up", naive))
    with pytest.raises(TrackingEventInvalid):
        carrier_event_parse(
            {
                "event_id": "E1",
                "tracking_number": shipment.tracking_number,
                "status": "picked_up",
                "at": "2026-08-15T12:00:00",
            }
        )
    assert ShipmentEvent.objects.count() == 0
    shipment.refresh_from_db()
    assert shipment.status == "created"


def promise_for(pickup: datetime.datetime, transit_days: int) -> datetime.datetime:
    """The end of the promised date (pickup's Shanghai date + transit days) in San
    Francisco's zone (ZIP 94105 → California → America/Los_Angeles): issue 13, item 17."""
    day = pickup.astimezone(ZoneInfo("Asia/Shanghai")).date() + datetime.timedelta(
        days=transit_days
    )
    return datetime.datetime.combine(day, datetime.time.max, ZoneInfo("America/Los_Angeles"))


def test_pickup_fixes_the_promise_which_nothing_overwrites(shipment):
    pickup = AUGUST + 2 * H
    assert record(shipment, "picked_up", pickup).outcome == Outcome.APPLIED
    promise = promise_for(pickup, shipment.transit_days)
    shipment.refresh_from_db()
    assert (shipment.picked_up_at, shipment.promised_by) == (pickup, promise)

    record(shipment, "in_transit", pickup + D)
    # The carrier sends a pickup scan again, later: stored, late, nothing moves.
    late = record(shipment, "picked_up", pickup + 2 * D)
    assert late.outcome == Outcome.LATE
    assert late.event.applied is False
    shipment.refresh_from_db()
    assert shipment.status == "in_transit"
    assert (shipment.picked_up_at, shipment.promised_by) == (pickup, promise)


def test_a_missed_pickup_scan_fixes_the_promise_at_the_first_carrier_scan(shipment):
    first = AUGUST + 5 * H
    record(shipment, "in_transit", first)
    shipment.refresh_from_db()
    assert shipment.picked_up_at == first
    assert shipment.promised_by == promise_for(first, shipment.transit_days)


def test_event_times_with_offsets_compare_as_instants(shipment):
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    pickup = datetime.datetime(2026, 8, 15, 18, 0, tzinfo=shanghai)  # 10:00 UTC
    record(shipment, "picked_up", pickup)
    shipment.refresh_from_db()
    assert shipment.picked_up_at == datetime.datetime(2026, 8, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("after_promise", "on_time"),
    [(datetime.timedelta(0), True), (datetime.timedelta(seconds=1), False)],
)
def test_on_time_is_delivered_by_the_promise_inclusive(shipment, after_promise, on_time):
    pickup = AUGUST + H
    record(shipment, "picked_up", pickup)
    record(shipment, "in_transit", pickup + H)
    shipment.refresh_from_db()
    delivered = shipment.promised_by + after_promise
    # Delivered in Los Angeles, reported with its own offset: the same instant.
    los_angeles = datetime.timezone(datetime.timedelta(hours=-7))
    record(shipment, "delivered", delivered.astimezone(los_angeles))
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert shipment.delivered_at == delivered
    assert shipment.on_time is on_time


def test_a_duplicate_event_id_is_ignored_and_returns_the_stored_event(shipment):
    first = record(shipment, "picked_up", AUGUST + H, event_id="CARRIER-1")
    again = record(shipment, "in_transit", AUGUST + 2 * H, event_id="CARRIER-1")

    assert again.outcome == Outcome.DUPLICATE
    assert again.event.pk == first.event.pk
    assert again.event.status == "picked_up"
    assert ShipmentEvent.objects.filter(event_id="CARRIER-1").count() == 1
    shipment.refresh_from_db()
    assert shipment.status == "picked_up"


def test_a_late_event_of_an_earlier_step_never_moves_the_status_back(shipment):
    record(shipment, "picked_up", AUGUST + H)
    record(shipment, "customs", AUGUST + 3 * D)
    # An in-transit scan from before customs arrives after it.
    late = record(shipment, "in_transit", AUGUST + 2 * D)
    assert late.outcome == Outcome.LATE
    shipment.refresh_from_db()
    assert shipment.status == "customs"
    assert shipment.customs_since == AUGUST + 3 * D
    assert late.event.from_status == "customs"


def test_an_illegal_carrier_event_is_kept_unapplied(shipment):
    record(shipment, "picked_up", AUGUST + H)
    record(shipment, "delivered", AUGUST + 2 * D)
    exception = record(shipment, "exception", AUGUST + 3 * D)
    assert exception.outcome == Outcome.LATE
    assert exception.event.applied is False
    shipment.refresh_from_db()
    assert shipment.status == "delivered"


def test_customs_then_released_then_held_again_is_a_new_hold(shipment):
    record(shipment, "picked_up", AUGUST + H)
    record(shipment, "customs", AUGUST + D)
    Shipment.objects.filter(pk=shipment.pk).update(customs_alerted_at=AUGUST + 2 * D)
    # Released: customs → in transit is in the table and newer than the hold.
    assert record(shipment, "in_transit", AUGUST + 3 * D).outcome == Outcome.APPLIED
    assert record(shipment, "customs", AUGUST + 4 * D).outcome == Outcome.APPLIED
    shipment.refresh_from_db()
    assert shipment.customs_since == AUGUST + 4 * D
    assert shipment.customs_alerted_at is None


# --- the tracking file ---------------------------------------------------------------------
HEADER = "event_id,tracking_number,status,at,location,description\n"


def csv_file(shipment, rows, encoding="utf-8") -> bytes:
    lines = [HEADER] + [
        ",".join([row[0], row[1] or shipment.tracking_number, *row[2:]]) + "\n" for row in rows
    ]
    return "".join(lines).encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_tracking_file_in_each_encoding(shipment, encoding):
    data = csv_file(
        shipment,
        [
            ("F-1", "", "picked_up", "2026-08-15T18:00:00+08:00", "深圳", "已揽收"),
            ("F-2", "", "in_transit", "2026-08-16T09:00:00+08:00", "上海浦东", "航班起飞"),
        ],
        encoding,
    )
    result = tracking_import(file_bytes=data)
    assert (result.rows, result.applied, result.duplicates, result.late) == (2, 2, 0, 0)
    assert result.problems == []
    shipment.refresh_from_db()
    assert shipment.status == "in_transit"
    stored = ShipmentEvent.objects.get(event_id="F-2")
    assert (stored.location, stored.description, stored.source) == (
        "上海浦东",
        "航班起飞",
        EventSource.IMPORT,
    )


def test_bad_rows_are_listed_by_line_and_good_rows_recorded(shipment):
    data = csv_file(
        shipment,
        [
            ("G-1", "", "picked_up", "2026-08-15T18:00:00+08:00", "", ""),
            ("G-2", "", "flying", "2026-08-15T19:00:00+08:00", "", ""),
            ("G-3", "", "in_transit", "2026-08-15 19:00", "", ""),
            ("G-4", "RR000000000CN", "in_transit", "2026-08-16T09:00:00+08:00", "", ""),
            ("", "", "in_transit", "2026-08-16T09:00:00+08:00", "", ""),
            ("G-1", "", "picked_up", "2026-08-15T18:00:00+08:00", "", ""),
        ],
    )
    with translation.override("en"):
        result = tracking_import(file_bytes=data)
    assert (result.rows, result.applied, result.duplicates, result.late) == (6, 1, 1, 0)
    assert [(p.line, p.message.split(" ")[0]) for p in result.problems] == [
        (3, "Unknown"),
        (4, "The"),
        (5, "Unknown"),
        (6, "Missing"),
    ]
    assert "RR000000000CN" in result.problems[2].message
    assert "flying" in result.problems[0].message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"event_id,status\nE,picked_up\n", "tracking_number, at"),
        ("event_id,tracking_number,status,at\n".encode("utf-16"), "UTF-8"),
        (b"\x81\xff\xfa\xfb" * 3, "neither UTF-8 nor GBK"),
    ],
)
def test_an_unreadable_tracking_file_imports_nothing(shipment, data, fragment):
    with translation.override("en"), pytest.raises(TrackingFileUnreadable) as error:
        tracking_import(file_bytes=data)
    assert fragment in str(error.value)
    assert ShipmentEvent.objects.count() == 0


def test_the_command_prints_a_summary_and_lists_bad_rows(shipment, tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(
        csv_file(
            shipment,
            [
                ("C-1", "", "picked_up", "2026-08-15T18:00:00+08:00", "", ""),
                ("C-2", "", "nowhere", "2026-08-15T19:00:00+08:00", "", ""),
            ],
        )
    )
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("import_tracking", str(path), stdout=out, stderr=err)
    assert "2 rows; 1 events applied, 0 duplicates ignored, 0 late" in out.getvalue()
    assert err.getvalue().startswith("line 3: Unknown status")
    shipment.refresh_from_db()
    assert shipment.status == "picked_up"


def test_the_command_exits_non_zero_when_the_file_cannot_be_read(tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="Cannot read"):
        call_command("import_tracking", str(tmp_path / "missing.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"event_id\nE1\n")
    with translation.override("en"), pytest.raises(CommandError, match="Required columns"):
        call_command("import_tracking", str(bad))


def test_the_command_exit_status_from_a_shell(tmp_path):
    """``CommandError`` becomes exit status 1 when run as a program."""
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "import_tracking", str(tmp_path / "none.csv")])
    with pytest.raises(SystemExit) as exit_:
        utility.execute()
    assert exit_.value.code == 1
