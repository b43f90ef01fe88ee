"""The USCC check-character repair: fast, no OCR, no database."""

import os
import random
import subprocess
import sys

import pytest
from stdnum.cn import uscc as stdnum_uscc

from ocr.regions import snap_region_prefix
from ocr.uscc import (
    ALPHABET,
    find_candidates,
    is_enterprise,
    is_individual_business,
    is_valid,
    repair_uscc,
)

CODE = "9144030071526726XG"  # 91 enterprise, 440300 Shenzhen
# a code with 0, 1, 2 and 5 after position 8, where O, I, Z and S cannot appear
BODY = "91440300MA5210K1"
CODE_WITH_DIGITS = BODY + "0" + stdnum_uscc.calc_check_digit(BODY + "0")


def test_fixture_codes_are_valid():
    assert stdnum_uscc.is_valid(CODE)
    assert stdnum_uscc.is_valid(CODE_WITH_DIGITS)


def test_valid_code_is_returned_unchanged():
    reading = repair_uscc(CODE)
    assert (reading.code, reading.valid, reading.repaired) == (CODE, True, False)


def test_spaces_and_lower_case_are_compacted():
    reading = repair_uscc("9144 0300 7152 6726 xg")
    assert (reading.code, reading.valid) == (CODE, True)


@pytest.mark.parametrize(
    "read",
    [
        "9I44O3OO7I5267Z6XG",  # I→1, O→0, Z→2 in the digit positions
        "9144O30071526726XG",
        "9144O3OO7I5Z6726XG",
    ],
)
def test_letters_in_the_digit_positions_are_repaired(read):
    reading = repair_uscc(read)
    assert (reading.code, reading.valid, reading.repaired) == (CODE, True, True)


@pytest.mark.parametrize(
    ("printed", "misread"),
    [("0", "O"), ("1", "I"), ("2", "Z"), ("5", "S")],
)
def test_forbidden_letters_after_position_8_are_repaired(printed, misread):
    index = CODE_WITH_DIGITS.index(printed, 8)
    read = CODE_WITH_DIGITS[:index] + misread + CODE_WITH_DIGITS[index + 1 :]
    reading = repair_uscc(read)
    assert (reading.code, reading.valid, reading.repaired) == (CODE_WITH_DIGITS, True, True)


def test_s_for_5_in_the_digits():
    code = "91350500T8F4991657"
    assert stdnum_uscc.is_valid(code)
    assert repair_uscc("9135O5OOT8F499I657").code == code


def test_b_for_8_repaired_toward_the_valid_code():
    code = "92440100369823B5F3"
    reading = repair_uscc("9244010036982385F3")
    assert (reading.code, reading.valid) == (code, True)


def test_g_for_6_repaired_toward_the_valid_code():
    code = "9144190060G5536388"
    reading = repair_uscc("914419006065536388")
    assert (reading.code, reading.valid) == (code, True)


def test_two_readings_vote():
    # the main pass read S, the crop read 8: S→8 is a known confusion, 5 would fail the check
    reading = repair_uscc("91350500TSF4991657", "91350500T8F4991657")
    assert (reading.code, reading.valid) == ("91350500T8F4991657", True)


def test_a_valid_reading_wins_over_a_misaligned_one():
    # the crop inserted a character and dropped the last; the main pass is valid as read
    reading = repair_uscc("91330200N62399L592", "91330200N623991L59")
    assert (reading.code, reading.valid) == ("91330200N62399L592", True)


def test_wrong_length_is_returned_invalid():
    reading = repair_uscc("92310115518023829")
    assert (reading.code, reading.valid) == ("92310115518023829", False)


def test_nothing_read():
    assert repair_uscc(None, "") == repair_uscc()
    assert repair_uscc().code is None
    assert repair_uscc().valid is False


def test_wrong_check_character_is_not_made_valid_by_recomputing_it():
    # the check character is read too; an unrelated error there is not "repaired"
    read = CODE[:-1] + "K"
    reading = repair_uscc(read)
    assert reading.valid is False
    assert reading.code == read


def test_an_invalid_code_is_never_reported_valid():
    rng = random.Random(7)
    for _ in range(400):
        body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
        body += "".join(rng.choice(ALPHABET) for _ in range(9))
        code = body + stdnum_uscc.calc_check_digit(body)
        chars = list(code)
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(18)] = rng.choice(ALPHABET + "OIZSV")
        reading = repair_uscc("".join(chars))
        assert reading.valid == stdnum_uscc.is_valid(reading.code or "")


def test_entity_prefixes():
    individual = "92440100289360D56P"
    assert is_valid(individual)
    assert is_individual_business(individual)
    assert not is_enterprise(individual)
    assert repair_uscc(individual).code == individual
    assert is_enterprise(CODE)
    assert not is_individual_business(CODE)


def test_find_candidates_in_free_text():
    text = "统一社会信用代码\n9144 0300 7152 6726XG 编号 S123"
    assert find_candidates(text) == ["9144030071526726XG"]


def test_region_prefix_of_a_name_is_snapped_to_the_division_names():
    assert snap_region_prefix("广州市番昌区创联服装店", "440100") == "广州市番禺区创联服装店"
    assert snap_region_prefix("广东省深圳市南止区科苑路", "440300") == "广东省深圳市南山区科苑路"
    # trade names are never touched
    assert snap_region_prefix("广州市华泰贸易有限公司", "440100") == "广州市华泰贸易有限公司"
    assert snap_region_prefix("深圳市华泰贸易有限公司", "") == "深圳市华泰贸易有限公司"


def test_misaligned_readings_are_never_repaired_into_a_valid_code():
    # Seen on a generated licence: OCR added a 0 after position 10 in both readings, one
    # dropped the last character, the other the Q. Voting by position made a valid but
    # wrong code; misaligned readings must come back as not valid instead.
    result = repair_uscc("91310115010Q461500", "91310115010461500U")

    assert result.valid is False
    assert result.code == "91310115010Q461500"


def test_repair_does_not_depend_on_hash_order():
    # Sets of strings iterate in an order that changes with PYTHONHASHSEED, so run it in
    # fresh interpreters with different seeds.
    code = (
        "from ocr.uscc import repair_uscc; "
        "print(repair_uscc('91310115010Q461500', '91310115010461500U'))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3, 4, 5, 6)
    }

    assert len(outputs) == 1, outputs
