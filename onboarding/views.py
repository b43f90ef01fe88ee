from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.mixins import seller_required

from .exceptions import DocumentRejected
from .forms import DocumentUploadForm
from .models import MAX_DOCUMENT_BYTES
from .selectors import document_get_for_user, document_list_current, document_list_history
from .services import document_read, document_upload


@seller_required
@require_http_methods(["GET", "POST"])
def index(request):
    seller = request.user.seller
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            try:
                document = document_upload(
                    seller=seller,
                    user=request.user,
                    kind=form.cleaned_data["kind"],
                    name=upload.name,
                    data=upload.read(),
                )
            except DocumentRejected as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    _("%(kind)s uploaded.") % {"kind": document.get_kind_display()},
                )
                return redirect("onboarding:index")
    return render(
        request,
        "onboarding/index.html",
        {
            "form": form,
            "current": document_list_current(seller=seller),
            "history": document_list_history(seller=seller)[:50],
        },
    )


@require_GET
def document_download(request, pk: int):
    """Streams a document to its seller, or to staff allowed to see it (logged)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = document_get_for_user(user=request.user, pk=pk)
    if document is None:
        raise Http404
    data = document_read(
        document=document, user=request.user, ip_address=request.META.get("REMOTE_ADDR")
    )
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        bool(request.GET.get("download")), document.original_name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
