"""OCR of generated licence and ID card scans with the real Tesseract (chi_sim + eng)."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytesseract
import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from ocr import (
    OcrResult,
    OcrTimeout,
    UnreadableDocument,
    engine,
    licence,
    line_model,
    read_document,
)
from ocr.errors import MESSAGES
from ocr.idcard import repair_id_number
from ocr.text import match_label, parse_chinese_date
from onboarding.services.documents import OCR_ERROR_MESSAGES, ocr_error_message
from onboarding.system_checks import tesseract_check
from tests.onboarding.synthetic import (
    FACES,
    id_back_image,
    id_front_image,
    licence_image,
    licence_scan,
)

ROOT = Path(__file__).resolve().parents[2]
LICENCE_KEYS = {
    "uscc",
    "uscc_valid",
    "name",
    "entity_type",
    "legal_representative",
    "business_scope",
    "address",
    "established",
}


def _read_licence(seed):
    scan = licence_scan(seed)
    return read_document(kind="licence", data=scan.data, content_type=scan.content_type), scan.truth


# ---------------------------------------------------------------- fast


def test_id_number_is_repaired_only_toward_a_valid_number():
    assert repair_id_number(["11010519491231002X"]) == "11010519491231002X"
    assert repair_id_number(["1101O519491231002x"]) == "11010519491231002X"
    # one digit misread (3 → 8), and only one look-alike substitution makes it valid
    assert repair_id_number(["11010519491281002X"]) == "11010519491231002X"
    # no single look-alike digit makes these valid (a year 7949 birth does not count)
    assert repair_id_number(["110105194912310022"]) is None
    assert repair_id_number(["110105194912310029"]) is None
    assert repair_id_number(["1101051949123100"]) is None


@pytest.mark.parametrize(
    ("read", "date"),
    [
        ("2009年11月24日", "2009-11-24"),
        ("2005年09月01日至长期", "2005-09-01"),
        ("2003年9月3日", "2003-09-03"),
        ("2015.05.06-2035.05.06", "2015-05-06"),
        ("2008年01]月30日", "2008-01-30"),  # a two-digit month lost nothing
        # a single digit beside a digit's look-alike may have lost its twin: not read
        ("2009年1]月24日", None),  # tuning seed 10: 11月 read 1]月, both lines alike
        ("2009年11月2l日", None),
        ("2009年]1月2日", None),
    ],
)
def test_a_date_is_read_only_from_whole_numbers(read, date):
    assert parse_chinese_date(read) == date


def test_unknown_content_type_is_unreadable():
    with pytest.raises(UnreadableDocument):
        read_document(kind="licence", data=b"GIF89a", content_type="image/gif")


def test_undecodable_image_is_unreadable():
    with pytest.raises(UnreadableDocument) as raised:
        read_document(kind="licence", data=b"\xff\xd8\xff junk", content_type="image/jpeg")
    assert raised.value.code == "image_unopenable"
    assert raised.value.message == "The image could not be opened; upload it again."
    with translation.override("zh-hans"):
        assert ocr_error_message(raised.value) == "无法打开图片，请重新上传。"


def test_encrypted_pdf_is_unreadable():
    data, _truth = licence_image(3, fmt="pdf")
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(UnreadableDocument) as raised:
        read_document(kind="licence", data=buffer.getvalue(), content_type="application/pdf")
    assert raised.value.code == "pdf_encrypted"
    with translation.override("en"):
        assert ocr_error_message(raised.value) == (
            "The PDF is password-protected; upload it without a password."
        )


def test_every_reading_error_has_a_translated_message():
    assert set(OCR_ERROR_MESSAGES) == set(MESSAGES)
    for code, english in MESSAGES.items():
        with translation.override("en"):
            assert str(OCR_ERROR_MESSAGES[code]) == english
        with translation.override("zh-hans"):
            assert str(OCR_ERROR_MESSAGES[code]) != english, code


def test_an_unknown_error_code_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown OCR error code"):
        UnreadableDocument("blurry")


def test_the_ocr_package_imports_neither_django_nor_an_app():
    apps = ("django", "config", "core", "accounts", "platforms", "onboarding", "shipments")
    apps += ("billing", "diagnostics", "stores", "pricing", "demo")
    code = (
        "import sys, ocr, ocr.engine, ocr.licence, ocr.idcard, ocr.uscc, ocr.regions; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(apps)!r}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"


def test_starting_django_loads_no_image_library_of_the_reading():
    """The web and export processes name the OCR's errors and result, never read: OpenCV
    and NumPy (about 35 MB a process) load only with ``read_document``, ONNX Runtime only
    with the first line the line model reads."""
    watched = "{'cv2', 'numpy', 'ocr.engine', 'onnxruntime'}"
    code = (
        "import django, sys; django.setup(); import onboarding.services.documents, "
        "onboarding.system_checks, config.urls; "
        f"print(sorted({watched} & set(sys.modules))); "
        "from ocr import read_document; "
        f"print(sorted({watched} & set(sys.modules)))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env
    ).stdout.split("\n")
    assert out[:2] == ["[]", "['cv2', 'numpy', 'ocr.engine']"]


# ---------------------------------------------------------------- the start-up check


def test_start_up_check_passes_with_tesseract_and_chi_sim():
    assert tesseract_check(None) == []
    assert [m for m in run_checks(tags=["ocr"]) if m.is_serious()] == []


def test_start_up_fails_without_the_tesseract_binary(monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    errors = tesseract_check(None)
    assert [e.id for e in errors] == ["onboarding.E001"]
    with pytest.raises(SystemCheckError, match=r"onboarding\.E001"):
        call_command("check")


def test_start_up_fails_when_chi_sim_is_missing(monkeypatch, tmp_path):
    # a tessdata folder holding English only, as on a host without tesseract-ocr-chi-sim
    english = next(Path("/usr/share").glob("tesseract-ocr/*/tessdata/eng.traineddata"))
    shutil.copy(english, tmp_path / "eng.traineddata")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    errors = tesseract_check(None)
    assert [e.id for e in errors] == ["onboarding.E002"]
    assert errors[0].msg.startswith("Tesseract cannot read chi_sim:")


# ---------------------------------------------------------------- real OCR


# One licence per face, each in a hard mode: every field the bench measures, exact.
FACE_SEEDS = [
    ("ming", 12, "photo"),
    ("kai", 79, "lowres"),
    ("zenhei", 26, "pdf"),
    ("microhei", 75, "photo"),
    ("noto-serif", 22, "lowres"),
    ("noto-sans", 59, "pdf"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("face", "seed", "mode"), FACE_SEEDS)
def test_a_licence_in_each_face_is_read(face, seed, mode):
    scan = licence_scan(seed)
    assert (scan.face, scan.mode) == (face, mode)

    result = read_document(kind="licence", data=scan.data, content_type=scan.content_type)

    read = {k: result.fields[k] for k in ("uscc", "name", "legal_representative", "established")}
    assert read == {k: scan.truth[k] for k in read}
    assert result.fields["uscc_valid"] is True
    assert result.unsure == {}


def test_faces_of_the_generator_are_installed():
    assert {face for face, _seed, _mode in FACE_SEEDS} == set(FACES)
    for face in FACES.values():
        assert Path(face.path).is_file(), f"{face.path}: run `make system`"


@pytest.mark.slow
def test_clean_licence_fields():
    result, truth = _read_licence(1)
    assert isinstance(result, OcrResult)
    assert result.kind == "licence"
    assert set(result.fields) == LICENCE_KEYS
    assert result.fields["uscc"] == "913502002504Q43B2B" == truth["uscc"]
    assert result.fields["uscc_valid"] is True
    assert result.fields["name"] == "厦门市汇汇家居用品股份有限公司" == truth["name"]
    assert result.fields["entity_type"] == "股份有限公司（非上市、自然人投资或控股）"
    assert result.fields["legal_representative"] == "彭伟伟"
    assert result.fields["established"] == "2020-04-21"
    assert result.fields["address"] == "福建省厦门市湖里区解放路925号创业大厦A栋1716"
    assert "货物进出口" in result.fields["business_scope"]
    assert result.unsure == {}
    assert result.tesseract_version.startswith("5.")
    assert result.languages == "chi_sim+eng"
    assert set(result.confidences) <= LICENCE_KEYS
    assert all(0 <= c <= 100 for c in result.confidences.values())
    assert result.confidences["uscc"] > 50
    assert "厦门市" in result.raw_text
    assert result.seconds > 0


@pytest.mark.slow
def test_individual_business_licence():
    result, truth = _read_licence(8)
    assert result.fields["uscc"] == truth["uscc"] == "92440100289360D56P"
    assert result.fields["uscc_valid"] is True
    assert result.fields["entity_type"] == "个体工商户"
    assert result.fields["name"] == truth["name"]
    assert result.fields["established"] == truth["established"]
    assert "货物进出口" not in result.fields["business_scope"]


@pytest.mark.slow
def test_a_name_the_readings_disagree_on_is_left_empty_with_the_reason():
    # AR PL UKai, photo: the line model reads 义马市品汇新家居用品股份有限公司 (马 for 乌) and is
    # unsure of it (56 %), Tesseract's readings agree on nothing: no name, no guess
    scan = licence_scan(373)
    result = read_document(kind="licence", data=scan.data, content_type=scan.content_type)
    assert result.fields["name"] is None
    assert result.unsure == {
        "name": "readings_disagree",
        "legal_representative": "label_not_found",
    }
    read = {k: result.fields[k] for k in ("uscc", "established")}
    assert read == {k: scan.truth[k] for k in read}


@pytest.mark.slow
def test_a_representative_line_the_main_pass_lost_is_read_where_it_stands():
    # WenQuanYi Zen Hei, photo: the main pass reads nothing of the 法定代表人 line; the line
    # between the entity type and the business scope is cropped and read again
    result, truth = _read_licence(134)
    assert result.fields["legal_representative"] == truth["legal_representative"] == "田然"
    assert "legal_representative" not in result.unsure


@pytest.mark.slow
def test_a_name_line_split_by_a_too_small_word_box_is_joined():
    # WenQuanYi Micro Hei, photo: the main pass boxed 广州 five pixels wide, so the name's line
    # fell in two segments; the crop of the whole line caught the label's 称 (read 人)
    result, truth = _read_licence(45)
    assert result.fields["name"] == truth["name"] == "广州市华瑞泰跨境电子商务有限公司"
    assert "name" not in result.unsure


@pytest.mark.slow
def test_a_date_printed_once_is_read_again_by_the_name_model():
    # WenQuanYi Zen Hei, low resolution, an individual business: its registration date is
    # printed once and the main pass lost the label column; the date's line is read again
    result, truth = _read_licence(170)
    assert truth["entity_type"] == "个体工商户"
    assert result.fields["established"] == truth["established"] == "2003-09-23"


@pytest.mark.slow
def test_upside_down_photo_is_turned_round():
    data, truth = licence_image(1)
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).rotate(180).save(buffer, "JPEG", quality=85)
    result = read_document(kind="licence", data=buffer.getvalue(), content_type="image/jpeg")
    assert result.fields["uscc"] == truth["uscc"]
    assert result.fields["name"] == truth["name"]


@pytest.mark.slow
def test_blank_page_is_unreadable():
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1130), "white").save(buffer, "PNG")
    with pytest.raises(UnreadableDocument):
        read_document(kind="licence", data=buffer.getvalue(), content_type="image/png")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "valid_from", "valid_until"),
    [(1, "2015-05-06", "2035-05-06"), (8, "2012-12-05", None)],
)
def test_id_back_validity(seed, valid_from, valid_until):
    data, truth = id_back_image(seed)
    assert truth == {"valid_from": valid_from, "valid_until": valid_until}
    result = read_document(kind="id_back", data=data, content_type="image/jpeg")
    assert result.fields == {"valid_from": valid_from, "valid_until": valid_until}


@pytest.mark.slow
def test_id_front_name_and_number():
    data, truth = id_front_image(0)
    result = read_document(kind="id_front", data=data, content_type="image/jpeg")
    assert result.fields == truth


@pytest.mark.slow
def test_command_json(tmp_path):
    data, truth = licence_image(1)
    path = tmp_path / "licence.jpg"
    path.write_bytes(data)
    out = io.StringIO()
    call_command("ocr_document", str(path), "--kind", "licence", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert set(printed) == LICENCE_KEYS | {"unsure", "seconds"}
    assert printed["unsure"] == {}
    assert printed["uscc"] == truth["uscc"]
    assert printed["uscc_valid"] is True
    assert printed["name"] == truth["name"]
    assert printed["established"] == "2020-04-21"
    assert printed["seconds"] > 0


def test_command_refuses_a_file_that_is_no_scan(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a scan")
    with (
        translation.override("en"),
        pytest.raises(CommandError, match="is not a JPEG, PNG or PDF file"),
    ):
        call_command("ocr_document", str(path), "--kind", "licence")


@pytest.mark.slow
def test_tesseract_over_its_time_limit_is_a_timeout(monkeypatch):
    monkeypatch.setattr(engine, "PAGE_TIMEOUT_SECONDS", 0.01)
    data, _truth = licence_image(1)
    with pytest.raises(OcrTimeout):
        read_document(kind="licence", data=data, content_type="image/jpeg")


# ---------------------------------------------------------------- the name's second model


@pytest.mark.slow
def test_an_unsure_company_name_is_read_again_with_the_second_model():
    assert engine.name_model_dir() is not None, "run `make venv`: it installs the name model"
    result, truth = _read_licence(37)
    assert "鑫" in truth["name"]
    assert result.fields["name"] == truth["name"]


@pytest.mark.slow
def test_without_the_second_models_the_main_reading_stands(monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "NAME_MODEL_DIR", tmp_path)
    monkeypatch.setattr(line_model, "LINE_MODEL_PATH", tmp_path / "absent.onnx")
    monkeypatch.setattr(line_model, "SECOND_MODEL_PATH", tmp_path / "absent-too.onnx")
    assert engine.name_model_dir() is None
    assert not line_model.available()
    assert not line_model.available(line_model.SECOND)
    result, truth = _read_licence(37)
    # the distribution's model alone misreads the rare character, as before the second model
    assert result.fields["name"] != truth["name"]
    assert result.fields["uscc"] == truth["uscc"]


# ---------------------------------------------------------------- the line model


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "settled"),
    [
        # AR PL UKai, low resolution: Tesseract's five readings of the name and of the
        # representative agree on nothing (云融恒, 移技 …); the line model is sure of both
        (19, {"name", "legal_representative"}),
        # Noto Sans, low resolution: 谢起晨, 潘霜晨, 谢融晚 …; the line model reads 谢霞晨
        (23, {"legal_representative"}),
        # AR PL UKai, scan: 曾展, 曹展, 曹冠 …; the line model reads 曹晨
        (37, {"legal_representative"}),
        # WenQuanYi Micro Hei, clean: the code's box holds its label's line too; the line
        # model reads the band of the code alone and confirms the main pass
        (3, {"uscc"}),
    ],
)
def test_the_line_model_settles_what_tesseract_cannot(monkeypatch, tmp_path, seed, settled):
    result, truth = _read_licence(seed)
    assert {k: result.fields[k] for k in settled} == {k: truth[k] for k in settled}
    assert result.unsure == {}

    monkeypatch.setattr(line_model, "LINE_MODEL_PATH", tmp_path / "absent.onnx")
    monkeypatch.setattr(line_model, "SECOND_MODEL_PATH", tmp_path / "absent-too.onnx")
    without, _truth = _read_licence(seed)
    assert {k: without.fields[k] for k in settled} == dict.fromkeys(settled)
    assert set(without.unsure) == settled


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "key"),
    [
        # AR PL UKai, low resolution: the line model reads 鸿涛然 (69 %) against Tesseract's
        # 冯涛然; the second network reads 冯涛然 and Tesseract agrees
        (109, "legal_representative"),
        # WenQuanYi Micro Hei, low resolution: every reader but the second network dropped the
        # final J (the line model reads a bracket); it agrees with a later Tesseract reading
        (51, "uscc"),
    ],
)
def test_the_second_network_confirms_a_reading(monkeypatch, tmp_path, seed, key):
    result, truth = _read_licence(seed)
    assert result.fields[key] == truth[key]
    assert result.unsure == {}

    monkeypatch.setattr(line_model, "SECOND_MODEL_PATH", tmp_path / "absent.onnx")
    without, _truth = _read_licence(seed)
    assert without.fields[key] is None
    assert key in without.unsure


@pytest.mark.parametrize("network", [line_model.FIRST, line_model.SECOND], ids=lambda n: n.name)
@pytest.mark.parametrize("face", sorted(FACES))
def test_the_line_model_reads_a_value_line_in_every_face(face, network):
    value = "深圳市鑫禾泰跨境电子商务有限公司"
    image = Image.new("L", (900, 60), 255)
    font = ImageFont.truetype(FACES[face].path, 32, index=FACES[face].index)
    ImageDraw.Draw(image).text((12, 12), value, font=font, fill=20)

    reading = line_model.read_line(np.asarray(image), network)

    assert reading is not None
    assert reading.text == value
    assert len(reading.probabilities) == len(value)
    assert reading.least > licence.LINE_MODEL_WEAK


def test_the_line_model_refuses_what_is_not_a_line(monkeypatch, tmp_path):
    assert line_model.read_line(np.full((3, 200), 255, dtype=np.uint8)) is None
    blank = line_model.read_line(np.full((48, 300), 255, dtype=np.uint8))
    assert blank == line_model.LineReading("", ())
    assert blank.least == 0.0
    monkeypatch.setattr(line_model, "LINE_MODEL_PATH", tmp_path / "absent.onnx")
    assert line_model.read_line(np.full((48, 300), 255, dtype=np.uint8)) is None
    # the second network is its own model (it sees a bracket in a blank: it only confirms)
    second = line_model.read_line(np.full((48, 300), 255, dtype=np.uint8), line_model.SECOND)
    assert second is not None
    assert second.text == "["


def test_ctc_merges_repeats_and_keeps_a_repeat_parted_by_a_blank():
    characters = ["", "7", "号", " "]
    steps = [1, 1, 0, 1, 2, 2, 0]  # 7 7 _ 7 号 号 _  →  77号
    scores = np.full((len(steps), len(characters)), 0.01, dtype=np.float32)
    for step, index in enumerate(steps):
        scores[step, index] = 0.9 - 0.1 * (step == 3)
    reading = line_model._decoded(scores, characters)
    assert reading.text == "77号"
    assert reading.probabilities == pytest.approx((0.9, 0.8, 0.9))


def _reading(value, source=licence.DISTRIBUTION_GREY, weight=1.0):
    return licence.Reading(value, weight, source)


def _line(value, probability):
    return licence.Reading(value, 0.0, licence.LINE_MODEL, probability)


def _second(value, probability):
    return licence.Reading(value, 0.0, licence.SECOND_MODEL, probability)


@pytest.mark.parametrize(
    ("tesseract", "line", "decided"),
    [
        # the line model sure of every character: its value, whatever Tesseract read
        (["张鹏艳"], _line("张鹏艳", 0.95), "张鹏艳"),
        # less sure, but a Tesseract reading agrees: two kinds of reader, one value
        (["郭丽", "曹丽"], _line("曹丽", 0.6), "曹丽"),
        # less sure and alone: it stands against Tesseract's vote, nothing is taken
        (["余宇明", "余宇明"], _line("余字明", 0.7), None),
        # unsure (or its end cut, probability 0): Tesseract's vote decides alone
        (["冯涛然", "冯涛然"], _line("冯涛", 0.0), "冯涛然"),
        (["冯涛然", "冯涛然"], None, "冯涛然"),
        # Tesseract's vote needs two sources: one model twice is one source
        (["冯涛然"], _line(None, 0.0), None),
    ],
)
def test_what_the_line_model_and_tesseract_decide(tesseract, line, decided):
    sources = (licence.DISTRIBUTION_GREY, licence.NAME_MODEL_GREY, licence.NAME_MODEL_BINARY)
    readings = [_reading(v, sources[i]) for i, v in enumerate(tesseract)]
    assert licence._decided(readings, line) == decided
    # a second network that read nothing changes nothing
    assert licence._decided(readings, line, _second(None, 0.0)) == decided


@pytest.mark.parametrize(
    ("tesseract", "line", "second", "decided"),
    [
        # the line model read nothing it is half sure of; the second network reads 冯涛然 and a
        # Tesseract reading agrees: two kinds of reader, one value
        (["冯涛然"], _line(None, 0.0), _second("冯涛然", 0.64), "冯涛然"),
        (["冯涛然"], _line("鸿涛然", 0.3), _second("冯涛然", 0.64), "冯涛然"),
        (["冯涛然"], None, _second("冯涛然", 0.4), "冯涛然"),
        # the line model reads 胡刚霞 at 67 %: the second network and the name model agree on
        # 胡刚露, which does not settle it (nor does Tesseract's vote: the line model stands
        # against it)
        (["胡刚直", "胡刚露"], _line("胡刚霞", 0.67), _second("胡刚露", 0.68), None),
        # the second network alone settles nothing, however sure (it drops characters)
        (["东莞市汇海电子科技有限公司"], None, _second("东莞市汇海电科技有限公司", 1.0), None),
        (["余宇明", "余宇明"], _line("余字明", 0.7), _second("余明", 1.0), None),
        # each network agrees with another Tesseract reading: the line model's value where it
        # is at least half sure of it (the second stands against nothing), else neither
        (["郭丽", "曹丽"], _line("郭丽", 0.6), _second("曹丽", 0.7), "郭丽"),
        (["郭丽", "曹丽"], _line("郭丽", 0.3), _second("曹丽", 0.7), None),
        # both agree with the same reading
        (["郭丽", "曹丽"], _line("郭丽", 0.6), _second("郭丽", 0.7), "郭丽"),
        # the line model sure of every character: its value, whatever the second read
        (["曹丽"], _line("郭丽", 0.95), _second("曹丽", 0.9), "郭丽"),
    ],
)
def test_what_the_second_network_decides(tesseract, line, second, decided):
    sources = (licence.DISTRIBUTION_GREY, licence.NAME_MODEL_GREY, licence.NAME_MODEL_BINARY)
    readings = [_reading(v, sources[i]) for i, v in enumerate(tesseract)]
    assert licence._decided(readings, line, second) == decided


@pytest.mark.parametrize(
    ("tesseract", "line", "second", "decided"),
    [
        # AR PL UKai, low resolution (seeds 30199, 31489): both networks read the same value,
        # each at least half sure, together sure (1 − 0.25 × 0.06; 1 − 0.46 × 0.15 ≥ 0.9): it is
        # taken, against Tesseract's vote (彭超字 three times) or with no Tesseract reading
        (["彭起宇", "彭超字", "彭超字"], _line("彭超宇", 0.75), _second("彭超宇", 0.94), "彭超宇"),
        ([None, None], _line("潘宇军", 0.54), _second("潘宇军", 0.85), "潘宇军"),
        # together not sure (1 − 0.4 × 0.3 = 0.88) and no Tesseract reading agrees: the line
        # model, at least half sure, stands against Tesseract's vote, so nothing is taken
        (["彭超字"], _line("彭超宇", 0.6), _second("彭超宇", 0.7), None),
        # one network less than half sure, the other sure: not agreement enough (seed 31579,
        # 郭艳磊 at 43 and 36 %, is left for review)
        ([None], _line("潘宇军", 0.45), _second("潘宇军", 0.99), None),
        ([None], _line("郭艳磊", 0.43), _second("郭艳磊", 0.36), None),
        # a reading with its unsure end left out (probability 0) agrees with nothing: both
        # networks read a name cut short (东莞市创隆服饰有, seed 30313)
        ([None], _line("东莞市创隆服饰有", 0.0), _second("东莞市创隆服饰有", 0.98), None),
        # the two networks read two values: neither
        ([None], _line("李芳展", 0.77), _second("李芳晨", 0.96), None),
    ],
)
def test_what_the_two_networks_agreeing_decide(tesseract, line, second, decided):
    sources = (licence.DISTRIBUTION_GREY, licence.NAME_MODEL_GREY, licence.NAME_MODEL_BINARY)
    readings = [_reading(v, sources[i]) for i, v in enumerate(tesseract)]
    assert licence._decided(readings, line, second) == decided


def test_a_line_read_with_an_unsure_end_settles_only_with_tesseract():
    # 深圳市龙岗区星丰源服装店 followed by a rule read 一 (41 %): the 一 is left out and the
    # rest, which might have lost a character, is confirmed only by an agreeing reading
    assert (
        licence._probability_of("星丰源服装店", "称星丰源服装店", (0.5, 0.99, 1, 1, 1, 1, 0.98))
        == 0.98
    )
    assert licence._probability_of("（分公司）", "(分公司)", (0.9, 1, 1, 1, 0.8)) == 0.8
    assert licence._probability_of("张鹏", "张", (0.99,)) == 0.0
    assert licence._probability_of(None, "", ()) == 0.0


@pytest.mark.slow
def test_a_date_both_lines_misread_alike_is_not_taken():
    # Noto Serif, photo: the main pass reads 2019年01月07日 on both date lines (11 printed);
    # two readings by one model of one print agree on its mistake. The line model reads
    # 2019年11月07日, sure of it: no Tesseract reading agrees, so the date goes to review.
    result, truth = _read_licence(196)
    assert truth["established"] == "2019-11-07"
    assert result.fields["established"] is None
    assert result.unsure == {"established": "readings_disagree"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "key"),
    [
        # AR PL UMing, clean: the main pass read 色霞 for 曾艳霞, its box right of the column
        # where the values start; the line is read again from the column's left
        (390, "legal_representative"),
        # WenQuanYi Micro Hei, low resolution: 法定代表人 read, its value not at all; the box
        # beside the label is read
        (441, "legal_representative"),
        # AR PL UMing, low resolution: the label read 话定代表入 (two characters misread, apart)
        (228, "legal_representative"),
        # WenQuanYi Zen Hei, photo: the name's crop caught its label, 名称广州市汇达…
        (194, "name"),
        # AR PL UKai, photo: 郭丽's strokes leave a row blank across both characters; the crop
        # of a short value is not split there (it was cut to the upper half)
        (73, "legal_representative"),
        # WenQuanYi Micro Hei, scan: the main pass read neither the code nor a code below its
        # label; the line model finds it in the band under the label, Tesseract confirms it
        (399, "uscc"),
        # AR PL UKai, photo: no label, no code in the main pass; the line model finds it in
        # a line with 编号 on its right, the code's box is cut from the network's positions
        (43, "uscc"),
        # AR PL UKai, clean: the code's box reaches into its label's line, whose band covers
        # most of it; the line model reads the box's other band, the code
        (421, "uscc"),
        # AR PL UMing, photo in shadow: the print is faint (110-140 on paper at 230), so the
        # value lines' bands of ink were found only with a threshold set by the crop
        (222, "name"),
        (222, "legal_representative"),
        # AR PL UKai, PDF: the label column lost, 冯文 read 汉文 (no surname); the short value
        # that starts where the entity type does is read again from its crop
        (30355, "legal_representative"),
        # AR PL UKai, PDF and photo: the label column lost and the entity type wrapped (…或控 /
        # 股）, read 用 and a bracket): the representative stands below the wrapped end
        (30775, "legal_representative"),
        (30463, "legal_representative"),
        # AR PL UKai, photo: a rule of the border above the name read |, the topmost box; the
        # name's crop was cut from it and the boxes that reach above the line (东莞市…有 only)
        (30313, "name"),
        # AR PL UKai, PDF: neither the code nor its label read; the line model's crop of the
        # code's band reached across the page (编号 on the right), so wide that the network
        # read it squeezed and dropped a 6 (11C for 116C): it stops at 60 % of the page's width
        (30895, "uscc"),
    ],
)
def test_a_field_the_main_pass_lost_is_found(seed, key):
    result, truth = _read_licence(seed)
    assert result.fields[key] == truth[key]
    assert key not in result.unsure


def _word(text, left, top, width, height):
    return engine.Word(text, 90.0, left, top, width, height, (1, 1, 1))


def test_the_first_row_of_a_value_is_its_line_not_a_mark_above_it():
    # seed 30313's name: a rule of the border read | above the line, boxes that reach above
    # it (降服, 饰: 57 high), and the line's own boxes, 22-27 high, tops at 408-413
    mark = _word("|", 85, 393, 4, 23)
    tall = [_word("降服", 440, 389, 58, 57), _word("饰", 497, 389, 23, 57)]
    line = [_word(c, 314 + 30 * i, 410 + i % 3, 24, 24) for i, c in enumerate("东莞市创有限")]
    first = licence._first_row([mark, *tall, *line])
    assert first == [*tall, *line]
    # a name that wraps: its second line is not the first row
    below = [_word(c, 314 + 30 * i, 460, 24, 24) for i, c in enumerate("公司")]
    assert licence._first_row([*line, *below]) == line
    # a lone box is its own first row
    assert licence._first_row([mark]) == [mark]
    # seed 156's representative, 马平: 马's box two pixels high, 平's above it; both are the line
    low, high = _word("马", 277, 505, 15, 2), _word("平", 301, 490, 22, 13)
    assert licence._first_row([low, high]) == [low, high]


@pytest.mark.parametrize(
    ("raw", "opens"),
    [
        ("股份有限公司(非上市、自然人投资或控", True),
        ("有限责任公司（自然人投资或控股）", False),
        ("有限责任公司(自然人独资)", False),
        ("个体工商户", False),
    ],
)
def test_an_entity_type_that_wraps_opens_a_bracket(raw, opens):
    assert licence._opens_bracket(raw) is opens


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("法定代表人张三", ("legal_representative", 5)),
        ("话定代表入徐强勇", ("legal_representative", 5)),  # two misread, apart
        ("是污定代表人田桂", ("legal_representative", 6)),  # a stray character, one misread
        ("主要经营项目是", None),  # two side by side: another word
        ("定代表人", None),
    ],
)
def test_a_long_label_is_found_with_two_characters_misread_apart(line, found):
    assert match_label(line, licence.LABELS) == found


@pytest.mark.parametrize(
    ("tesseract", "line", "decided"),
    [
        # Tesseract's two lines agree on 01, the line model reads 11 and is sure: neither
        (["2019-01-07", "2019-01-07"], [_line("2019-11-07", 0.99)], None),
        # … until a Tesseract reading gives the line model's date
        (["2019-01-07", "2019-01-07", "2019-11-07"], [_line("2019-11-07", 0.99)], "2019-11-07"),
        # the line model unsure: Tesseract's two agreeing readings stand
        (["2019-01-07", "2019-01-07"], [_line("2019-11-07", 0.3)], "2019-01-07"),
        (["2019-01-07", "2019-01-07"], [], "2019-01-07"),
        # one reading of each kind that agree
        (["2019-11-07", None], [_line("2019-11-07", 0.6)], "2019-11-07"),
        # two dates each confirmed across kinds: no date
        (
            ["2019-11-07", "2019-01-07"],
            [_line("2019-11-07", 0.9), _line("2019-01-07", 0.9)],
            None,
        ),
    ],
)
def test_what_decides_the_founding_date(tesseract, line, decided):
    assert licence._dates_decided(tesseract, line) == decided


def test_the_line_model_says_where_each_character_stands():
    characters = ["", "9", "1", " "]
    steps = [0, 1, 0, 0, 2, 2, 0, 0]
    scores = np.full((len(steps), len(characters)), 0.01, dtype=np.float32)
    for step, index in enumerate(steps):
        scores[step, index] = 0.9
    reading = line_model._decoded(scores, characters, step_width=10.0, offset=100.0)
    assert reading.text == "91"
    assert reading.positions == (115.0, 145.0)


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("名称广州市汇达电子商务有限公司", "广州市汇达电子商务有限公司"),
        ("各称去东莞市宏昌佳启服饰股份有限公司", "东莞市宏昌佳启服饰股份有限公司"),
        ("人广州市汇达电子商务有限公司", "广州市汇达电子商务有限公司"),  # 称 read 人
        # no 称 before the place: a misread region is not cut to a district (白云区…)
        ("厂州市白云区汇达电子商务有限公司", "厂州市白云区汇达电子商务有限公司"),
        ("广州市汇达电子商务有限公司", "广州市汇达电子商务有限公司"),
    ],
)
def test_a_name_read_with_its_label_loses_the_label(read, name):
    assert licence._without_label(read, "") == name


def _two_lines(ink: int, paper: int) -> np.ndarray:
    """Two lines of Chinese print, 40 px apart, in grey ``ink`` on grey ``paper``."""
    image = Image.new("L", (420, 120), paper)
    face = FACES["noto-sans"]
    font = ImageFont.truetype(face.path, 24, index=face.index)
    draw = ImageDraw.Draw(image)
    draw.text((10, 20), "东莞市华锦远电子科技有限公司", font=font, fill=ink)
    draw.text((10, 70), "曾红强", font=font, fill=ink)
    return np.array(image)


@pytest.mark.parametrize(("ink", "paper"), [(120, 230), (140, 235), (150, 240)])
def test_a_faint_line_is_one_band_of_ink(ink, paper):
    # a phone photo in shadow prints at 110-150 on paper at 230: with a fixed threshold of 128
    # its lines fell apart into bands of a few rows (or none), and every reader read those
    # crops wrong; the bands of faint print are those of the same print in black on white
    box = (10, 20, 400, 50)
    clean = engine.ink_bands(_two_lines(0, 255), box)
    assert len(clean) == 2
    faint = engine.ink_bands(_two_lines(ink, paper), box)
    assert len(faint) == 2
    for (top, bottom), (clean_top, clean_bottom) in zip(faint, clean, strict=True):
        assert abs(top - clean_top) <= 1 and abs(bottom - clean_bottom) <= 1
    assert engine.line_band(_two_lines(ink, paper), box) == faint[0]


def test_the_ink_threshold_is_fixed_on_a_page_of_good_contrast():
    assert engine.ink_threshold(_two_lines(0, 255)) == 128
    # halfway between the print (its darkest 1 %) and the paper (the median)
    assert engine.ink_threshold(_two_lines(150, 240)) == 195
    assert engine.ink_threshold(np.zeros((0, 0), dtype=np.uint8)) == 128
