from django import template
from django.http import HttpRequest

from core.admin import AdminQueue, admin_queues

register = template.Library()


@register.simple_tag(takes_context=True)
def operations_queues(context: template.Context) -> list[AdminQueue]:
    """The queues registered with ``core.admin.admin_queue`` that this user may see."""
    request: HttpRequest | None = context.get("request")
    return admin_queues(request) if request is not None else []
