"""The carrier's webhook: tracking events pushed as signed JSON.

``POST /shipments/webhooks/carrier/`` with ``{"events": [{"event_id", "tracking_number",
"status", "at", "location", "description"}, …]}``, signed as Standard Webhooks sign: the
headers ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and ``webhook-signature``
(``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` under CARRIER_WEBHOOK_SECRET).

403: a missing or wrong signature, or a timestamp outside the replay window (nothing read).
400: not JSON (or nested too deep), or an event that cannot be read (nothing stored; the
response lists each problem by index). 200: the counts of events applied, ignored as
duplicates (an event id seen before: a replay inside the window changes nothing) and stored
late, and the unknown tracking numbers.
"""

import json

from django.http import JsonResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import EventSource
from ..services.tracking import (
    TrackingEventInvalid,
    carrier_event_parse,
    carrier_events_record,
    carrier_webhook_verify,
)

MAX_EVENTS = 1000


@csrf_exempt
@require_POST
def carrier_webhook(request):
    body = request.body
    if not carrier_webhook_verify(body=body, headers=request.headers):
        return JsonResponse({"error": "invalid signature or timestamp"}, status=403)
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        # RecursionError: arrays nested thousands deep exhaust the parser's stack.
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    raw_events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(raw_events, list) or not raw_events:
        return JsonResponse({"error": "the body has no list of events"}, status=400)
    if len(raw_events) > MAX_EVENTS:
        return JsonResponse({"error": f"at most {MAX_EVENTS} events per request"}, status=400)
    events, problems = [], []
    with translation.override("en"):  # a machine reads the errors: one language
        for index, raw in enumerate(raw_events):
            if not isinstance(raw, dict):
                problems.append({"index": index, "error": "an event is a JSON object"})
                continue
            try:
                events.append(carrier_event_parse(raw))
            except TrackingEventInvalid as error:
                problems.append({"index": index, "error": str(error.message)})
    if problems:
        return JsonResponse({"error": "invalid events", "events": problems}, status=400)
    result = carrier_events_record(events=events, source=EventSource.WEBHOOK)
    return JsonResponse(result.as_json())
