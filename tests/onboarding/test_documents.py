import hashlib
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from onboarding.models import Document, DocumentAccess, DocumentKind

from .factories import ApplicationFactory, upload_document, uploaded
from .files import jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(seller_user):
    return ApplicationFactory(seller=seller_user.seller)


@pytest.fixture
def page(application):
    return reverse("onboarding:documents", args=[application.pk])


def _stored_files() -> list[str]:
    root = default_storage.location
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("营业执照.jpg", jpeg_bytes(), "image/jpeg"),
        ("licence.PNG", png_bytes(), "image/png"),
        ("licence.pdf", pdf_bytes(), "application/pdf"),
    ],
)
def test_upload_stores_the_file_encrypted_and_gives_it_back(
    seller_client, seller_user, page, name, data, content_type
):
    response = seller_client.post(
        page, {"kind": DocumentKind.LICENCE, "file": uploaded(name, data)}
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.seller == seller_user.seller
    assert document.uploaded_by == seller_user
    assert (document.original_name, document.content_type) == (name, content_type)
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.ocr_status == "queued"
    with default_storage.open(document.storage_name) as stored:
        at_rest = stored.read()
    assert data not in at_rest
    assert at_rest[:4] not in (b"\xff\xd8\xff\xe0", b"\x89PNG", b"%PDF")

    download = seller_client.get(reverse("onboarding:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download.content == data
    assert download["Content-Type"] == content_type
    assert download["Cache-Control"] == "private, no-store"
    assert DocumentAccess.objects.count() == 0


def test_a_new_upload_of_a_kind_replaces_the_current_one_and_keeps_the_old(
    seller_user, application
):
    first = upload_document(user=seller_user, application=application, name="old.jpg")
    second = upload_document(
        user=seller_user, application=application, data=jpeg_bytes(color=(1, 2, 3))
    )
    other_kind = upload_document(
        user=seller_user, application=application, kind=DocumentKind.STORE_INFO
    )

    first.refresh_from_db()
    assert first.is_current is False
    assert first.replaced_at is not None
    assert second.is_current is True
    assert other_kind.is_current is True
    assert other_kind.ocr_status == "not_needed"
    assert Document.objects.count() == 3
    assert len(_stored_files()) == 3


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _huge_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (7100, 7100)).save(buffer, "PNG")  # 50.4 megapixels
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"hello", "只接受 JPEG、PNG 和 PDF 文件。"),
        ("licence.jpg", b"GIF89a" + b"\0" * 100, "只接受 JPEG、PNG 和 PDF 文件。"),
        (
            "licence.pdf",
            jpeg_bytes(),
            "文件名显示为 .pdf，但其内容是 image/jpeg：请重命名或重新导出。",
        ),
        ("licence.jpg", jpeg_bytes()[:200], "图片已损坏，无法读取。"),
        ("licence.pdf", b"%PDF-1.7\n1 0 obj\n", "PDF 文件不完整或已损坏：请重新导出。"),
        ("licence.png", _huge_png(), "图片为 7100 × 7100 像素，过大：请以 300 dpi 扫描。"),
        ("licence.pdf", _encrypted_pdf(), "该 PDF 设有密码保护：请取消保护后重新导出。"),
        ("empty.jpg", b"", "所提交的是空文件。"),
        ("licence.jpg", b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024), "文件超过 10 MB。"),
    ],
    ids=[
        "text",
        "gif",
        "mismatch",
        "truncated-jpeg",
        "truncated-pdf",
        "over-50-megapixels",
        "encrypted-pdf",
        "zero-bytes",
        "11mb",
    ],
)
def test_a_bad_file_gets_a_clear_error_and_changes_nothing(
    seller_client, page, name, data, message
):
    response = seller_client.post(
        page, {"kind": DocumentKind.LICENCE, "file": uploaded(name, data)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert not Document.objects.exists()
    assert _stored_files() == []


def test_the_same_file_twice_is_refused_and_nothing_is_stored(
    seller_client, seller_user, application, page
):
    data = jpeg_bytes(color=(4, 5, 6))
    upload_document(user=seller_user, application=application, data=data)

    response = seller_client.post(
        page, {"kind": DocumentKind.ID_FRONT, "file": uploaded("again.jpg", data)}
    )

    assert response.context["form"].errors["file"] == ["此文件已上传到本申请。"]
    assert Document.objects.count() == 1
    assert len(_stored_files()) == 1


def test_a_submitted_application_takes_no_more_uploads(seller_client, application, page):
    application.status = "in_review"
    application.save()

    response = seller_client.post(
        page, {"kind": DocumentKind.LICENCE, "file": uploaded("l.jpg", jpeg_bytes())}
    )

    assert response.context["form"].errors["file"] == ["此申请已无法修改。"]
    assert not Document.objects.exists()


def test_a_refused_replacement_keeps_the_current_document(
    seller_client, seller_user, application, page
):
    current = upload_document(user=seller_user, application=application)

    seller_client.post(page, {"kind": DocumentKind.LICENCE, "file": uploaded("x.jpg", b"junk")})

    current.refresh_from_db()
    assert current.is_current is True
    assert Document.objects.count() == 1


def test_operations_staff_open_a_document_and_the_view_is_logged(client, seller_user, ops_user):
    document = upload_document(user=seller_user)
    client.force_login(ops_user)

    response = client.get(
        reverse("onboarding:document_download", args=[document.pk]), REMOTE_ADDR="10.1.2.3"
    )

    assert response.status_code == 200
    access = DocumentAccess.objects.get()
    assert (access.document, access.user, access.ip_address) == (document, ops_user, "10.1.2.3")


def test_finance_staff_cannot_open_documents(client, seller_user, finance_user):
    document = upload_document(user=seller_user)
    client.force_login(finance_user)

    response = client.get(reverse("onboarding:document_download", args=[document.pk]))

    assert response.status_code == 404
    assert not DocumentAccess.objects.exists()


def test_documents_page_lists_current_documents_in_bounded_queries(
    seller_client, seller_user, application, page, django_assert_max_num_queries
):
    for kind in DocumentKind.values:
        upload_document(user=seller_user, application=application, kind=kind)
        upload_document(user=seller_user, application=application, kind=kind)

    with django_assert_max_num_queries(8):
        response = seller_client.get(page)

    assert response.status_code == 200
    assert len(response.context["progress"]["documents"]) == len(DocumentKind.values)
