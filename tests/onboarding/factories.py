import datetime
import itertools
import random

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric, uscc

from onboarding.models import Application, DocumentKind, SettlementMode
from onboarding.services import document_upload
from platforms.models import AliExpressTier, Platform

from .files import jpeg_bytes


def valid_uscc(seed: int, prefix: str = "91") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    rng = random.Random(seed)
    body = prefix + "440300" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def valid_id_number(seed: int) -> str:
    rng = random.Random(seed)
    # 440305 (南山区) exists since the 1990s: births before that fail the place check.
    birth = datetime.date(1992, 1, 1) + datetime.timedelta(days=rng.randrange(4000))
    body = f"440305{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # it expects a placeholder check digit


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft with every seller field filled in and consistent."""

    class Meta:
        model = Application

    seller = factory.SubFactory("tests.accounts.factories.SellerFactory")
    company_name = factory.Sequence(lambda n: f"深圳市经络测试贸易有限公司{n}")
    uscc = factory.Sequence(lambda n: valid_uscc(n))
    registered_address = "深圳市南山区粤海街道科技园路1号（A栋）"
    tax_address = "深圳市南山区粤海街道科技园路1号(A栋)"
    business_scope = "货物进出口；技术进出口；日用百货销售。"
    legal_rep_name = "张伟"
    legal_rep_id_number = factory.Sequence(lambda n: valid_id_number(n))
    legal_rep_id_expiry = datetime.date(2035, 6, 30)
    platform = Platform.ALIEXPRESS
    store_id = factory.Sequence(lambda n: f"AE{9000000 + n}")
    aliexpress_tier = AliExpressTier.KA
    aliexpress_store_level = 3
    settlement_mode = SettlementMode.MONTHLY


_colours = itertools.count(1)


def unique_jpeg() -> bytes:
    """A small real JPEG whose bytes differ from every other one made in this run."""
    n = next(_colours)
    return jpeg_bytes(size=(64 + n % 50, 40 + n // 50 % 50), color=(n % 256, n // 256 % 256, 9))


def upload_document(
    *, user, application=None, kind=DocumentKind.LICENCE, name="licence.jpg", data=None
):
    if application is None:
        application = ApplicationFactory(seller=user.seller)
    return document_upload(
        application=application,
        user=user,
        kind=kind,
        name=name,
        data=data or unique_jpeg(),
    )


def upload_all_required(*, user, application, agency=False):
    kinds = [
        DocumentKind.LICENCE,
        DocumentKind.ID_FRONT,
        DocumentKind.ID_BACK,
        DocumentKind.STORE_INFO,
        DocumentKind.IMPORT_EXPORT,
        DocumentKind.AUTHORISATION,
    ] + ([DocumentKind.AGENCY_AUTHORISATION] if agency else [])
    return {
        kind: upload_document(
            user=user,
            application=application,
            kind=kind,
            name=f"{kind}.jpg",
            data=unique_jpeg(),
        )
        for kind in kinds
    }


def uploaded(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
