"""Hostile uploads, property-based: whatever bytes and name a seller sends, the upload view
answers with the form or a redirect (never a 500) and keeps a Document, and a file in
storage, only for a real JPEG, PNG or PDF; the OCR reader and its Celery task meet the same
bytes with the domain's reading errors only, never a crash."""

import io
import os
import warnings

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from ocr import KINDS, OcrError, read_document
from onboarding import tasks
from onboarding.files import MAX_IMAGE_PIXELS
from onboarding.models import Document, DocumentKind
from tests.onboarding.factories import ApplicationFactory, upload_document, uploaded

from .fuzz import NAMES, hostile_bytes, huge_canvas, jpeg_claiming, png_claiming

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: a red build is reproducible
    database=None,  # no example database to keep between runs
)
EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
}
CONTENT_TYPES = sorted(EXTENSIONS)


def _stored_files() -> int:
    root = default_storage.location
    return sum(len(files) for _dir, _subdirs, files in os.walk(root))


def _really_a_document(name: str, data: bytes, content_type: str) -> bool:
    """An oracle of our own, independent of the view's checks."""
    if not name.lower().endswith(EXTENSIONS[content_type]):
        return False
    try:
        if content_type == "application/pdf":
            reader = PdfReader(io.BytesIO(data))
            return data.startswith(b"%PDF-") and not reader.is_encrypted and len(reader.pages) > 0
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                expected = {"image/jpeg": "JPEG", "image/png": "PNG"}[content_type]
                return image.format == expected and image.width * image.height <= MAX_IMAGE_PIXELS
    except Exception:  # noqa: BLE001 - anything the readers throw means "not a document"
        return False


@pytest.fixture
def documents_page(seller_client, seller_user):
    application = ApplicationFactory(seller=seller_user.seller)
    return reverse("onboarding:documents", args=[application.pk])


@FUZZ
@given(data=hostile_bytes, name=NAMES, kind=st.sampled_from(DocumentKind.values))
def test_the_upload_view_never_crashes_and_stores_only_real_documents(
    seller_client, documents_page, data, name, kind
):
    before = Document.objects.count()

    response = seller_client.post(documents_page, {"kind": kind, "file": uploaded(name, data)})

    assert response.status_code in (200, 302)
    stored = Document.objects.count()
    assert _stored_files() == stored  # no file without its row, no row without its file
    event(f"upload answered {response.status_code}")
    if response.status_code == 200:
        assert stored == before
        assert response.context["form"].errors  # told why
        return
    document = Document.objects.latest("pk")
    assert stored == before + 1
    assert document.size == len(data)
    assert _really_a_document(document.original_name, data, document.content_type)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("huge.png", png_claiming(65535, 65535)),
        ("huge.png", png_claiming(10_000, 5_001)),  # just over the 50 MP budget
        ("huge.jpg", jpeg_claiming(65535, 65535)),
        ("huge.jpg", jpeg_claiming(7100, 7100)),
    ],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    seller_client, documents_page, name, data
):
    response = seller_client.post(
        documents_page, {"kind": DocumentKind.LICENCE, "file": uploaded(name, data)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()
    assert _stored_files() == 0


@pytest.mark.slow
@FUZZ
@given(
    data=st.one_of(hostile_bytes, huge_canvas()),
    kind=st.sampled_from(KINDS),
    content_type=st.sampled_from(CONTENT_TYPES),
)
def test_the_ocr_reader_raises_only_reading_errors(data, kind, content_type):
    try:
        result = read_document(kind=kind, data=data, content_type=content_type)
    except OcrError as error:
        event(type(error).__name__)
        assert str(error.message)  # a message the seller can act on
    else:
        event("read")
        assert result.kind == kind


@pytest.mark.slow
@settings(FUZZ, max_examples=25)
@given(data=hostile_bytes)
def test_the_ocr_task_fails_the_document_with_a_reason_and_never_crashes(
    seller_user, monkeypatch, data
):
    """The worker's side: the task reads the stored bytes; here they are hostile."""
    document = upload_document(user=seller_user)
    monkeypatch.setattr(tasks, "document_read", lambda **kwargs: data)

    outcome = tasks.document_ocr.apply(args=[document.pk])

    document.refresh_from_db()
    if outcome.state == "RETRY":  # a reading timeout is transient: retried, still reading
        assert document.ocr_status == "reading"
        return
    assert outcome.state == "SUCCESS", outcome.traceback
    assert outcome.result in ("done", "failed")
    assert document.ocr_status == outcome.result
    if outcome.result == "failed":
        assert document.ocr_error
