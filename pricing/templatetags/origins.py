"""``{{ code|origin_label }}``: an origin's name (a Chinese region's translated label, an
overseas warehouse's name) from the in-memory pricing table."""

from django import template

from ..selectors import origin_get

register = template.Library()


@register.filter
def origin_label(code: str) -> str:
    origin = origin_get(code=code)
    return origin.label if origin is not None else code
