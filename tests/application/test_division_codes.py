"""A list of codes and names is enough to import divisions (民政部's 县以上行政区划代码,
a township list): the kind and the parent are told by the code (GB/T 2260, GB/T 10114),
the same divisions are recorded as from a sheet that spells them out, and a code that
tells nothing, or a parent that is missing, is refused naming it (SQLite and
PostgreSQL)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda_core import InvalidInput, NotFound, Renda
from renda_core.application.areas import read_division_csv
from renda_core.domain.division import DivisionKind, kind_of_code, parent_codes
from tests.conftest import STAFF

CODES_AND_NAMES = """行政区划代码,单位名称
110000,北京市
110101,东城区
420000,湖北省
420100,武汉市
420102,江岸区
429004,仙桃市
429004001,沙嘴街道
429004100,郑场镇
420102002,大智街道
"""
SPELLED_OUT = """code,name,parent_code,kind
110000,北京市,,province
110101,东城区,110000,county
420000,湖北省,,province
420100,武汉市,420000,prefecture
420102,江岸区,420100,county
429004,仙桃市,420000,county
429004001,沙嘴街道,429004,street
429004100,郑场镇,429004,township
420102002,大智街道,420102,street
"""


def divisions_sheet(text: str) -> list[dict[str, object]]:
    from renda_core.application.spreadsheets import division_csv

    return read_division_csv(division_csv(text.encode("utf-8")))


def recorded(app: Renda, codes: list[str]) -> list[tuple[object, ...]]:
    return [
        (d["code"], d["name"], d["kind"], d["parent_code"])
        for d in (app.division(c) for c in codes)
    ]


def codes_of(text: str) -> list[str]:
    return [line.split(",")[0] for line in text.strip().splitlines()[1:]]


def test_codes_and_names_record_what_the_spelled_out_sheet_does(app: Renda) -> None:
    rows = divisions_sheet(CODES_AND_NAMES)
    result = app.import_divisions({"rows": rows, "date": "2024-01-01"}, STAFF)
    assert result["recorded"] == 9
    codes = codes_of(CODES_AND_NAMES)
    assert recorded(app, codes) == [
        ("110000", "北京市", "province", None),
        ("110101", "东城区", "county", "110000"),
        ("420000", "湖北省", "province", None),
        ("420100", "武汉市", "prefecture", "420000"),
        ("420102", "江岸区", "county", "420100"),
        ("429004", "仙桃市", "county", "420000"),
        ("429004001", "沙嘴街道", "street", "429004"),
        ("429004100", "郑场镇", "township", "429004"),
        ("420102002", "大智街道", "street", "420102"),
    ]
    again = app.import_divisions(
        {"rows": read_division_csv(SPELLED_OUT), "date": "2024-02-01"}, STAFF
    )
    assert (again["recorded"], again["corrected"], again["unchanged"]) == (0, 0, 9)


def test_a_later_list_finds_its_parents_among_the_recorded(app: Renda) -> None:
    app.import_divisions({"rows": divisions_sheet(CODES_AND_NAMES), "date": "2024-01-01"}, STAFF)
    later = "行政区划代码,单位名称\n420102100,某镇\n"
    app.import_divisions({"rows": divisions_sheet(later), "date": "2024-01-02"}, STAFF)
    assert recorded(app, ["420102100"]) == [("420102100", "某镇", "township", "420102")]


def test_a_county_is_not_hung_under_its_province_when_its_prefecture_is_missing(
    app: Renda,
) -> None:
    """吉林省南关区 220102 belongs to 长春市 220100, never to the province itself."""
    text = "行政区划代码,单位名称\n220000,吉林省\n220102,南关区\n220102001000,某社区\n"
    with pytest.raises(InvalidInput) as caught:
        app.import_divisions({"rows": divisions_sheet(text), "date": "2024-01-01"}, STAFF)
    fields = {e["field"]: e["message"] for e in caught.value.errors}
    assert fields["line 3.parent_code"] == "division 220100 is neither in the file nor recorded"
    assert fields["line 4.kind"].startswith("the code 220102001000 does not tell the kind")
    with pytest.raises(NotFound):  # nothing of the file was recorded
        app.division("220000")


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("220000", "吉林省", DivisionKind.PROVINCE),
        ("110000", "北京市", DivisionKind.PROVINCE),
        ("222400", "延边朝鲜族自治州", DivisionKind.PREFECTURE),
        ("222401", "延吉市", DivisionKind.COUNTY),
        ("429004", "仙桃市", DivisionKind.COUNTY),
        ("222401001", "某街道办事处", DivisionKind.STREET),
        ("222401001", "某地", DivisionKind.STREET),
        ("222401100", "某地", DivisionKind.TOWNSHIP),
        ("222401201", "某民族乡", DivisionKind.TOWNSHIP),
        ("222401050", "某镇", DivisionKind.TOWNSHIP),  # the name says it
        ("150781200", "某苏木", DivisionKind.TOWNSHIP),
        ("222401450", "某林场", None),
        ("222401001000", "某社区", None),
    ],
)
def test_kind_of_code(code: str, name: str, kind: DivisionKind | None) -> None:
    assert kind_of_code(code, name) is kind


@given(st.from_regex(r"\A[1-6][0-9][0-9]{2}[0-9][1-9]\Z"))
def test_a_counties_parents_share_its_prefix_and_rank_higher(code: str) -> None:
    parents = parent_codes(code, DivisionKind.COUNTY)
    assert parents and parents[0] == code[:4] + "00"
    for parent in parents:
        assert parent.startswith(code[:2]) and parent != code
        assert kind_of_code(parent) in (DivisionKind.PREFECTURE, DivisionKind.PROVINCE)
    assert len(parents) == (2 if code[:2] in ("11", "12", "31", "50") or code[2:4] == "90" else 1)


def test_parent_codes_of_each_kind() -> None:
    assert parent_codes("220000", DivisionKind.PROVINCE) == ()
    assert parent_codes("222400", DivisionKind.PREFECTURE) == ("220000",)
    assert parent_codes("222401", DivisionKind.COUNTY) == ("222400",)
    assert parent_codes("500101", DivisionKind.COUNTY) == ("500100", "500000")
    assert parent_codes("222401001", DivisionKind.STREET) == ("222401",)
    assert parent_codes("449900", DivisionKind.COUNTY) == ()  # a prefecture's shape
