"""The one body the API reads: JSON, at most ``API_MAX_BODY_BYTES`` (413 past it, read no
further), UTF-8, nested at most ``MAX_DEPTH`` deep; anything else is a 400 problem."""

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import BaseParser

from .problems import Problem

MAX_DEPTH = 32


def too_large() -> Problem:
    limit = settings.API_MAX_BODY_BYTES
    return Problem(
        413,
        "request_too_large",
        _("Request too large"),
        _("The body is larger than %(mb)s MB: send fewer orders per request.")
        % {"mb": f"{limit / 1024 / 1024:g}"},
    )


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and str(length).isdigit() and int(length) > limit:
            raise too_large()
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise too_large()
        try:
            value = json.loads(data.decode("utf-8"), parse_float=str, parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise exceptions.ParseError(
                _("The body is not valid JSON (UTF-8): %(error)s") % {"error": str(error)[:200]}
            ) from None
        if _depth(value) > MAX_DEPTH:
            raise exceptions.ParseError(_("The JSON is nested too deep."))
        return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
