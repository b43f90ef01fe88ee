from django.core.files.uploadedfile import SimpleUploadedFile

from onboarding.models import DocumentKind
from onboarding.services import document_upload

from .files import jpeg_bytes


def upload_document(*, user, kind=DocumentKind.LICENCE, name="licence.jpg", data=None):
    return document_upload(
        seller=user.seller, user=user, kind=kind, name=name, data=data or jpeg_bytes()
    )


def uploaded(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
