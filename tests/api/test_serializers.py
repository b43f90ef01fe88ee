"""The request serializers build their fields once per thread and place, and copy them for
each instance: every instance still validates on its own, in any order, on any thread."""

import copy
import json
import threading

from django.utils import translation

from api.serializers import BatchRequestSerializer, ShipmentRequestSerializer
from bench.api_orders import api_order


def _bad(order: dict) -> dict:
    order = copy.deepcopy(order)
    order["items"].append({"description": "", "quantity": 0, "unit_value": "x"})
    order["weigth_g"] = 1
    return order


def _errors(serializer) -> dict:
    serializer.is_valid()
    return serializer.errors


def test_each_instance_validates_alone_whatever_came_before():
    good, bad = api_order("SER-1"), _bad(api_order("SER-2"))
    first = ShipmentRequestSerializer(data=bad)
    expected = _errors(first)
    assert set(expected) == {"items", "weigth_g"}
    # the second item's faults, named by its index
    assert list(expected["items"]) == [1]
    assert set(expected["items"][1]) == {
        "description",
        "quantity",
        "unit_value",
        "currency",
        "unit_weight_g",
    }
    second = ShipmentRequestSerializer(data=good)
    assert second.is_valid(), second.errors
    assert str(second.validated_data["items"][0]["unit_value"]) == "12.50"
    # the same shape nested in a batch, then the bad one again: the same answers
    batch = BatchRequestSerializer(data={"orders": [good, bad]})
    assert not batch.is_valid()
    assert batch.errors == {"orders": {1: expected}}
    assert _errors(ShipmentRequestSerializer(data=bad)) == expected
    # each instance binds its own copies
    assert first.fields["order_number"] is not second.fields["order_number"]
    assert second.fields["order_number"].parent is second
    assert second.fields["items"].parent is second


def test_threads_validating_at_once_get_their_own_answers():
    """Four threads, two languages, good and bad bodies interleaved."""
    good, bad = api_order("SER-3"), _bad(api_order("SER-4"))
    expected = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            expected[language] = json.dumps(_errors(ShipmentRequestSerializer(data=bad)))
    assert expected["en"] != expected["zh-hans"]
    results: list[bool] = []

    def validate(n: int) -> None:
        language = ("en", "zh-hans")[n % 2]
        with translation.override(language):
            for m in range(50):
                body = good if m % 2 else bad
                serializer = ShipmentRequestSerializer(data=body)
                valid = serializer.is_valid()
                errors = json.dumps(serializer.errors)
                results.append(valid if body is good else errors == expected[language])

    threads = [threading.Thread(target=validate, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 200
