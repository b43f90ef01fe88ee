from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request: HttpRequest) -> dict[str, object]:
    """``unread_notifications`` for the navigation: computed only when a page shows it
    (seller pages), from the cache."""
    user = getattr(request, "user", None)
    seller_id = getattr(user, "seller_id", None)
    if seller_id is None:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(seller_id=seller_id))}
