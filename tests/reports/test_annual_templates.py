"""The annual report's templates: every one (zh and en, prose and page, the built-in and
renda-jilin's) renders clean text; zero and missing data are said, never printed as
"0期" or "0.0%"; labels follow the data; the page is accessible and printable."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports.plugins import get_plugin_manager
from tests.application import scenario
from tests.conftest import STAFF

from .test_annual import suggestion

EDITOR = Actor("《人大代表之声》编辑部", "editor")
#: a topic that needs escaping in HTML and must come out as written
TOPIC = "“新质生产力”<b>&'试点\"</b>"


def jilin_plugins() -> list[Any]:
    import renda_jilin

    return [renda_jilin]


@pytest.fixture
def filled(app: Renda) -> Iterator[dict[str, Any]]:
    """The annual scenario's 2023, and a 2025 with only training and the bulletin: a
    county duty class, a topical class with TOPIC, an issue carrying a suggestion and a
    text of its own."""
    ids = scenario.build(app)
    a = ids["A"]
    app.liaise_deputy({"deputy_id": a, "member": "常委会委员 周敏", "date": "2023-02-01"}, STAFF)
    app.record_contact({"deputy_id": a, "form": "forum", "date": "2023-03-15"}, STAFF)
    suggestion(app, a, "农村公路", reply="A", rating="满意")
    county = app.plan_course(
        {
            "kind": "duty",
            "title": "县级代表履职培训",
            "starts": "2025-05-10",
            "ends": "2025-05-12",
            "level": "county",
            "date": "2025-04-01",
        },
        STAFF,
    )
    for method in ("enrol_deputies", "record_attendance", "complete_course"):
        getattr(app, method)(
            {"course_id": county, "deputies": [ids["B"]], "date": "2025-05-12"}, STAFF
        )
    app.plan_course(
        {
            "kind": "topical",
            "title": "专题培训",
            "topic": TOPIC,
            "starts": "2025-09-01",
            "ends": "2025-09-02",
            "date": "2025-08-01",
        },
        STAFF,
    )
    deputy = Actor(str(a), f"deputy:{a}")
    sid = app.draft_suggestion(
        {
            "title": "冰雪旅游",
            "body": "关于发展冰雪旅游的建议",
            "channel": "recess",
            "source": "forum",
            "date": "2025-03-01",
        },
        deputy,
    )
    app.submit_suggestion({"suggestion_id": sid, "date": "2025-03-02"}, deputy)
    app.open_bulletin({"year": 2025, "number": 1, "title": "专刊", "date": "2025-03-05"}, EDITOR)
    app.include_item(
        {"bulletin": "2025/1", "ref": str(sid), "summary": "摘要", "date": "2025-03-06"}, EDITOR
    )
    app.include_item(
        {
            "bulletin": "2025/1",
            "kind": "text",
            "title": "来稿",
            "summary": "摘要",
            "date": "2025-03-06",
        },
        EDITOR,
    )
    env = Env(app=app)
    yield {"app": app, "env": env, "ids": ids}
    env.close()


def run(env: Env, *args: str) -> str:
    result = CliRunner().invoke(cli, ["report", "annual", *args], obj=env)
    assert result.exit_code == 0, result.output
    return result.output


def renderings(app: Renda, year: int) -> dict[tuple[str, str, str], str]:
    """Every template of the report for ``year``: (source, format, lang) -> output."""
    out: dict[tuple[str, str, str], str] = {}
    for source, plugins in (("builtin", []), ("jilin", jilin_plugins())):
        env = Env(app=app, pm=get_plugin_manager(plugins))
        try:
            for fmt in ("text", "html"):
                for lang in ("zh", "en"):
                    out[source, fmt, lang] = run(
                        env, "--year", str(year), "--format", fmt, "--lang", lang
                    )
        finally:
            env.close()
    return out


class Page(HTMLParser):
    """The page's visible text (entities resolved, scripts and styles left out), its
    tags and its style sheet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.css = ""
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        inside = self._in[-1] if self._in else ""
        if inside == "style":
            self.css += data
        elif inside != "script":
            self.text.append(data)

    def visible(self) -> str:
        return "".join(self.text)


def page(html: str) -> Page:
    parsed = Page()
    parsed.feed(html)
    return parsed


ZERO = re.compile(r"(?<![\d.,])0(\.0)?\s?(期|次|件|名|个|人次|%|classes|activities|issues)")


def assert_reads_clean(text: str, where: Any) -> None:
    for bad in ("<built-in", "<bound method", "None", "&amp;", "&lt;", "&gt;", "&#x27;"):
        assert bad not in text, (where, bad)
    for bad in ("&#39;", "&quot;", "不断提高", "nan%", "—%"):
        assert bad not in text, (where, bad)
    assert not ZERO.search(text), (where, ZERO.search(text))


def test_every_template_renders_clean_text_in_zh_and_en(filled: dict[str, Any]) -> None:
    for year in (2023, 2025, 2026):  # 2026: begun, with no work recorded in it
        for (source, fmt, lang), output in renderings(filled["app"], year).items():
            where = (year, source, fmt, lang)
            if fmt == "html":
                parsed = page(output)
                text = parsed.visible()
                assert not [t for t, _ in parsed.tags if t == "b"], where  # TOPIC not markup
            else:
                text = output
            assert_reads_clean(text, where)
            if year == 2025 and (source, lang) == ("builtin", "zh"):
                assert TOPIC in text, where  # escaped once: it reads as written


def test_an_empty_store_says_each_section_has_no_data(app: Renda) -> None:
    found = renderings(app, 2023)
    zh, en = found["builtin", "text", "zh"], found["builtin", "text", "en"]
    for sentence in (
        "2023年没有代表学习培训的记录。",
        "2023年没有代表家站和社情民意的记录。",
        "2023年没有常委会组成人员联系代表的记录。",
        "2023年没有代表建议的记录。",
        "2023年没有代表小组的记录。",
        "2023年没有编发《人大代表之声》专刊。",
    ):
        assert sentence in zh
    for sentence in (
        "No training was recorded in 2023.",
        "No deputy station or public opinion was recorded in 2023.",
        "No contact between standing-committee members and deputies was recorded in 2023.",
        "No deputy suggestion was recorded in 2023.",
        "No deputy group was recorded in 2023.",
        "No issue of the bulletin Voice of Deputies was published in 2023.",
    ):
        assert sentence in en
    jilin = found["jilin", "text", "zh"]
    assert "2023年没有代表学习培训的记录。" in jilin
    assert "2023年没有代表家站和社情民意的记录。" in jilin
    for output in found.values():
        assert "覆盖率" not in output.split("<table", 1)[0]  # no rate of nothing in prose
        assert_reads_clean(page(output).visible() if "<html" in output else output, "empty")
    data = json.loads(run(Env(app=app), "--year", "2023", "--json"))
    assert data["stations"]["coverage_rate"] is None


def test_a_year_with_only_training_and_the_bulletin(filled: dict[str, Any]) -> None:
    found = renderings(filled["app"], 2025)
    zh, en = found["builtin", "text", "zh"], found["builtin", "text", "en"]
    # the county class is labelled county; no provincial figure is claimed
    assert "组织1期县人大代表履职培训班" in zh and "实现县人大代表履职培训全覆盖" in zh
    assert "省人大代表履职培训" not in zh
    assert "1 duty-training class was held for county deputies" in en
    assert "provincial deputies" not in en.split("2.", 1)[0]
    # the topic is listed; 刊载 counts suggestions and other items apart
    assert f"专题培训围绕“{TOPIC}”开展" in zh
    assert "刊载代表建议1件、其他来稿1件" in zh
    assert "carrying 1 deputy suggestion and 1 other contribution" in en
    # sections without data for the year say so
    assert "2025年没有代表建议的记录。" not in zh  # a suggestion was submitted in 2025
    assert "2025年没有常委会组成人员联系代表的记录。" in zh
    assert "No contact between standing-committee members and deputies was recorded in 2025." in (
        en
    )
    jilin = found["jilin", "text", "zh"]
    assert "组织1期县人大代表履职培训班" in jilin and f"重点围绕“{TOPIC}”" in jilin
    assert "省人大代表履职培训" not in jilin and "省人大代表小组" in jilin
    data = json.loads(run(filled["env"], "--year", "2025", "--json"))
    assert data["training"]["classes_by_target"] == {"duty": {"county": 1}, "topical": {"all": 1}}
    assert data["training"]["topics"] == [TOPIC]
    assert data["training"]["duty_coverage"] == {
        "national": None,
        "provincial": None,
        "municipal": None,
        "county": 1.0,
        "township": None,
    }
    assert data["bulletin"]["items"] == 2
    assert data["bulletin"]["items_by_kind"] == {"suggestion": 1, "opinion": 0, "text": 1}


def test_labels_follow_the_levels_of_2023(filled: dict[str, Any]) -> None:
    env = filled["env"]
    data = json.loads(run(env, "--year", "2023", "--json"))
    training = data["training"]
    assert training["classes_by_target"] == {"duty": {"provincial": 1}, "topical": {"all": 1}}
    assert training["duty_coverage"]["provincial"] == pytest.approx(0.6667)
    assert [lv for lv, r in training["duty_coverage"].items() if r is not None] == ["provincial"]
    assert data["groups"]["groups_by_level"] == {"provincial": 2}
    zh = run(env, "--year", "2023", "--format", "text", "--lang", "zh")
    assert "组织1期省人大代表履职培训班；省人大代表履职培训覆盖率为66.7%" in zh
    assert "组织1期各级人大代表专题培训班" in zh
    assert "2023年末共有2个省人大代表小组" in zh
    # a county-level filter: no provincial label anywhere in the prose
    county = run(env, "--year", "2023", "--level", "county", "--format", "text")
    assert "省人大代表" not in county, county
    en = run(env, "--year", "2023", "--format", "text", "--lang", "en")
    assert "duty training reached 66.7% of the provincial deputies" in en


def test_the_page_is_accessible_and_printable(filled: dict[str, Any]) -> None:
    app, env = filled["app"], filled["env"]
    html = run(env, "--year", "2023", "--format", "html", "--lang", "zh")
    parsed = page(html)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("caption") == 6 and tags.count("table") == 6
    header_cells = [a for t, a in parsed.tags if t == "th"]
    assert {a.get("scope") for a in header_cells} == {"col", "row"}
    headings = [a for t, a in parsed.tags if t == "h2"]
    assert len(headings) >= 6 + 2  # the prose's six headings, charts and figures
    assert "<p>一、代表学习培训</p>" not in html and "<h2>一、代表学习培训</h2>" in html
    svgs = [a for t, a in parsed.tags if t == "svg"]
    assert svgs and all(a.get("viewbox") and "width" not in a for a in svgs)
    css = re.sub(r"\s+", " ", parsed.css)
    assert re.search(r"svg \{[^}]*max-width: 100%", css) and "height: auto" in css
    assert re.search(r"@page \{[^}]*size: A4", css)
    # the footer: the moment, the log position and the store
    footer = html.split("<footer>", 1)[1]
    position = app.recorder.max_notification_id()
    assert f'<dd class="position">{position}</dd>' in footer
    assert f'<dd class="store">{app.store.backend}: ' in footer
    replayed = run(env, "--year", "2023", "--format", "html", "--as-of", "2026-11-29")
    assert '<dd class="as-of">2026-11-29</dd>' in replayed


def test_text_contrast_is_at_least_4_5_to_1(filled: dict[str, Any]) -> None:
    """Every colour the page sets for text, on the background it is drawn on (its rule's
    own, else the page's), and the charts' text on white: WCAG ratio ≥ 4.5."""
    html = run(filled["env"], "--year", "2023", "--format", "html", "--lang", "en")
    css = page(html).css
    rules = {k.strip(): v for k, v in re.findall(r"([^{}]+)\{([^}]*)\}", css)}
    page_background = _colour(rules["body"], "background")
    assert page_background is not None
    checked = 0
    for selector, body in rules.items():
        colour = _colour(body, "color")
        if colour is None:
            continue
        background = _colour(body, "background") or page_background
        assert contrast(colour, background) >= 4.5, (selector.strip(), colour, background)
        checked += 1
    assert checked >= 5
    for fill in set(re.findall(r'<text[^>]*fill="(#[0-9a-f]{6})"', html)):
        assert contrast(fill, "#ffffff") >= 4.5, fill
    assert contrast("#777777", "#ffffff") < 4.5  # the check can fail: #777 on white does


def _colour(declarations: str, prop: str) -> str | None:
    found = re.search(rf"(?:^|[;\s]){prop}\s*:\s*(#[0-9a-fA-F]{{6}})", declarations)
    return found.group(1).lower() if found else None


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, bl = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl

    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_docs_name_the_page_rules() -> None:
    text = (Path(__file__).parents[2] / "docs" / "reports.md").read_text(encoding="utf-8")
    for phrase in ("390 px", "`@page { size: A4 }`", "4.5:1", "log position"):
        assert phrase in text, phrase


def test_the_demo_reads_correctly_in_zh_and_en(tmp_path: Path) -> None:
    """`renda demo` (small scale) and its annual prose, 2023 and 2024, every template."""
    store = str(tmp_path / "demo.sqlite")
    built = CliRunner().invoke(
        cli, ["--lang", "zh", "demo", "--store", store, "--quiet", "--scale", "0.01"]
    )
    assert built.exit_code == 0, built.output
    assert "省人大代表履职培训班" in built.output  # the table printed, labels by level
    with Renda(store) as app:
        y2023, y2024 = renderings(app, 2023), renderings(app, 2024)
    for year, found in ((2023, y2023), (2024, y2024)):
        for key, output in found.items():
            text = page(output).visible() if key[1] == "html" else output
            assert_reads_clean(text, (year, *key))
    zh, jilin = y2023["builtin", "text", "zh"], y2023["jilin", "text", "zh"]
    for text in (zh, jilin):
        assert "实现省人大代表履职培训全覆盖" in text
        assert "2023年，全省代表家站共组织开展活动" in text
        assert "乡镇街道代表家站覆盖率达到97%" in text
    assert (
        "duty training reached every one of the provincial deputies"
        in (y2023["builtin", "text", "en"])
    )
    # 2024: the seed's topical training, with its topics
    topics = "“因地制宜发展新质生产力”“发展现代化大农业”"
    assert f"专题培训围绕{topics}开展" in y2024["builtin", "text", "zh"]
    assert f"重点围绕{topics}开展“订单式”专题培训" in y2024["jilin", "text", "zh"]
