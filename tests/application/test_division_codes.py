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
from tests.conftest import STAFF, register_payload

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
    # line 4: a code that tells no kind (a serial of 400 and more, a name of neither
    # ending; a twelve-digit 220102001000 used to be the example: it is 220102001, a street)
    text = "行政区划代码,单位名称\n220000,吉林省\n220102,南关区\n220102400,某农场\n"
    with pytest.raises(InvalidInput) as caught:
        app.import_divisions({"rows": divisions_sheet(text), "date": "2024-01-01"}, STAFF)
    fields = {e["field"]: e["message"] for e in caught.value.errors}
    assert fields["line 3.parent_code"] == "division 220100 is neither in the file nor recorded"
    assert fields["line 4.kind"].startswith("the code 220102400 does not tell the kind")
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


#: the statistics bureau's list (统计用区划代码和城乡划分代码): twelve digits at every
#: level, a 城乡分类代码 column, and a row for every village-level unit
STATISTICAL = """统计用区划代码,城乡分类代码,名称
420000000000,,湖北省
420100000000,,武汉市
420102000000,,江岸区
420102002000,,大智街道
420102002001,111,大智社区居民委员会
429004000000,,仙桃市
429004100000,,郑场镇
429004100200,220,郑场村村民委员会
429004100201,220,新场村村民委员会
"""


def test_the_statistics_bureaus_list_records_the_divisions_of_its_padded_codes(
    app: Renda,
) -> None:
    """A twelve-digit code padded with zeros is its division's shorter code (220102001000
    is 220102001): the list records the same divisions as the civil-affairs one, kinds
    and parents told by the code; its village-level rows are counted, not recorded (the
    list could not be imported: 统计用区划代码 was no code column, and every row needed
    its kind)."""
    result = app.import_divisions(
        {"rows": divisions_sheet(STATISTICAL), "date": "2024-01-01"}, STAFF
    )
    assert result == {"recorded": 6, "corrected": 0, "unchanged": 0, "rows": 6, "villages": 3}
    assert recorded(app, ["420000", "420100", "420102", "420102002", "429004", "429004100"]) == [
        ("420000", "湖北省", "province", None),
        ("420100", "武汉市", "prefecture", "420000"),
        ("420102", "江岸区", "county", "420100"),
        ("420102002", "大智街道", "street", "420102"),
        ("429004", "仙桃市", "county", "420000"),
        ("429004100", "郑场镇", "township", "429004"),
    ]
    with pytest.raises(NotFound):
        app.division("420102002001")
    with pytest.raises(NotFound):
        app.division("420102002000")  # recorded under its own code, once
    again = app.import_divisions(
        {"rows": divisions_sheet(CODES_AND_NAMES), "date": "2024-02-01"}, STAFF
    )
    assert again["unchanged"] == 6 and again["recorded"] == 3  # the Beijing rows and 沙嘴街道
    assert "villages" not in again


def test_a_padded_code_names_the_same_division_in_every_command(app: Renda) -> None:
    app.import_divisions({"rows": divisions_sheet(STATISTICAL), "date": "2024-01-01"}, STAFF)
    station = app.establish_station(
        {
            "name": "大智街道人大代表之家",
            "kind": "home",
            "division": "420102002000",
            "date": "2024-01-02",
        },
        STAFF,
    )
    assert app.station(station)["division"] == "420102002"
    deputy = app.register_deputy(
        register_payload(level="county", term=16, area="420102000000"), STAFF
    )
    assert app.deputy(deputy)["area"] == "420102"


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("420102000000", "420102"),
        ("420000000000", "420000"),
        ("420102002000", "420102002"),
        ("420102002001", "420102002001"),  # a village's: no shorter code
        ("420102", "420102"),
        ("420102002", "420102002"),
    ],
)
def test_canonical_code(code: str, canonical: str) -> None:
    from renda_core.domain.values import canonical_code, is_village_code

    assert canonical_code(code) == canonical
    assert is_village_code(code) == (len(canonical) == 12)
