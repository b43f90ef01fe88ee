"""The seller's labels: POST the ids of shipments (``ids``), get one PDF with a 100 × 150 mm
label each; printing marks them label printed. Another seller's id is a 404."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.mixins import seller_required

from ..exceptions import ShipmentError
from ..models import Shipment
from ..services import shipment_labels_print


@seller_required
@require_POST
def labels(request):
    try:
        ids = [int(value) for value in request.POST.getlist("ids")]
    except ValueError:
        raise Http404 from None
    try:
        pdf = shipment_labels_print(seller=request.user.seller, shipment_ids=ids, user=request.user)
    except Shipment.DoesNotExist:
        raise Http404 from None
    except ShipmentError as error:
        messages.error(request, error.message)
        return redirect("shipments:index")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"labels-{timezone.localtime():%Y%m%d-%H%M%S}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
