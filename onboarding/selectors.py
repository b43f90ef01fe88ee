from django.db.models import QuerySet

from .models import Document


def document_list_current(*, seller) -> QuerySet[Document]:
    return Document.objects.filter(seller=seller, is_current=True).order_by("kind")


def document_list_history(*, seller) -> QuerySet[Document]:
    return Document.objects.filter(seller=seller).select_related("uploaded_by")


def document_get_for_user(*, user, pk: int) -> Document | None:
    """The document if this user may see it: its own seller's, or any for staff with
    ``onboarding.view_document``. ``None`` otherwise, so that a foreign id is a 404."""
    documents = Document.objects.all()
    if user.is_seller_user:
        documents = documents.filter(seller_id=user.seller_id)
    elif not (user.is_staff and user.has_perm("onboarding.view_document")):
        return None
    return documents.filter(pk=pk).first()
