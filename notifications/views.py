"""The seller's notifications: the list (newest first, unread marked), opening one (marks it
read and goes where it points), and "mark all read"."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render as render_page
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.mixins import seller_of, seller_required

from .kinds import render
from .selectors import notification_get_for_seller, notifications_for_seller
from .services import notifications_mark_read

PER_PAGE = 30


@seller_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(notifications_for_seller(seller=seller_of(request)), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    items = []
    for notification in page.object_list:
        subject, body = render(notification.kind, notification.params)
        items.append({"notification": notification, "subject": subject, "body": body})
    return render_page(request, "notifications/index.html", {"page": page, "items": items})


@seller_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read, then go where it points (the list when it points nowhere). A POST
    (each notification of the list is a button): no GET writes."""
    notification = notification_get_for_seller(seller=seller_of(request), pk=pk)
    if notification is None:
        raise Http404
    notifications_mark_read(seller=seller_of(request), ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:index")


@seller_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(seller=seller_of(request))
    return redirect("notifications:index")
