from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.mixins import seller_required


@seller_required
@require_GET
def index(request):
    return render(request, "shipments/index.html")
