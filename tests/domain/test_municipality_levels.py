"""A municipality (直辖市: 北京, 天津, 上海, 重庆) has no congress of a city with districts:
its own congress is of the provincial level (宪法第九十七条), and its offices call it 市 —
北京市人大代表 are 市人大代表. So 市, 市级 and 市人大代表 are read there as the provincial
level, and a word that can only mean a city with districts (设区的市, 自治州, ``municipal``)
is refused with nothing recorded. Elsewhere 市 is a city with districts, as before.

Where a command names an area its first two digits tell the province; where it names
none (a session, a plan, a ``--level`` filter) the store's one provincial-level division
does."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core.application.commands import COMMANDS, Where, parse
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.values import Actor, Level
from tests.conftest import register_payload

STAFF = Actor("clerk", "staff")


def _register(**data: object) -> Any:
    payload = register_payload(**data)
    with dates_as_of(date(2026, 11, 30)):
        return parse(COMMANDS["deputy.register"].model, payload, Where(payload))


@pytest.mark.parametrize("word", ["市", "市级", "市人大代表", "直辖市人大代表", "省"])
@pytest.mark.parametrize("area", ["110105", "120101", "310101001", "500101"])
def test_in_a_municipality_its_own_congress_is_the_provincial_level(word: str, area: str) -> None:
    assert _register(level=word, area=area).level is Level.PROVINCIAL


@pytest.mark.parametrize("word", ["设区的市", "自治州", "地级", "municipal", "州人大代表"])
def test_in_a_municipality_a_city_with_districts_is_refused(word: str) -> None:
    with pytest.raises(InvalidInput) as info:
        _register(level=word, area="310101")
    assert [e["field"] for e in info.value.errors] == ["level"]
    assert "上海市 is a municipality" in info.value.errors[0]["message"]


@pytest.mark.parametrize("area", ["220102", "440106", "650102"])
def test_elsewhere_shi_is_still_a_city_with_districts(area: str) -> None:
    assert _register(level="市", area=area).level is Level.MUNICIPAL
    assert _register(level="municipal", area=area).level is Level.MUNICIPAL
    assert _register(level="市人大代表", area=area).level is Level.MUNICIPAL


def test_without_a_context_the_words_are_read_as_before() -> None:
    payload = register_payload(level="市", area="110105")
    with dates_as_of(date(2026, 11, 30)):
        model = parse(COMMANDS["deputy.register"].model, payload)
    # the command's own check (the domain's) still refuses it
    assert model.level is Level.MUNICIPAL  # type: ignore[attr-defined]


def test_the_domain_refuses_a_city_level_deputy_in_a_municipality() -> None:
    with pytest.raises(RuleViolated, match="北京市 is a municipality"):
        Deputy.register(
            name="张三",
            level=Level.MUNICIPAL,
            term=16,
            electoral_unit="朝阳区",
            area="110105",
            on=date(2023, 1, 10),
            actor=STAFF,
        )
    deputy = Deputy.register(
        name="李四",
        level=Level.MUNICIPAL,
        term=14,
        electoral_unit="长春市",
        area="220102",
        on=date(2023, 1, 10),
        actor=STAFF,
    )
    with pytest.raises(RuleViolated, match="重庆市 is a municipality"):
        deputy.correct({"area": "500101"}, on=date(2023, 2, 1), actor=STAFF)
    assert deputy.area == "220102"
    # a level and an area corrected together into a municipality are fine
    deputy.correct({"area": "500101", "level": Level.PROVINCIAL}, on=date(2023, 2, 1), actor=STAFF)
    assert (deputy.level, deputy.area) == ("provincial", "500101")


def _cli(store: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--store", store, *args])


def _divisions(store: str, tmp_path: Path, rows: str) -> None:
    sheet = tmp_path / "divisions.csv"
    sheet.write_text("区划代码,名称\n" + rows, encoding="utf-8")
    result = _cli(store, "area", "import", str(sheet))
    assert result.exit_code == 0, result.output


def _events(store: str) -> int:
    result = _cli(store, "events", "list", "--json")
    assert result.exit_code == 0, result.output
    return len(json.loads(result.stdout))


BEIJING = "110000,北京市\n110105,朝阳区\n110105001,建外街道\n"


def test_a_beijing_store_reads_shi_as_its_own_congress(store: str, tmp_path: Path) -> None:
    _divisions(store, tmp_path, BEIJING)
    register = ["deputy", "register", "--term", "16", "--electoral-unit", "朝阳区"]
    ok = _cli(store, *register, "--name", "张三", "--level", "市", "--area", "110105")
    assert ok.exit_code == 0, ok.output
    before = _events(store)
    refused = CliRunner().invoke(
        cli,
        ["--lang", "zh", "--store", store, *register, "--name", "王五", "--level", "设区的市",
         "--area", "110105"],
    )  # fmt: skip
    assert refused.exit_code == 3, refused.output
    assert "北京市是直辖市" in refused.output
    assert _events(store) == before  # nothing recorded
    # a session names no area: the store's province tells what 市 is
    opened = _cli(
        store, "session", "open", "--level", "市", "--term", "16", "--number", "1",
        "--date", "2023-01-15", "--json",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    sessions = json.loads(_cli(store, "session", "list", "--json").stdout)
    assert [s["level"] for s in sessions] == ["provincial"]
    # and a filter reads it the same way
    listed = _cli(store, "deputy", "list", "--level", "市", "--json")
    assert listed.exit_code == 0, listed.output
    assert [(d["name"], d["level"]) for d in json.loads(listed.stdout)] == [("张三", "provincial")]


def test_a_beijing_roster_and_import_file(store: str, tmp_path: Path) -> None:
    _divisions(store, tmp_path, BEIJING)
    sheet = tmp_path / "朝阳区代表名册.csv"
    sheet.write_text(
        "姓名,层级,届次,选举单位,行政区划代码,任职日期\n"
        "黄丽,市人大代表,16,朝阳区,110105,2023-01-10\n"
        "吴强,区,17,建外街道,110105,2022-01-10\n",
        encoding="utf-8",
    )
    result = _cli(store, "deputy", "import", str(sheet))
    assert result.exit_code == 0, result.output
    lines = tmp_path / "commands.jsonl"
    envelope = {
        "id": "s1",
        "command": "session.open",
        "actor": {"id": "clerk", "role": "staff"},
        "data": {"level": "市级", "term": 16, "number": 2, "date": "2024-01-15"},
    }
    lines.write_text(json.dumps(envelope, ensure_ascii=False) + "\n", encoding="utf-8")
    imported = _cli(store, "import", str(lines))
    assert imported.exit_code == 0, imported.output
    deputies = json.loads(_cli(store, "deputy", "list", "--json").stdout)
    assert {d["name"]: d["level"] for d in deputies} == {"黄丽": "provincial", "吴强": "county"}
    sessions = json.loads(_cli(store, "session", "list", "--json").stdout)
    assert [s["level"] for s in sessions] == ["provincial"]


def test_a_jilin_store_keeps_shi_as_a_city(store: str, tmp_path: Path) -> None:
    _divisions(store, tmp_path, "220000,吉林省\n220100,长春市\n220102,南关区\n")
    opened = _cli(
        store, "session", "open", "--level", "市", "--term", "16", "--number", "1",
        "--date", "2023-01-15",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    sessions = json.loads(_cli(store, "session", "list", "--json").stdout)
    assert [s["level"] for s in sessions] == ["municipal"]


def test_the_library_reads_shi_in_a_chongqing_store(app: Any) -> None:
    staff = Actor("clerk", "staff")
    rows = [{"code": "500000", "name": "重庆市"}, {"code": "500101", "name": "万州区"}]
    app.import_divisions({"rows": rows, "date": "2023-01-01"}, staff)
    assert app.store_province() == "50"
    session = {"level": "市", "term": 6, "number": 1, "date": "2023-01-15"}
    app.open_session(session, staff)
    assert [s["level"] for s in app.sessions()] == ["provincial"]
    with pytest.raises(InvalidInput, match="重庆市 is a municipality"):
        app.open_session({**session, "level": "municipal", "number": 2}, staff)
    assert [s["level"] for s in app.sessions()] == ["provincial"]


def test_a_store_of_several_provinces_tells_none(app: Any) -> None:
    staff = Actor("clerk", "staff")
    rows = [{"code": "110000", "name": "北京市"}, {"code": "220000", "name": "吉林省"}]
    app.import_divisions({"rows": rows, "date": "2023-01-01"}, staff)
    assert app.store_province() is None
    app.open_session({"level": "市", "term": 6, "number": 1, "date": "2023-01-15"}, staff)
    assert [s["level"] for s in app.sessions()] == ["municipal"]


def test_a_provincial_title_is_named_by_the_stores_province(app: Any) -> None:
    staff = Actor("clerk", "staff")
    rows = [{"code": "110000", "name": "北京市"}, {"code": "110105", "name": "朝阳区"}]
    app.import_divisions({"rows": rows, "date": "2023-01-01"}, staff)
    app.open_session({"level": "市", "term": 16, "number": 1, "date": "2023-01-15"}, staff)
    app.begin_term({"level": "市", "number": 16, "date": "2023-01-15"}, staff)
    assert [s["title"] for s in app.sessions()] == ["北京市第十六届人民代表大会第一次会议"]
    assert app.term("provincial", 16)["title"] == "北京市第十六届人民代表大会"
    # a title given is kept; a level below the province's is named by its level
    app.open_session(
        {
            "level": "区",
            "term": 17,
            "number": 3,
            "date": "2023-01-16",
            "title": "朝阳区十七届人大三次会议",
        },
        staff,
    )
    app.open_session({"level": "乡", "term": 5, "number": 1, "date": "2023-01-17"}, staff)
    titles = {s["level"]: s["title"] for s in app.sessions()}
    assert titles["county"] == "朝阳区十七届人大三次会议"
    assert titles["township"] == "乡第五届人民代表大会第一次会议"


def _zh(store: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--lang", "zh", "--store", store, *args])
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _a_station_with_two_deputies(store: str, tmp_path: Path, rows: str, area: str) -> str:
    _divisions(store, tmp_path, rows)
    township = area + "001"
    station = _zh(
        store, "station", "establish", "--name", "代表之家", "--kind", "home",
        "--division", township, "--date", "2023-02-01",
    ).strip()  # fmt: skip
    for name, level, term in (("张三", "省", "16"), ("李四", "县", "17")):
        deputy = _zh(
            store, "deputy", "register", "--name", name, "--level", level, "--term", term,
            "--electoral-unit", "选区", "--area", area, "--date", "2022-01-10",
        ).strip()  # fmt: skip
        _zh(store, "station", "enter", station, "--deputy", deputy, "--date", "2023-03-01")
    return station


def test_a_municipalitys_report_names_its_levels_as_it_does(store: str, tmp_path: Path) -> None:
    _a_station_with_two_deputies(store, tmp_path, BEIJING, "110105")
    table = _zh(store, "report", "annual", "--year", "2023")
    assert "进家入站的市人大代表" in table and "进家入站的区人大代表" in table
    assert "省人大代表" not in table and "县人大代表" not in table
    assert "设区的市" not in table  # a level Beijing has no congress of, with nothing in it
    text = _zh(store, "report", "annual", "--year", "2023", "--format", "text")
    assert "全市2名市、区级人大代表就地就近进家入站" in text
    listed = _zh(store, "deputy", "list")
    assert "│ 市 " in listed and "│ 区 " in listed and "│ 省 " not in listed
    for report in ("deputies", "stations", "training"):
        year = [] if report == "deputies" else ["--year", "2023"]
        shown = _zh(store, "report", report, *year)
        assert "市级" in shown and "区级" in shown, report
        assert "省级" not in shown and "县级" not in shown, report
    # the data keep the levels' values
    data = json.loads(_zh(store, "report", "annual", "--year", "2023", "--format", "json"))
    entered = data["stations"]["deputies_entered"]
    assert (entered["provincial"], entered["county"], entered["municipal"]) == (1, 1, 0)


def test_chongqings_county_level_is_its_districts_and_counties(store: str, tmp_path: Path) -> None:
    rows = "500000,重庆市\n500101,万州区\n500101001,高笋塘街道\n"
    _a_station_with_two_deputies(store, tmp_path, rows, "500101")
    table = _zh(store, "report", "annual", "--year", "2023")
    assert "进家入站的区县人大代表" in table and "进家入站的市人大代表" in table


def test_a_provinces_report_keeps_its_words(store: str, tmp_path: Path) -> None:
    rows = "220000,吉林省\n220100,长春市\n220102,南关区\n220102001,南岭街道\n"
    _a_station_with_two_deputies(store, tmp_path, rows, "220102")
    table = _zh(store, "report", "annual", "--year", "2023")
    assert "进家入站的省人大代表" in table and "进家入站的县人大代表" in table
    assert "进家入站的市人大代表" in table  # a row of 0: Jilin has cities with districts
    roster = _zh(store, "report", "deputies")
    assert "  省级 " in roster and "  市级 " in roster and "  县级 " in roster
    stations = _zh(store, "report", "stations", "--year", "2023")
    assert "  省级 " in stations and "  市级 " in stations and "  县级 " in stations


class Clock:
    """The recorded time, moved by the test (an as-of is a recorded moment)."""

    def __init__(self) -> None:
        self.moment = datetime(2024, 3, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.moment += timedelta(milliseconds=1)
        return self.moment


def test_a_municipalitys_coverage_is_by_district(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr("eventsourcing.domain.datetime_now_with_tzinfo", clock)
    monkeypatch.setattr("renda_core.projections.asof.now", clock)
    rows = BEIJING + "110105002,朝外街道\n110108,海淀区\n110108001,万寿路街道\n"
    _a_station_with_two_deputies(store, tmp_path, rows, "110105")
    clock.moment = datetime(2024, 6, 1, tzinfo=UTC)
    _zh(
        store, "station", "establish", "--name", "万寿路代表联络站", "--kind", "liaison",
        "--division", "110108001", "--date", "2023-05-01",
    )  # fmt: skip

    def coverage(*extra: str) -> dict[str, Any]:
        data = json.loads(_zh(store, "report", "annual", "--year", "2023", "--json", *extra))
        found: dict[str, Any] = data["stations"]["coverage_by_prefecture"]
        return found

    assert coverage() == {
        "110105": {"name": "朝阳区", "divisions_total": 2, "divisions_covered": 1,
                   "coverage_rate": 0.5},
        "110108": {"name": "海淀区", "divisions_total": 1, "divisions_covered": 1,
                   "coverage_rate": 1.0},
    }  # fmt: skip
    # as the log stood before 海淀区's station was recorded
    before = coverage("--as-of", "2024-04-01")
    assert before["110108"]["divisions_covered"] == 0
    assert before["110105"]["divisions_covered"] == 1
    assert list(coverage("--area", "110108")) == ["110108"]
    page = tmp_path / "report.html"
    _zh(store, "report", "annual", "--year", "2023", "--format", "html", "--output", str(page))
    assert "各区乡镇街道家站覆盖率（%）" in page.read_text(encoding="utf-8")
    table = _zh(store, "report", "annual", "--year", "2023", "--format", "markdown")
    assert "| 110108 区 | 海淀区 |" in table


def test_a_municipalitys_refusals_name_its_levels(store: str, tmp_path: Path) -> None:
    _divisions(store, tmp_path, BEIJING)
    group = _zh(
        store, "group", "form", "--name", "朝阳代表小组", "--basis", "electoral_unit",
        "--unit", "朝阳区", "--level", "市", "--term", "16", "--area", "110105",
        "--date", "2023-02-01",
    ).strip()  # fmt: skip
    deputy = _zh(
        store, "deputy", "register", "--name", "李四", "--level", "区", "--term", "17",
        "--electoral-unit", "建外街道", "--area", "110105", "--date", "2022-01-10",
    ).strip()  # fmt: skip
    refused = CliRunner().invoke(
        cli,
        ["--lang", "zh", "--store", store, "group", "add", group, "--deputy", deputy,
         "--date", "2023-03-01"],
    )  # fmt: skip
    assert refused.exit_code == 5, refused.output
    assert "第 16 届市级人大的代表小组；代表 李四 属于第 17 届区级" in refused.output
    shown = CliRunner().invoke(cli, ["--lang", "en", "--store", store, "deputy", "show", deputy])
    assert shown.exit_code == 0, shown.output
    assert "李四 (county deputy)" in shown.output and "区级" not in shown.output
