"""Synthetic scans of business licences (营业执照) and ID cards, for OCR tests and benchmarks.

Every image is deterministic from its seed and comes with the truth it was drawn from.

Faces: real licences print in 宋体/仿宋/楷体/黑体, so a licence is set in one of six faces from
Debian's font packages (``FACES``: AR PL UMing for Ming/Song, AR PL UKai for Kai, WenQuanYi Zen
Hei and Micro Hei for Hei, Noto Serif and Sans CJK), its labels letter-spaced with full-width
spaces (名　　称) and, on about half of them, in another face than the values; font sizes vary.

Modes (``MODES``): ``clean`` (a sharp PNG), ``scan`` (a flatbed scan: under a degree of tilt,
light noise, JPEG 75–92), ``photo`` (a phone photo of a paper licence: a few degrees of rotation,
desk background, uneven light and a shadow, blur, noise, JPEG 50–85), ``lowres`` (a small,
blurred, heavily compressed scan about 1,100 pixels wide) and ``pdf`` (a scan in a PDF). Every
licence has a red ornamental border, a red round seal over the text, a QR code and a faint
guilloche background. A seed's face and mode come from the seed (``licence_face``,
``licence_mode``): 30 consecutive seeds hold every face in every mode once.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import qrcode
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from stdnum.cn import ric, uscc

FONT_DIR = Path("/usr/share/fonts/opentype/noto")


@dataclass(frozen=True)
class Face:
    """A font file and its index in a collection (the Simplified Chinese member)."""

    path: str
    index: int
    bold: tuple[str, int] | None = None  # a bold weight, where the family has one


# name → face; the packages are in scripts/system-deps.sh
FACES: dict[str, Face] = {
    "ming": Face("/usr/share/fonts/truetype/arphic/uming.ttc", 0),  # AR PL UMing CN
    "kai": Face("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),  # AR PL UKai CN
    "zenhei": Face("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "microhei": Face("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "noto-serif": Face(
        str(FONT_DIR / "NotoSerifCJK-Regular.ttc"), 2, (str(FONT_DIR / "NotoSerifCJK-Bold.ttc"), 2)
    ),
    "noto-sans": Face(
        str(FONT_DIR / "NotoSansCJK-Regular.ttc"), 2, (str(FONT_DIR / "NotoSansCJK-Bold.ttc"), 2)
    ),
}
FACE_NAMES = tuple(FACES)
MODES = ("clean", "scan", "photo", "lowres", "pdf")
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}


def licence_face(seed: int) -> str:
    return FACE_NAMES[seed % len(FACE_NAMES)]


def licence_mode(seed: int) -> str:
    return MODES[(seed // len(FACE_NAMES)) % len(MODES)]


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

# city, province prefix, division code, districts, authority
CITIES = (
    ("深圳市", "广东省", "440300", ("南山区", "福田区", "宝安区", "龙岗区", "龙华区")),
    ("广州市", "广东省", "440100", ("天河区", "白云区", "番禺区", "海珠区")),
    ("东莞市", "广东省", "441900", ("长安镇", "虎门镇", "南城街道")),
    ("义乌市", "浙江省", "330782", ("稠城街道", "北苑街道", "福田街道")),
    ("杭州市", "浙江省", "330100", ("滨江区", "余杭区", "西湖区", "萧山区")),
    ("宁波市", "浙江省", "330200", ("鄞州区", "北仑区", "海曙区")),
    ("上海市", "", "310115", ("浦东新区", "闵行区", "松江区")),
    ("厦门市", "福建省", "350200", ("思明区", "湖里区", "集美区")),
    ("苏州市", "江苏省", "320500", ("工业园区", "吴中区", "昆山市")),
    ("泉州市", "福建省", "350500", ("丰泽区", "晋江市", "石狮市")),
)
TRADE_CHARS = (
    "华泰鑫源盛达宏兴恒通瑞丰嘉诚联创优品汇博信航远海卓越锦天佳美凯新利隆祥和众金云腾飞立昌启明星"
)
INDUSTRIES = (
    "跨境电子商务",
    "电子商务",
    "国际贸易",
    "贸易",
    "科技",
    "供应链管理",
    "进出口",
    "实业",
    "服饰",
    "电子科技",
    "家居用品",
    "网络科技",
)
ENTITY_TYPES = (
    ("有限责任公司（自然人投资或控股）", "有限公司"),
    ("有限责任公司（自然人独资）", "有限公司"),
    ("有限责任公司（法人独资）", "有限公司"),
    ("股份有限公司（非上市、自然人投资或控股）", "股份有限公司"),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌俊峰宇浩然晨辉鹏"
SCOPE_ITEMS = (
    "日用百货销售",
    "服装服饰零售",
    "电子产品销售",
    "家用电器销售",
    "五金产品批发",
    "箱包销售",
    "化妆品零售",
    "玩具销售",
    "针纺织品销售",
    "互联网销售（除销售需要许可的商品）",
    "国内贸易代理",
    "供应链管理服务",
    "信息技术咨询服务",
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广",
    "办公用品销售",
    "工艺美术品及礼仪用品销售",
    "体育用品及器材零售",
    "鞋帽批发",
)
ROADS = (
    "科苑路 深南大道 滨海大道 创业路 工业大道 中山路 人民路 解放路 环城北路 商城大道 文三路 学府路"
)
BUILDINGS = ("科技园", "创业大厦", "国际商务中心", "电商产业园", "商贸城", "金融中心", "智慧谷")


def _font(face: str, size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    chosen = FACES[face]
    path, index = chosen.bold if bold and chosen.bold else (chosen.path, chosen.index)
    return ImageFont.truetype(path, size, index=index)


def _noto(rng: random.Random) -> str:
    return rng.choice(("noto-serif", "noto-sans"))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def make_uscc(rng: random.Random, *, prefix: str, division: str) -> str:
    body = prefix + division
    for _ in range(9):
        body += rng.choice(USCC_ALPHABET) if rng.random() < 0.25 else rng.choice("0123456789")
    return body + uscc.calc_check_digit(body)


def licence_truth(seed: int) -> dict:
    """The facts printed on licence ``seed``."""
    rng = random.Random(f"licence-{seed}")
    city, province, division, districts = rng.choice(CITIES)
    district = rng.choice(districts)
    individual = rng.random() < 0.15
    trade = "".join(rng.choice(TRADE_CHARS) for _ in range(rng.choice((2, 2, 3, 4))))
    industry = rng.choice(INDUSTRIES)
    if individual:
        entity_type = "个体工商户"
        kind = rng.choice(("百货商行", "电子商务商行", "服装店", "贸易商行"))
        name = f"{city}{district}{trade}{kind}"
        prefix = "92"
    else:
        entity_type, suffix = rng.choice(ENTITY_TYPES)
        name = f"{city}{trade}{industry}{suffix}"
        prefix = "91"
    items = rng.sample(SCOPE_ITEMS, rng.randint(4, 9))
    if rng.random() < 0.7:
        items.insert(rng.randint(0, len(items)), "货物进出口")
        if rng.random() < 0.5:
            items.insert(rng.randint(0, len(items)), "技术进出口")
    scope = (
        "一般经营项目是："
        + "；".join(items)
        + "。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
    )
    road = rng.choice(ROADS.split())
    address = (
        f"{province}{city}{district}{road}{rng.randint(1, 999)}号"
        f"{rng.choice(BUILDINGS)}{rng.choice('ABCDEFG')}栋"
        f"{rng.randint(2, 30)}{rng.randint(1, 20):02d}"
    )
    established = dt.date(2003, 1, 1) + dt.timedelta(days=rng.randint(0, 7300))
    return {
        "uscc": make_uscc(rng, prefix=prefix, division=division),
        "name": name,
        "entity_type": entity_type,
        "legal_representative": _person(rng),
        "business_scope": scope,
        "address": address,
        "established": established.isoformat(),
        "capital": f"{rng.choice((10, 50, 100, 200, 300, 500, 1000))}万元人民币",
        "authority": f"{city}市场监督管理局",
        "issued": (established + dt.timedelta(days=rng.randint(0, 2500))).isoformat(),
    }


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def _spaced(label: str, slots: int = 4) -> str:
    """Licence labels are justified to four character widths: 名　　称, 住　　所."""
    if len(label) >= slots:
        return label
    gap = "　" * ((slots - len(label)) // (len(label) - 1) if len(label) > 1 else 0)
    return gap.join(label)


def _seal(rng: random.Random, radius: int, text: str, colour) -> Image.Image:
    size = radius * 2 + 8
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    c = size / 2
    draw.ellipse(
        (c - radius, c - radius, c + radius, c + radius), outline=colour, width=radius // 14
    )
    star_r = radius * 0.28
    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        r = star_r if i % 2 == 0 else star_r * 0.4
        points.append((c + r * math.cos(angle), c + r * math.sin(angle)))
    draw.polygon(points, fill=colour)
    font = _font(_noto(rng), int(radius * 0.22), bold=True)
    span = math.radians(230)
    for i, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(text)
        glyph = Image.new("RGBA", (font.size + 6, font.size + 6), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((3, 0), char, font=font, fill=colour)
        glyph = glyph.rotate(-math.degrees(angle) - 90, expand=True, resample=Image.BICUBIC)
        r = radius * 0.74
        x, y = c + r * math.cos(angle), c + r * math.sin(angle)
        seal.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    return seal


def _qr(data: str, size: int) -> Image.Image:
    code = qrcode.QRCode(border=1, box_size=4)
    code.add_data(data)
    return code.make_image().convert("RGB").resize((size, size), Image.NEAREST)


def _chinese_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _draw_licence(rng: random.Random, truth: dict, face: str) -> Image.Image:
    w, h = 2480, 1754
    paper = (252, 250, 240) if rng.random() < 0.5 else (250, 248, 244)
    page = Image.new("RGB", (w, h), paper)
    draw = ImageDraw.Draw(page)
    red = (rng.randint(180, 215), rng.randint(20, 50), rng.randint(25, 55))
    # guilloche background: faint coloured waves
    tint = (rng.randint(225, 240), rng.randint(160, 195), rng.randint(150, 185))
    for k in range(0, h, 18):
        pts = [(x, k + 9 * math.sin(x / 55 + k)) for x in range(0, w, 20)]
        draw.line(pts, fill=tint, width=2)
    for k in range(-h, w, 46):
        draw.line([(k, 0), (k + h * 0.6, h)], fill=tint, width=2)
    # ornamental border
    for inset, width in ((40, 14), (70, 4), (86, 2)):
        draw.rectangle((inset, inset, w - inset, h - inset), outline=red, width=width)
    for x in range(100, w - 100, 36):
        draw.ellipse((x, 50, x + 14, 64), outline=red, width=2)
        draw.ellipse((x, h - 64, x + 14, h - 50), outline=red, width=2)
    # emblem and title
    draw.ellipse((w / 2 - 75, 130, w / 2 + 75, 280), fill=red)
    draw.ellipse((w / 2 - 45, 160, w / 2 + 45, 250), outline=(240, 200, 60), width=8)
    title_font = _font(rng.choice((face, _noto(rng))), 120, bold=True)
    draw.text((w / 2, 370), "营　业　执　照", font=title_font, fill=(30, 30, 30), anchor="mm")
    # values in the licence's face; labels in it too, or (about half the time) in another
    label_face = face if rng.random() < 0.5 else rng.choice([f for f in FACE_NAMES if f != face])
    body_font = _font(face, rng.randint(36, 48), bold=rng.random() < 0.15)
    label_font = _font(label_face, body_font.size + rng.randint(-3, 3), bold=rng.random() < 0.5)
    ink = (rng.randint(10, 45),) * 3
    # top left: the USCC
    code_font = _font(face, rng.randint(40, 50), bold=rng.random() < 0.3)
    code_x, code_y = 170 + rng.randint(-20, 30), 170 + rng.randint(-15, 15)
    draw.text((code_x, code_y), "统一社会信用代码", font=label_font, fill=ink)
    draw.text((code_x, code_y + 60), truth["uscc"], font=code_font, fill=ink)
    # top right: copy marker and QR
    draw.text((w - 520, 150), "（副　本）", font=body_font, fill=ink)
    draw.text((w - 520, 210), f"编号 S{rng.randint(10**10, 10**11 - 1)}", font=body_font, fill=ink)
    qr = _qr("http://www.gsxt.gov.cn/" + truth["uscc"], 200)
    page.paste(qr, (w - 400, 290))
    small = _font(face, 20)
    for i, line in enumerate(
        ("扫描二维码登录“国家企业", "信用信息公示系统”了解更多", "登记、备案、许可、监管信息")
    ):
        draw.text((w - 430, 500 + i * 26), line, font=small, fill=ink)

    individual = truth["entity_type"] == "个体工商户"
    step = int(body_font.size * rng.uniform(1.75, 2.1))
    leading = int(body_font.size * rng.uniform(1.35, 1.55))
    y0 = 620 + rng.randint(-20, 20)
    left_x, right_x = 190 + rng.randint(-20, 20), 1400 + rng.randint(-30, 30)
    value_dx = int(label_font.size * rng.uniform(5.4, 6.2))

    def field(x, y, label, value, width):
        draw.text((x, y), _spaced(label), font=label_font, fill=ink)
        lines = _wrap(draw, value, body_font, width)
        for i, line in enumerate(lines):
            draw.text((x + value_dx, y + i * leading), line, font=body_font, fill=ink)
        return y + step + (len(lines) - 1) * leading

    y = y0
    y = field(left_x, y, "名称", truth["name"], 900)
    y = field(left_x, y, "类型", truth["entity_type"], 900)
    y = field(
        left_x, y, "经营者" if individual else "法定代表人", truth["legal_representative"], 1000
    )
    field(left_x, y, "经营范围", truth["business_scope"], 880)
    y = y0
    if individual:
        y = field(right_x, y, "组成形式", "个人经营", 850)
        y = field(right_x, y, "注册日期", _chinese_date(truth["established"]), 850)
        y = field(right_x, y, "经营场所", truth["address"], 760)
    else:
        y = field(right_x, y, "注册资本", truth["capital"], 850)
        y = field(right_x, y, "成立日期", _chinese_date(truth["established"]), 850)
        y = field(right_x, y, "营业期限", f"{_chinese_date(truth['established'])}至长期", 850)
        y = field(right_x, y, "住所", truth["address"], 760)
    # registration authority, date and seal
    draw.text((1700, h - 420), "登记机关", font=label_font, fill=ink)
    draw.text((1700, h - 300), _chinese_date(truth["issued"]), font=body_font, fill=ink)
    seal = _seal(rng, rng.randint(150, 185), truth["authority"], (*red, rng.randint(170, 225)))
    # stamped ink darkens what lies under it (multiply), it does not cover it
    ink_layer = Image.new("RGB", page.size, (255, 255, 255))
    ink_layer.paste(
        Image.new("RGB", seal.size, red),
        (1720 + rng.randint(-40, 60), h - 560 + rng.randint(-60, 40)),
        seal,
    )
    page = ImageChops.multiply(page, ink_layer)
    draw = ImageDraw.Draw(page)
    foot = _font(face, 22)
    draw.text(
        (170, h - 150), "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", font=foot, fill=ink
    )
    draw.text((w / 2, h - 110), "国家市场监督管理总局监制", font=foot, fill=ink, anchor="mm")
    return page


def _photograph(rng: random.Random, page: Image.Image, *, target_width: int) -> Image.Image:
    """A phone photo of ``page``: rotation, desk background, uneven light, blur, noise."""
    angle = rng.uniform(1.0, 4.0) * rng.choice((-1, 1))
    desk = tuple(rng.randint(90, 160) for _ in range(3))
    margin = int(page.width * 0.03)
    canvas = Image.new("RGB", (page.width + 2 * margin, page.height + 2 * margin), desk)
    canvas.paste(page, (margin, margin))
    page = canvas.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=desk)
    page = _resize(page, target_width)
    arr = np.asarray(page).astype(np.float32)
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    dist = np.sqrt(((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
    light = 1.0 - rng.uniform(0.25, 0.45) * dist
    light *= 1.0 - rng.uniform(0.0, 0.15) * (xx / w if rng.random() < 0.5 else yy / h)
    # the phone's shadow: a soft dark band over part of the page
    sx, sy = rng.uniform(-0.2, 0.6) * w, rng.uniform(-0.2, 0.6) * h
    edge = (xx - sx) * math.cos(rng.uniform(0, math.pi)) + (yy - sy) * rng.uniform(-1, 1)
    shadow = 1 / (1 + np.exp(-edge / (0.02 * w)))
    light *= 1.0 - rng.uniform(0.3, 0.5) * shadow
    arr *= light[..., None]
    arr += np.asarray([rng.uniform(-6, 6) for _ in range(3)], dtype=np.float32)
    return _noisy(rng, arr, sigma=rng.uniform(4, 9), blur=rng.uniform(0.7, 1.3))


def _scan(rng: random.Random, page: Image.Image, *, target_width: int, blur: float):
    """A flatbed scan: the page a little crooked on the glass, sensor noise, slight blur."""
    angle = rng.uniform(0.2, 1.2) * rng.choice((-1, 1))
    page = page.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(250, 250, 250))
    page = _resize(page, target_width)
    arr = np.asarray(page).astype(np.float32) * rng.uniform(0.94, 1.0)
    return _noisy(rng, arr, sigma=rng.uniform(2, 5), blur=blur)


def _resize(image: Image.Image, width: int) -> Image.Image:
    return image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)


def _noisy(rng: random.Random, arr: np.ndarray, *, sigma: float, blur: float) -> Image.Image:
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, sigma, arr.shape)
    arr = np.clip(arr + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(arr).filter(ImageFilter.GaussianBlur(blur))


def _degrade(rng: random.Random, page: Image.Image, mode: str) -> tuple[Image.Image, int]:
    """``page`` as ``mode`` captures it, and the JPEG quality its file is saved with."""
    if mode == "clean":
        return _resize(page, rng.randint(2000, 2480)), 95
    if mode == "photo":
        return _photograph(rng, page, target_width=rng.randint(1400, 1800)), rng.randint(50, 85)
    if mode == "lowres":
        image = _scan(rng, page, target_width=rng.randint(1000, 1200), blur=rng.uniform(0.5, 0.9))
        return image, rng.randint(50, 70)
    if mode in ("scan", "pdf"):
        image = _scan(rng, page, target_width=rng.randint(1600, 2000), blur=rng.uniform(0.3, 0.7))
        return image, rng.randint(75, 92)
    raise ValueError(mode)


def _encode(image: Image.Image, fmt: str, *, quality: int, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    if fmt == "png":
        image.save(buffer, "PNG")
    elif fmt == "jpeg":
        image.save(buffer, "JPEG", quality=quality)
    elif fmt == "pdf":
        # a scanner's PDF: one JPEG page per image
        jpeg = io.BytesIO()
        image.save(jpeg, "JPEG", quality=quality)
        Image.open(io.BytesIO(jpeg.getvalue())).save(buffer, "PDF", resolution=dpi)
    else:
        raise ValueError(fmt)
    return buffer.getvalue()


@dataclass(frozen=True)
class Scan:
    data: bytes
    content_type: str
    truth: dict  # the fields as ``read_document`` returns them when it reads them right
    face: str
    mode: str


def licence_scan(seed: int, *, face: str | None = None, mode: str | None = None) -> Scan:
    """Licence ``seed`` set in its face and captured in its mode (or those given)."""
    face = face or licence_face(seed)
    mode = mode or licence_mode(seed)
    fmt = {"clean": "png", "pdf": "pdf"}.get(mode, "jpeg")
    data, truth = licence_image(seed, fmt=fmt, face=face, mode=mode)
    return Scan(data, CONTENT_TYPES[fmt], truth, face, mode)


def licence_image(
    seed: int,
    *,
    fmt: str = "jpeg",
    hard: bool = True,
    face: str | None = None,
    mode: str | None = None,
) -> tuple[bytes, dict]:
    """A licence scan (bytes in ``fmt``) and its truth (fields as ``read_document`` returns).

    ``hard=False`` is the ``clean`` mode; otherwise the seed's mode (``licence_mode``).
    """
    truth = licence_truth(seed)
    rng = random.Random(f"licence-image-{seed}")
    face = face or licence_face(seed)
    mode = mode or (licence_mode(seed) if hard else "clean")
    page = _draw_licence(rng, truth, face)
    image, quality = _degrade(rng, page, mode)
    data = _encode(image, fmt, quality=quality, dpi=int(image.width / 11.69))
    fields = {k: truth[k] for k in ("uscc", "name", "entity_type", "legal_representative")}
    fields |= {k: truth[k] for k in ("business_scope", "address", "established")}
    return data, {**fields, "uscc_valid": True}


def id_back_truth(seed: int) -> dict:
    rng = random.Random(f"id-back-{seed}")
    city, _province, _division, districts = rng.choice(CITIES)
    start = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randint(0, 6000))
    years = rng.choice((10, 20, 20, None))
    until = None
    if years is not None:
        try:
            until = start.replace(year=start.year + years)
        except ValueError:  # 29 February
            until = start.replace(year=start.year + years, day=28)
    return {
        "authority": f"{city}公安局{rng.choice(districts).rstrip('区市镇街道')}分局",
        "valid_from": start.isoformat(),
        "valid_until": until.isoformat() if until else None,
    }


def _card(rng: random.Random, size=(1712, 1080)) -> Image.Image:
    w, h = size
    card = Image.new("RGB", size, (rng.randint(225, 240), rng.randint(232, 245), 238))
    draw = ImageDraw.Draw(card)
    for k in range(0, h, 16):
        pts = [(x, k + 6 * math.sin(x / 40 + k / 30)) for x in range(0, w, 16)]
        draw.line(pts, fill=(205, 220, 228), width=2)
    return card


ID_MODES = ("photo", "scan", "lowres")


def id_face(seed: int) -> str:
    return FACE_NAMES[seed % len(FACE_NAMES)]


def id_mode(seed: int) -> str:
    return ID_MODES[(seed // len(FACE_NAMES)) % len(ID_MODES)]


def _card_photo(rng: random.Random, card: Image.Image, *, mode: str) -> tuple[Image.Image, int]:
    """The card on a desk, captured in ``mode`` (``clean``: the card alone, sharp)."""
    mask = Image.new("L", card.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, *card.size), radius=60, fill=255)
    desk = tuple(rng.randint(60, 140) for _ in range(3))
    canvas = Image.new("RGB", (card.width + 240, card.height + 240), desk)
    canvas.paste(card, (120, 120), mask)
    if mode == "clean":
        return _resize(canvas, 1400), 92
    if mode == "photo":
        return _photograph(rng, canvas, target_width=rng.randint(1000, 1300)), rng.randint(50, 85)
    if mode == "scan":
        return _scan(rng, canvas, target_width=rng.randint(1100, 1400), blur=0.5), 85
    if mode == "lowres":
        image = _scan(rng, canvas, target_width=rng.randint(800, 950), blur=rng.uniform(0.5, 0.8))
        return image, rng.randint(55, 70)
    raise ValueError(mode)


def id_back_image(
    seed: int, *, fmt: str = "jpeg", hard: bool = True, face: str | None = None
) -> tuple[bytes, dict]:
    """The back (national emblem side) of a resident ID card and its validity period; its face
    and mode come from the seed (``id_face``, ``id_mode``; ``hard=False``: clean)."""
    truth = id_back_truth(seed)
    rng = random.Random(f"id-back-image-{seed}")
    face = face or id_face(seed)
    card = _card(rng)
    draw = ImageDraw.Draw(card)
    red = (200, 40, 40)
    draw.ellipse((120, 90, 400, 370), fill=red)
    draw.ellipse((180, 150, 340, 310), outline=(240, 200, 60), width=12)
    title = _font(_noto(rng), 92, bold=True)
    draw.text((520, 150), "中华人民共和国", font=title, fill=(20, 20, 20))
    draw.text((470, 330), "居民身份证", font=_font(_noto(rng), 130, bold=True), fill=(20, 20, 20))
    font = _font(face, rng.randint(50, 56))
    ink = (rng.randint(10, 40),) * 3
    until = truth["valid_until"]
    period = (
        truth["valid_from"].replace("-", ".") + "-" + (until.replace("-", ".") if until else "长期")
    )
    draw.text((330, 760), "签发机关", font=font, fill=ink)
    draw.text((640, 760), truth["authority"], font=font, fill=ink)
    draw.text((330, 880), "有效期限", font=font, fill=ink)
    draw.text((640, 880), period, font=font, fill=ink)
    image, quality = _card_photo(rng, card, mode=id_mode(seed) if hard else "clean")
    return _encode(image, fmt, quality=quality), {
        "valid_from": truth["valid_from"],
        "valid_until": truth["valid_until"],
    }


def id_front_truth(seed: int) -> dict:
    rng = random.Random(f"id-front-{seed}")
    divisions = ("440303", "440304", "440305", "330782", "330106", "310115", "350203", "320506")
    while True:  # the county must have existed when the holder was born
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randint(0, 12000))
        body = f"{rng.choice(divisions)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")  # stdnum expects a check digit slot
        if ric.is_valid(number):
            break
    return {
        "name": _person(rng),
        "id_number": number,
        "sex": "男" if int(body[-1]) % 2 else "女",
        "birth": birth,
    }


def id_front_image(seed: int, *, fmt: str = "jpeg", hard: bool = True) -> tuple[bytes, dict]:
    """The front (photo side) of a resident ID card, with its name and number."""
    truth = id_front_truth(seed)
    rng = random.Random(f"id-front-image-{seed}")
    card = _card(rng)
    draw = ImageDraw.Draw(card)
    label = _font(_noto(rng), 44)
    font = _font(_noto(rng), 54)
    blue = (40, 110, 170)
    ink = (20, 20, 20)
    b = truth["birth"]
    draw.text((150, 110), "姓  名", font=label, fill=blue)
    draw.text((360, 100), truth["name"], font=font, fill=ink)
    draw.text((150, 230), "性  别", font=label, fill=blue)
    draw.text((360, 220), truth["sex"], font=font, fill=ink)
    draw.text((620, 230), "民  族", font=label, fill=blue)
    draw.text((820, 220), "汉", font=font, fill=ink)
    draw.text((150, 350), "出  生", font=label, fill=blue)
    draw.text((360, 340), f"{b.year}  年  {b.month}  月  {b.day}  日", font=font, fill=ink)
    draw.text((150, 470), "住  址", font=label, fill=blue)
    draw.text((360, 460), "广东省深圳市南山区科苑路", font=font, fill=ink)
    draw.text((360, 540), f"{rng.randint(1, 300)}号", font=font, fill=ink)
    draw.rectangle((1180, 160, 1580, 660), fill=(200, 210, 220))  # photo
    draw.ellipse((1280, 220, 1480, 440), fill=(150, 150, 160))
    draw.text((150, 860), "公民身份号码", font=label, fill=blue)
    draw.text((560, 850), truth["id_number"], font=_font(_noto(rng), 60), fill=ink)
    image, quality = _card_photo(rng, card, mode="photo" if hard else "clean")
    return _encode(image, fmt, quality=quality), {
        "name": truth["name"],
        "id_number": truth["id_number"],
    }
