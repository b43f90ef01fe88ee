"""The tools the demo's stories are told with: a clock, sellers, applications and their
documents, store metrics feeds (parcels are in ``parcels``).

Everything goes through the apps' services, as a seller, operations, finance or the carrier
would. The stories happen in the past (the last ~80 days), so each step runs under
``Demo.clock(moment)``: the services that stamp "now" themselves (onboarding's decisions,
uploads, metrics imports, payments) then stamp the story's moment, and the services that
take ``at=`` get it explicitly.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import hashlib
import io
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from unittest import mock

from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from stdnum.cn import ric, uscc

from accounts.models import User
from accounts.services import seller_register
from core.timezones import SHANGHAI
from onboarding.models import Application, DocumentKind
from onboarding.services import (
    application_create,
    application_submit,
    application_update,
    document_fields_enter,
    document_ocr_fail,
    document_ocr_start,
    document_upload,
)
from platforms.adapters import CsvStoreMetricsSource
from platforms.parsing import COLUMNS
from platforms.services import store_metrics_import

SEED = 20261125  # the demo is the same on every machine
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
OCR_NOTE = "演示用扫描件未自动识别，字段由运营人工录入。(Demo scan: fields entered by operations.)"


class DemoStoryBroken(RuntimeError):
    """A step of a story did not turn out as told: the demo would lie, so it stops."""


# ---------------------------------------------------------------------------------------
# Identity numbers (the same generators as tests/onboarding/factories.py).
# ---------------------------------------------------------------------------------------
def valid_uscc(seed: int, *, prefix: str = "91", division: str = "440300") -> str:
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    body = prefix + division + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def valid_id_number(seed: int, *, division: str = "440305") -> str:
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible on purpose
    # 440305 (南山区) exists since the 1990s: births before that fail the place check.
    birth = datetime.date(1992, 1, 1) + datetime.timedelta(days=rng.randrange(4000))
    body = f"{division}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


# ---------------------------------------------------------------------------------------
# Who and where.
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Company:
    """A demo seller: its login, its company as on the licence, its store."""

    email: str
    name: str
    state: str  # what the newcomer sees, for the printed logins
    platform: str
    store_id: str
    city_division: str  # the administrative division in the USCC
    address: str
    legal_rep: str
    seed: int
    settlement: str = "monthly"
    origin: str = "east"
    store: dict = field(default_factory=dict)  # platform-specific application fields
    uscc_prefix: str = "91"
    entity_type: str = "有限责任公司(自然人投资或控股)"
    scope: str = "货物进出口；技术进出口；日用百货销售；互联网销售（除销售需要许可的商品）。"
    id_expiry: datetime.date | None = None  # None: long-term (长期)

    @property
    def uscc(self) -> str:
        return valid_uscc(self.seed, prefix=self.uscc_prefix, division=self.city_division)

    @property
    def id_number(self) -> str:
        return valid_id_number(self.seed)


@dataclass
class Demo:
    """One run of the demo: the real moment it runs at, the random generator (fixed seed)
    and the staff who act in the stories."""

    now: datetime.datetime
    ops: User
    finance: User
    password_hash: str
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))  # noqa: S311
    _orders: int = 0
    _references: int = 0

    # --- time ------------------------------------------------------------------------
    @property
    def today(self) -> datetime.date:
        return self.now.astimezone(SHANGHAI).date()

    def ago(self, days: float = 0, hours: float = 0) -> datetime.datetime:
        return self.now - datetime.timedelta(days=days, hours=hours)

    def on(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        """A wall-clock time in Shanghai, never later than an hour ago."""
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)
        return min(moment, self.now - HOUR)

    def month(self, back: int) -> datetime.date:
        """The first day of the month ``back`` months before this one (0: this month)."""
        year, month = self.today.year, self.today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        return datetime.date(year, month, 1)

    @staticmethod
    def day_of(period: datetime.date, day: int) -> datetime.date:
        return period.replace(day=min(day, calendar.monthrange(period.year, period.month)[1]))

    @contextmanager
    def clock(self, moment: datetime.datetime):
        """Run the services as if it were ``moment``: their own ``timezone.now()`` (and the
        ``auto_now`` stamps of the rows they write) say so."""
        if moment > self.now:
            raise DemoStoryBroken(f"a story step in the future: {moment.isoformat()}")
        with mock.patch.object(timezone, "now", lambda: moment):
            yield moment

    # --- numbers ---------------------------------------------------------------------
    def order_number(self, platform: str) -> str:
        self._orders += 1
        n, r = self._orders, self.rng.randrange(10**6)
        return {
            "aliexpress": f"8{190 + n:03d}{r:06d}{n:06d}",
            "lazada": f"LZ{r:06d}{n:05d}",
            "temu": f"PO-211-{r:06d}{n:05d}",
            "tiktok": f"57{r:07d}{n:08d}",
        }[platform]

    def bank_reference(self, moment: datetime.datetime) -> str:
        self._references += 1
        return f"CMB{moment.astimezone(SHANGHAI):%Y%m%d}{self._references:05d}"

    # --- people ----------------------------------------------------------------------
    def seller_add(self, company: Company) -> User:
        """The seller and its owner login (the password is the demo's, hashed once)."""
        user = seller_register(email=company.email, password=None, company_name=company.name)
        user.password = self.password_hash
        user.save(update_fields=["password"])
        return user


# ---------------------------------------------------------------------------------------
# Onboarding.
# ---------------------------------------------------------------------------------------
def application_fields(company: Company) -> dict:
    fields = {
        "company_name": company.name,
        "uscc": company.uscc,
        "registered_address": company.address,
        "tax_address": company.address,
        "business_scope": company.scope,
        "legal_rep_name": company.legal_rep,
        "legal_rep_id_number": company.id_number,
        "legal_rep_id_expiry": company.id_expiry,
        "legal_rep_id_long_term": company.id_expiry is None,
        "platform": company.platform,
        "store_id": company.store_id,
        "settlement_mode": company.settlement,
        **company.store,
    }
    return fields


@lru_cache(maxsize=4)
def _font(size: int):
    try:
        return ImageFont.truetype(str(FONT), size, index=2)
    except OSError:
        return ImageFont.load_default()


def scan_png(*, title: str, lines: list[str]) -> bytes:
    """A plain placeholder scan: the document's title and the fields it carries."""
    image = Image.new("RGB", (720, 440), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 711, 431), outline=(190, 40, 40), width=4)
    draw.text((36, 28), title, fill=(160, 20, 20), font=_font(30))
    for row, line in enumerate(lines):
        draw.text((36, 92 + row * 40), line, fill=(30, 30, 30), font=_font(22))
    draw.text((36, 396), "经络速通 演示样本 · DEMO SAMPLE", fill=(150, 150, 150), font=_font(16))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()


def _scans(company: Company, licence_name: str) -> dict[str, tuple[str, list[str]]]:
    expiry = company.id_expiry.isoformat() if company.id_expiry else "长期"
    return {
        DocumentKind.LICENCE: (
            "营业执照",
            [
                f"统一社会信用代码 {company.uscc}",
                f"名称 {licence_name}",
                f"类型 {company.entity_type}",
                f"法定代表人 {company.legal_rep}",
                f"住所 {company.address}",
                f"经营范围 {company.scope[:24]}…",
            ],
        ),
        DocumentKind.ID_FRONT: (
            "居民身份证（人像面）",
            [f"姓名 {company.legal_rep}", f"公民身份号码 {company.id_number}"],
        ),
        DocumentKind.ID_BACK: ("居民身份证（国徽面）", [f"有效期限 2016.03.01-{expiry}"]),
        DocumentKind.STORE_INFO: (
            "店铺信息页截图",
            [f"平台 {company.platform}", f"店铺ID {company.store_id}", "认证状态 已认证"],
        ),
        DocumentKind.IMPORT_EXPORT: ("对外贸易经营者备案登记表", [licence_name]),
        DocumentKind.AUTHORISATION: (
            "物流服务授权书",
            [f"授权方 {licence_name}", "被授权方 经络速通", "（盖章）"],
        ),
    }


def documents_upload(*, user: User, application: Application, company: Company, licence_name=None):
    """The six required documents, as placeholder PNG scans."""
    for kind, (title, lines) in _scans(company, licence_name or company.name).items():
        document_upload(
            application=application,
            user=user,
            kind=kind,
            name=f"{kind}.png",
            data=scan_png(title=title, lines=lines),
        )


def read_fields(company: Company, *, licence_name: str | None = None) -> dict[str, dict]:
    """What operations type for each readable document, from the scans above."""
    code = company.uscc
    return {
        DocumentKind.LICENCE: {
            "uscc": code,
            "uscc_valid": uscc.is_valid(code),
            "name": licence_name or company.name,
            "entity_type": company.entity_type,
            "legal_representative": company.legal_rep,
            "business_scope": company.scope,
            "address": company.address,
            "established": "2016-05-18",
        },
        DocumentKind.ID_FRONT: {"name": company.legal_rep, "id_number": company.id_number},
        DocumentKind.ID_BACK: {
            "valid_from": "2016-03-01",
            "valid_until": company.id_expiry.isoformat() if company.id_expiry else None,
        },
    }


def application_draft(demo: Demo, *, user: User, company: Company, fields: dict | None = None):
    application = application_create(seller=user.seller)
    return application_update(
        application=application, data=fields if fields is not None else application_fields(company)
    )


def application_submitted(
    demo: Demo, *, user: User, company: Company, at: datetime.datetime, licence_name=None
) -> Application:
    """Created, filled in, documents uploaded and submitted at ``at`` (an hour's work).
    The scans stay queued for the OCR worker."""
    with demo.clock(at):
        application = application_draft(demo, user=user, company=company)
    with demo.clock(at + 0.5 * HOUR):
        documents_upload(
            user=user, application=application, company=company, licence_name=licence_name
        )
    with demo.clock(at + HOUR):
        application_submit(application=application, actor=user)
    return application


def application_read_by_ops(
    demo: Demo, *, application: Application, company: Company, at: datetime.datetime, **read
) -> Application:
    """The scans could not be read automatically (placeholders); operations type their
    fields. The checks run again and the application waits for review."""
    fields = read_fields(company, **read)
    with demo.clock(at):
        for document in application.documents.filter(is_current=True, kind__in=list(fields)):
            document_ocr_start(document_id=document.pk)
            document_ocr_fail(document_id=document.pk, reason=OCR_NOTE)
            document_fields_enter(document=document, user=demo.ops, fields=fields[document.kind])
    application.refresh_from_db()
    return application


# ---------------------------------------------------------------------------------------
# The store metrics feed.
# ---------------------------------------------------------------------------------------
def metrics_row(
    company: Company,
    *,
    as_of: datetime.date,
    score: str = "97.50",
    bound: bool = True,
    complaints: int = 0,
    return_rate: str = "1.20",
    label_print: str = "99.40",
    dsr: str = "4.90",
    positive: str = "98.20",
) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        platform=company.platform,
        store_id=company.store_id,
        as_of=as_of.isoformat(),
        positive_rating_pct=positive,
        dsr_logistics=dsr,
        fulfilment_score=score,
        return_rate_pct=return_rate,
        label_print_success_pct=label_print,
        serious_complaints_30d=str(complaints),
        store_bound="true" if bound else "false",
    )
    if company.platform == "aliexpress":
        row.update(
            store_level=f"L{company.store.get('aliexpress_store_level', 3)}",
            aliexpress_tier=company.store.get("aliexpress_tier", "ka"),
        )
    elif company.platform == "lazada":
        row.update(lazada_official_warehouse="true")
    elif company.platform == "temu":
        row.update(temu_full_custody_whitelisted="true")
    elif company.platform == "tiktok":
        row.update(
            tiktok_site=company.store.get("tiktok_site", "us"), tiktok_logistics_partner="true"
        )
    return row


def metrics_import(demo: Demo, *, at: datetime.datetime, rows: list[dict[str, str]]):
    """One day's feed, imported through the platforms service as the command would."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8")
    local = at.astimezone(SHANGHAI)
    with demo.clock(at):
        batch = store_metrics_import(
            source=CsvStoreMetricsSource(data),
            file_name=f"store-metrics-{local:%Y%m%d-%H%M}.csv",
            sha256=hashlib.sha256(data).hexdigest(),
        )
    if batch.status != "succeeded":
        raise DemoStoryBroken(f"metrics feed refused: {batch.errors}")
    return batch
