"""The annual report: figures on a hand-computed scenario, filters, as-of, every format,
the schema, and a template override from a plugin."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from uuid import UUID

import jsonschema
import pytest
from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports import hookimpl
from renda_core.ports.plugins import get_plugin_manager
from tests.application import scenario
from tests.conftest import STAFF

UNIT = Actor("办理人", "unit:省交通运输厅")


def suggestion(
    app: Renda, lead: UUID, title: str, *, reply: str | None, rating: str | None
) -> UUID:
    deputy = Actor(str(lead), f"deputy:{lead}")
    sid = app.draft_suggestion(
        {
            "title": title,
            "body": "关于改善农村公路养护的建议",
            "channel": "recess",
            "source": "forum",
            "date": "2023-03-01",
        },
        deputy,
    )
    app.submit_suggestion({"suggestion_id": sid, "date": "2023-03-02"}, deputy)
    app.accept_suggestion({"suggestion_id": sid, "date": "2023-03-03"}, STAFF)
    app.assign_suggestion(
        {"suggestion_id": sid, "date": "2023-03-06", "lead_unit": "省交通运输厅"}, STAFF
    )
    if reply:
        app.reply_suggestion(
            {
                "suggestion_id": sid,
                "date": "2023-05-10",
                "result_class": reply,
                "text": "已列入计划",
            },
            UNIT,
        )
    if rating:
        app.evaluate_suggestion(
            {
                "suggestion_id": sid,
                "date": "2023-05-20",
                "attitude": "满意",
                "result": rating,
                "reason": None if rating != "不满意" else "未解决",
            },
            deputy,
        )
    return sid


@pytest.fixture
def world(app: Renda) -> Iterator[dict[str, Any]]:
    ids = scenario.build(app)
    a, f, g = ids["A"], ids["F"], ids["G"]
    app.liaise_deputy({"deputy_id": a, "member": "常委会委员 周敏", "date": "2023-02-01"}, STAFF)
    app.liaise_deputy({"deputy_id": f, "member": "常委会委员 周敏", "date": "2022-06-01"}, STAFF)
    app.record_contact({"deputy_id": a, "form": "forum", "date": "2023-03-15"}, STAFF)
    app.record_contact({"deputy_id": a, "form": "visit", "date": "2023-09-15"}, STAFF)
    app.record_contact({"deputy_id": f, "form": "research", "date": "2022-12-01"}, STAFF)
    suggestion(app, a, "农村公路", reply="A", rating="满意")
    suggestion(app, f, "冰雪旅游", reply="B", rating="基本满意")
    suggestion(app, g, "医药健康", reply=None, rating=None)
    env = Env(app=app)
    yield {"ids": ids, "env": env, "app": app}
    env.close()


def annual(world: dict[str, Any], *args: str) -> Any:
    result = CliRunner().invoke(
        cli, ["report", "annual", "--year", "2023", *args], obj=world["env"]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_sections_and_figures_match_the_scenario(world: dict[str, Any]) -> None:
    data = json.loads(annual(world, "--format", "json"))
    assert list(data) == [
        "meta",
        "training",
        "stations",
        "liaison",
        "suggestions",
        "groups",
        "bulletin",
    ]
    # training: one duty class reached 2 of the 3 active provincial deputies
    assert data["training"]["classes"]["duty"] == 1
    assert data["training"]["duty_coverage"]["provincial"] == pytest.approx(0.6667)
    # stations: 3 of 4 township/street divisions covered, 3 activities in 2023
    assert data["stations"]["coverage_rate"] == 0.75
    assert data["stations"]["deputies_entered"]["total"] == 4
    assert data["stations"]["activities"]["total"] == 3
    assert data["stations"]["activities"]["by_month"]["03"] == 2
    assert data["stations"]["items_pushed"] == 3
    assert data["stations"]["coverage_by_prefecture"]["220100"] == {
        "name": "长春市",
        "divisions_total": 4,
        "divisions_covered": 3,
        "coverage_rate": 0.75,
    }
    # liaison: A contacted twice in 2023, F only in 2022
    assert data["liaison"] == {
        "deputies_contacted": 1,
        "deputies_contacted_by_level": {"provincial": 1},
        "liaison_deputies": 2,
        "contacts": 2,
        "contacts_by_form": {"forum": 1, "visit": 1},
    }
    # suggestions: 3 submitted and assigned, 2 replied (A and B), both satisfied
    s = data["suggestions"]
    assert (s["submitted"], s["accepted"], s["assigned"], s["handled"]) == (3, 3, 3, 2)
    assert s["by_class"] == {"A": 1, "B": 1}
    assert s["replied_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["satisfaction_first"] == 1.0
    assert data["groups"]["groups"] == 2 and data["groups"]["disputes_handled"] == 5
    assert data["bulletin"]["issues"] == 0
    for path in (
        "training.classes.duty",
        "training.duty_coverage.provincial",
        "stations.coverage_rate",
        "stations.deputies_entered.total",
        "stations.activities.total",
        "stations.items_pushed",
        "liaison.deputies_contacted",
        "suggestions.handled",
        "groups.groups",
        "bulletin.issues",
    ):
        value: Any = data
        for part in path.split("."):
            value = value[part]
        assert isinstance(value, int | float), path


def test_area_and_level_filters(world: dict[str, Any]) -> None:
    wide = json.loads(annual(world, "--json"))
    narrow = json.loads(annual(world, "--json", "--area", "220103"))
    assert narrow["meta"]["area_name"] == "宽城区"
    assert narrow["stations"]["activities"]["total"] == 0
    assert narrow["stations"]["divisions_total"] == 1
    assert wide["stations"]["divisions_total"] == 4
    county = json.loads(annual(world, "--json", "--level", "county"))
    assert county["stations"]["deputies_entered"]["total"] == 1
    assert county["meta"]["level"] == "county"


def test_as_of_before_and_after_a_change(world: dict[str, Any]) -> None:
    from datetime import timedelta

    from renda_core.projections.asof import business_today

    app: Renda = world["app"]
    recorded_day = app.get_deputy(world["ids"]["A"]).created_on.date()
    before = json.loads(
        annual(world, "--json", "--as-of", (recorded_day - timedelta(days=1)).isoformat())
    )
    after = json.loads(annual(world, "--json", "--as-of", business_today().isoformat()))
    assert (
        before["stations"]["activities"]["total"] == 0 and before["suggestions"]["submitted"] == 0
    )
    assert after["stations"]["activities"]["total"] == 3 and after["suggestions"]["submitted"] == 3
    assert after["meta"]["as_of"] == business_today().isoformat()
    # the deprecated name still works
    old = json.loads(annual(world, "--json", "--as-of-date", business_today().isoformat()))
    assert old == after


def test_every_format_renders(
    world: dict[str, Any], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RENDA_LANG", "zh")  # read in the default language (docs/i18n.md)
    data = json.loads(annual(world, "--json"))
    table = annual(world)
    assert "乡镇街道代表家站覆盖率" in table and "75.0%" in table
    assert "Station coverage" in annual(world, "--lang", "en")
    rows = list(csv.reader(io.StringIO(annual(world, "--format", "csv"))))
    assert rows[0] == ["section", "figure", "value"]
    assert ["stations", "activities.total", "3"] in rows
    assert ["suggestions", "handled", "2"] in rows
    markdown = annual(world, "--format", "markdown")
    assert (
        markdown.startswith("# 全省2023年代表工作情况")
        and "| 代表家站组织活动（次） | 3 |" in markdown
    )
    text = annual(world, "--format", "text")
    assert "2023年，全省代表家站共组织开展活动3次" in text
    assert "常态化直接联系1名省人大代表" in text and "2023年高质量办理代表建议2件" in text
    assert "乡镇街道代表家站覆盖率达到75%" in text
    english = annual(world, "--format", "text", "--lang", "en")
    assert "3 activities" in english
    out = tmp_path / "report.html"
    annual(world, "--format", "html", "--output", str(out))
    page = out.read_text(encoding="utf-8")
    parser = _Page()
    parser.feed(page)
    assert parser.svgs == 5 and not parser.external  # one SVG per chart, nothing fetched
    assert json.loads(parser.data) == data
    for path, _value in _leaves(data):
        if path.startswith("meta."):
            continue
        assert f'data-figure="{path}"' in page, path


def test_schema_is_published_and_validates_the_report(world: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["report", "annual", "--schema"])
    schema = json.loads(result.output)
    data = json.loads(annual(world, "--json"))
    jsonschema.validate(data, schema)
    broken = {**data, "stations": {**data["stations"], "coverage_rate": 1.5}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_a_plugin_template_changes_the_prose(world: dict[str, Any]) -> None:
    class Province:
        @hookimpl
        def renda_report_template(self, name: str, lang: str) -> str | None:
            if name == "annual.text" and lang == "zh":
                return (
                    "{{ meta.year }}年，本省代表家站开展活动{{ stations.activities.total }}次。\n"
                )
            return None

    env = Env(app=world["app"], pm=get_plugin_manager([Province()]))
    result = CliRunner().invoke(
        cli, ["report", "annual", "--year", "2023", "--format", "text", "--lang", "zh"], obj=env
    )
    env.close()
    assert result.output.strip() == "2023年，本省代表家站开展活动3次。"


def test_bad_options(world: dict[str, Any]) -> None:
    for args, code in (
        (["--level", "村"], 3),
        (["--as-of-date", "2023-02-30"], 3),
        (["--format", "pdf"], 2),
    ):
        result = CliRunner().invoke(
            cli, ["report", "annual", "--year", "2023", *args], obj=world["env"]
        )
        assert result.exit_code == code, (args, result.output)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.svgs = 0
        self.external: list[str] = []
        self.data = ""
        self._in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "svg":
            self.svgs += 1
        if tag in ("script", "img", "link") and (a.get("src") or a.get("href")):
            self.external.append(tag)
        self._in_data = tag == "script" and a.get("id") == "report-data"

    def handle_endtag(self, tag: str) -> None:
        self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data += data


def _leaves(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _leaves(v, f"{prefix}.{k}" if prefix else k)
    else:
        yield prefix, data


def test_every_figure_is_documented_in_docs_reports() -> None:
    from pathlib import Path

    from renda_adapters.annual.model import FIGURES

    text = (Path(__file__).parents[2] / "docs" / "reports.md").read_text(encoding="utf-8")
    for path in FIGURES:
        assert f"`{path}`" in text, path


def test_a_year_not_over_says_up_to_when(world: dict[str, Any]) -> None:
    """A report of the current year is made before its end: its title says to which day
    (the business day it was made); a past year's does not; the JSON is unchanged."""
    from datetime import date

    from renda_core.application.inputs import dates_as_of

    with dates_as_of(date(2023, 11, 30)):
        current = annual(world, "--lang", "zh")
        english = annual(world, "--lang", "en", "--format", "markdown")
        data = json.loads(annual(world, "--json"))
    assert "2023年代表工作情况（截至2023-11-30）" in current
    assert english.startswith("# Deputy work in 2023 — the province (to 2023-11-30)")
    assert "through" not in data["meta"]
    with dates_as_of(date(2024, 1, 2)):
        assert "截至" not in annual(world, "--lang", "zh").splitlines()[0]


def test_a_year_not_begun_is_refused_not_reported_as_zeros(world: dict[str, Any]) -> None:
    """A report of a year that has not begun (by today, or by --as-of) would be zeros for
    work nobody could have recorded yet: the CLI refuses it (exit 3, in the clerk's
    language), so does the library API; the first day of the year is reported."""
    from datetime import date

    from renda_adapters.annual.build import build_annual
    from renda_core.application.inputs import dates_as_of
    from renda_core.domain.errors import InvalidInput

    def run(*args: str, lang: str = "zh") -> Any:
        return CliRunner().invoke(
            cli, ["--lang", lang, "report", "annual", *args], obj=world["env"]
        )

    with dates_as_of(date(2022, 12, 31)):
        zh = run("--year", "2023")
        with pytest.raises(InvalidInput, match="the year 2023 has not begun on 2022-12-31"):
            build_annual(world["env"].read_runner(), world["env"].reports(), year=2023)
    assert zh.exit_code == 3, zh.output
    assert "截至 2022-12-31，2023 年尚未开始" in zh.output
    assert "Traceback" not in zh.output
    en = run("--year", "2024", "--as-of", "2023-06-30", lang="en")  # today: 2026 or later
    assert en.exit_code == 3, en.output
    assert "the year 2024 has not begun on 2023-06-30" in en.output
    with dates_as_of(date(2023, 1, 1)):
        first_day = json.loads(run("--year", "2023", "--json").output)
    assert first_day["meta"]["year"] == 2023


@pytest.mark.parametrize(
    ("sheet", "zh", "en"),
    [
        (
            "区划代码,名称\n110000,北京市\n110101,东城区\n110101001,东华门街道\n",
            "全市2023年代表工作情况",
            "— the municipality",
        ),
        (
            "区划代码,名称\n650000,新疆维吾尔自治区\n650100,乌鲁木齐市\n650102,天山区\n",
            "全区2023年代表工作情况",
            "— the region",
        ),
        (
            "区划代码,名称\n510000,四川省\n510100,成都市\n510104,锦江区\n",
            "全省2023年代表工作情况",
            "— the province",
        ),
        (
            "区划代码,名称\n110000,北京市\n510000,四川省\n",
            "全省2023年代表工作情况",
            "— the province",
        ),
    ],
)
def test_the_whole_area_is_named_as_its_kind_of_province(
    store: str, tmp_path: Any, sheet: str, zh: str, en: str
) -> None:
    """A municipality's report is of 全市 (北京市人大常委会's own words), an autonomous
    region's of 全区, a province's — or a store of several — of 全省: in the title of
    every format and in the prose ("the municipality" in English); the built-in
    templates (a province's plugin, such as renda-jilin, has its own words)."""
    from datetime import date

    from renda_core.application.inputs import dates_as_of

    path = tmp_path / "divisions.csv"
    path.write_text(sheet, encoding="utf-8")

    def run(*args: str) -> Any:
        result = CliRunner().invoke(cli, ["--store", store, *args], env={"RENDA_PLUGINS": ""})
        assert result.exit_code == 0, result.output
        return result.output

    run("area", "import", str(path), "--date", "2023-01-01")
    with dates_as_of(date(2024, 3, 1)):
        table = run("--lang", "zh", "report", "annual", "--year", "2023")
        text = run("report", "annual", "--year", "2023", "--format", "text", "--lang", "zh")
        english = run("report", "annual", "--year", "2023", "--format", "markdown", "--lang", "en")
        data = json.loads(run("report", "annual", "--year", "2023", "--json"))
    assert table.startswith(zh) and text.startswith(zh + "\n"), (table, text)
    if "街道" in sheet:  # a township-level division: the coverage sentence names the whole
        assert f"截至2023年底，{zh[:2]}乡镇街道代表家站覆盖率" in text, text
    assert english.splitlines()[0].endswith(en), english.splitlines()[0]
    assert data["meta"]["area_name"] == zh[:2]


def test_a_provinces_wording_heads_only_its_own_provinces_report(store: str, tmp_path: Any) -> None:
    """renda-jilin's prose (「吉林省人大常委会…」) rendered a 新疆 store's report as well;
    the hook is told the report's province (``meta.province``), and the plugin answers
    for 吉林省's data only."""
    renda_jilin = pytest.importorskip("renda_jilin")
    from datetime import date

    from renda_core.application.inputs import dates_as_of

    assert renda_jilin.renda_report_template(name="annual.text", lang="zh", province="65") is None
    assert renda_jilin.renda_report_template(name="annual.text", lang="zh", province="22")
    assert renda_jilin.renda_report_template(name="annual.text", lang="zh", province=None)
    texts = {}
    for code, name in (("650000", "新疆维吾尔自治区"), ("220000", "吉林省")):
        here = f"{store}.{code}" if "://" not in store else store
        path = tmp_path / f"{code}.csv"
        path.write_text(f"区划代码,名称\n{code},{name}\n", encoding="utf-8")
        argv = ["--store", here, "--lang", "zh"]
        pm = get_plugin_manager(plugins=[renda_jilin])
        env = Env(store=here, pm=pm)
        try:
            runner = CliRunner()
            assert runner.invoke(cli, [*argv, "area", "import", str(path)], obj=env).exit_code == 0
            with dates_as_of(date(2024, 3, 1)):
                done = runner.invoke(
                    cli,
                    [*argv, "report", "annual", "--year", "2023", "--format", "text"],
                    obj=env,
                )
            data = runner.invoke(
                cli, [*argv, "report", "annual", "--year", "2023", "--json"], obj=env
            )
        finally:
            env.close()
        assert done.exit_code == 0, done.output
        texts[code] = done.output
        assert json.loads(data.output)["meta"]["province"] == code[:2]
        if "://" in store:
            break  # one schema per test on PostgreSQL: the 新疆 case is the one that matters
    assert texts["650000"].startswith("全区2023年代表工作情况"), texts["650000"][:80]
    assert "吉林" not in texts["650000"]
    if "220000" in texts:
        assert texts["220000"].startswith("吉林省人大常委会2023年代表工作情况"), texts["220000"][
            :80
        ]
