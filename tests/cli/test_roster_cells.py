"""A roster as offices write it: dates as Excel or WPS save them in a CSV (2023/1/16) or
as written (2023年1月16日), terms as 第十四届, full-width digits, 男性, 省人大代表. Each is
read as the value it means, records the same deputy as the plain spelling, and a cell
that still cannot be read is named with what a Chinese clerk may write (男、女)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.application.spreadsheets import (
    chinese_number,
    code_cell,
    date_cell,
    term_cell,
)
from renda_core.cli import cli
from tests.application.scenario import DIVISIONS_CSV

HEADER = "姓名,层级,届次,选举单位,行政区划代码,任职日期,性别"
PLAIN = [
    "金美玉,省,14,延边朝鲜族自治州人民代表大会,222401,2023-01-16,女",
    "李建国,县,18,南关区人民代表大会,220102,2023-01-05,男",
]
AS_WRITTEN = [
    "金美玉,省人大代表,第十四届,延边朝鲜族自治州人民代表大会,２２２４０１,2023/1/16,女性",
    "李建国,区,十八届,南关区人民代表大会, 220102 ,2023年1月5日,男",
]
NUMERALS = "〇一二三四五六七八九"


def run(store: str, *args: str, lang: str = "zh") -> Result:
    return CliRunner().invoke(
        cli,
        ["--store", store, "--actor", "clerk", "--lang", lang, *args],
        env={"RENDA_LANG": None, "LANG": None, "LC_ALL": None},
    )


def imported(store: str, tmp_path: Path, rows: list[str], name: str) -> Any:
    divisions = tmp_path / "divisions.csv"
    divisions.write_text(DIVISIONS_CSV, encoding="utf-8")
    assert run(store, "area", "import", str(divisions)).exit_code == 0
    sheet = tmp_path / name
    sheet.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return run(store, "deputy", "import", str(sheet), "--json")


def deputies(store: str, ids: list[str]) -> list[tuple[Any, ...]]:
    with Renda(store) as app:
        rows = [app.deputy(i) for i in ids]
    return sorted(
        (d["name"], d["level"], d["term"], d["area"], d["registered_on"], d["gender"]) for d in rows
    )


def test_a_roster_as_written_records_what_the_plain_one_does(store: str, tmp_path: Path) -> None:
    result = imported(store, tmp_path, AS_WRITTEN, "as-written.csv")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["applied"] == 2
    assert deputies(store, summary["ids"]) == [
        ("李建国", "county", 18, "220102", "2023-01-05", "male"),
        ("金美玉", "provincial", 14, "222401", "2023-01-16", "female"),
    ]
    # the plain spelling of the same rows is the same content: nothing new
    again = tmp_path / "plain.csv"
    again.write_text("\n".join([HEADER, *PLAIN]) + "\n", encoding="utf-8")
    plain = run(store, "deputy", "import", str(again), "--json")
    assert plain.exit_code == 0, plain.output
    summary = json.loads(plain.stdout)
    assert (summary["applied"], summary["skipped"]) == (0, 2)


def test_a_cell_still_unreadable_is_named_in_the_clerks_terms(store: str, tmp_path: Path) -> None:
    rows = ["金美玉,省,第十四届,延边朝鲜族自治州人民代表大会,222401,2023/13/16,F"]
    result = imported(store, tmp_path, rows, "bad.csv")
    assert result.exit_code == 3
    messages = {f["field"]: f["message"] for f in json.loads(result.stderr)["fields"]}
    assert messages["F2 (任职日期)"].startswith("应为有效的日期")
    assert messages["G2 (性别)"] == "应为以下之一：男、女"
    plain = run(store, "deputy", "import", str(tmp_path / "bad.csv"))
    assert "第一处：F2 (任职日期)：应为有效的日期" in plain.output
    english = run(store, "deputy", "import", str(tmp_path / "bad.csv"), "--json", lang="en")
    fields = {f["field"]: f["message"] for f in json.loads(english.stderr)["fields"]}
    assert fields["G2 (性别)"] == "Input should be one of 'male', 'female'"
    listed = run(store, "deputy", "list", "--json")
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("2023-01-16", "2023-01-16"),
        ("2023/1/16", "2023-01-16"),
        ("2023.1.6", "2023-01-06"),
        ("2023年1月16日", "2023-01-16"),
        ("２０２３年１月１６日", "2023-01-16"),
        ("2023/1/16 0:00", "2023-01-16"),
        ("2023/1/16 00:00:00", "2023-01-16"),
        ("2023/13/16", "2023-13-16"),  # read as written; the check names it
        ("16/1/2023", "16/1/2023"),
        ("2023年1月", "2023年1月"),
        ("明年", "明年"),
    ],
)
def test_date_cells(cell: str, read: str) -> None:
    assert date_cell(cell) == read


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("14", "14"),
        ("１４", "14"),
        ("第14届", "14"),
        ("14届", "14"),
        ("第十四届", "14"),
        ("十四", "14"),
        ("十", "10"),
        ("二十", "20"),
        ("第二十一届", "21"),
        ("十四五", "十四五"),
        ("第十四次", "第十四次"),
        ("fourteen", "fourteen"),
    ],
)
def test_term_cells(cell: str, read: str) -> None:
    assert term_cell(cell) == read


@given(st.integers(min_value=0, max_value=99))
def test_chinese_numbers_read_back(number: int) -> None:
    tens, ones = divmod(number, 10)
    written = (
        NUMERALS[number]
        if number < 10
        else f"{NUMERALS[tens] if tens > 1 else ''}十{NUMERALS[ones] if ones else ''}"
    )
    assert chinese_number(written) == number
    assert term_cell(f"第{written}届") == str(number)


def test_code_cells() -> None:
    assert code_cell("２２０１０２") == "220102"
    assert code_cell(" 220102 ") == "220102"
    assert code_cell("220 102 001") == "220102001"
    assert code_cell("22010a") == "22010a"
    assert code_cell("南关区") == "南关区"


def test_a_title_above_the_header_is_read_past(store: str, tmp_path: Path) -> None:
    """Office sheets carry a title row (吉林省第十四届人民代表大会代表名册): the header
    is found below it, cells keep their row numbers, and the copy of a rejected sheet
    keeps every cell and imports once corrected."""
    divisions = tmp_path / "divisions.csv"
    divisions.write_text("吉林省行政区划,,,\n" + DIVISIONS_CSV, encoding="utf-8")
    assert run(store, "area", "import", str(divisions)).exit_code == 0
    sheet = tmp_path / "roster.csv"
    title = "吉林省第十四届人民代表大会代表名册" + "," * 6
    bad = "李建国,县,18,南关区人民代表大会,220102,2023/13/5,男"
    sheet.write_text("\n".join([title, HEADER, PLAIN[0], bad]) + "\n", encoding="utf-8")
    refused = run(store, "deputy", "import", str(sheet), "--json")
    assert refused.exit_code == 3
    (field,) = [f["field"] for f in json.loads(refused.stderr)["fields"]]
    assert field == "F4 (任职日期)"  # row 4 of the sheet, as Excel shows it
    copy = tmp_path / "roster-错误说明.csv"
    lines = copy.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("吉林省第十四届人民代表大会代表名册") and lines[1].startswith(
        "姓名,"
    )
    assert lines[3].startswith(bad) and lines[3].endswith("月应在 1–12 之间")
    copy.write_text("\n".join(lines).replace("2023/13/5", "2023/1/5") + "\n", encoding="utf-8")
    again = run(store, "deputy", "import", str(copy), "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["applied"] == 2


def test_a_statistical_forms_block_above_the_header_is_read_past(
    store: str, tmp_path: Path
) -> None:
    """A roster on a statistical form: title, 表号 and 制定机关, 填报单位 and 填报日期,
    blank rows and a row of merged group headings, ten rows above the header (it was
    read only within six: 「第 1 行：缺少列 …」)."""
    divisions = tmp_path / "divisions.csv"
    divisions.write_text(DIVISIONS_CSV, encoding="utf-8")
    assert run(store, "area", "import", str(divisions)).exit_code == 0
    block = [
        "吉林省各级人民代表大会代表基本情况表" + "," * 6,
        ",,,,,表  号：人大代表1表,",
        ",,,,,制定机关：吉林省人大常委会代表工作委员会,",
        ",,,,,批准文号：吉人常代〔2023〕1号,",
        "," * 6,
        "填报单位（盖章）：长春市人大常委会代表工作室,,,,,填报日期：2023年2月1日,",
        "," * 6,
        "单位负责人：王某,,统计负责人：李某,,,填表人：张某,",
        "," * 6,
        "基本信息,,,任职情况,,,",
    ]
    sheet = tmp_path / "form.csv"
    sheet.write_text("\n".join([*block, HEADER, *PLAIN]) + "\n", encoding="utf-8")
    result = run(store, "deputy", "import", str(sheet), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["applied"] == 2
    bad = tmp_path / "bad.csv"
    wrong = PLAIN[1].replace("2023-01-05", "2023/13/5")
    bad.write_text("\n".join([*block, HEADER, PLAIN[0], wrong]) + "\n", encoding="utf-8")
    refused = run(store, "deputy", "import", str(bad), "--json")
    assert refused.exit_code == 3
    (field,) = [f["field"] for f in json.loads(refused.stderr)["fields"]]
    assert field == "F13 (任职日期)"  # the sheet's own row number, under the block
