"""Everything that writes onboarding data."""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core import crypto

from .files import sniff_document
from .models import Document, DocumentAccess


def document_upload(*, seller, user, kind: str, name: str, data: bytes) -> Document:
    """Store a new document of ``kind`` for ``seller``, encrypted.

    It becomes the current document of its kind; the previous one is kept, marked
    replaced. A refused file raises ``DocumentRejected`` and changes nothing.
    """
    sniffed = sniff_document(name=name, data=data)
    storage_name = default_storage.save(
        f"documents/{seller.pk}/{uuid.uuid4().hex}.bin", ContentFile(crypto.encrypt(data))
    )
    try:
        with transaction.atomic():
            Document.objects.select_for_update().filter(
                seller=seller, kind=kind, is_current=True
            ).update(is_current=False, replaced_at=timezone.now())
            return Document.objects.create(
                seller=seller,
                kind=kind,
                original_name=name[-255:],
                content_type=sniffed.content_type,
                size=sniffed.size,
                sha256=hashlib.sha256(data).hexdigest(),
                storage_name=storage_name,
                uploaded_by=user,
            )
    except BaseException:
        default_storage.delete(storage_name)
        raise


def document_read(*, document: Document, user, ip_address: str | None = None) -> bytes:
    """The document's plaintext. A staff reader's view is logged first."""
    if not user.is_seller_user:
        DocumentAccess.objects.create(document=document, user=user, ip_address=ip_address)
    with default_storage.open(document.storage_name, "rb") as stored:
        return crypto.decrypt(stored.read())
