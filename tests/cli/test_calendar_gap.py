"""A year whose holiday arrangement is missing, as a clerk meets it in Chinese: the
error names every year the calendar knows (recorded ones too), the December warning
and the due dates that wait are in the clerk's language, and no line shows ``None``
for a due date not yet computed (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Renda, i18n
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.domain.calendar import CalendarYearUnknown, WorkCalendar
from renda_core.i18n_extract import source_messages
from tests.application.test_suggestions import YEAR_2027, deputy, drafted
from tests.conftest import STAFF

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
#: three English words in a row: a sentence left untranslated
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")


def invoke(store: str, *args: str, lang: str = "zh") -> Any:
    return CliRunner().invoke(
        cli, ["--store", store, "--lang", lang, *args], env=NO_LOCALE, prog_name="renda"
    )


def english_in(text: str) -> list[str]:
    """English sentences in ``text``, besides the command a message tells to type."""
    return ENGLISH_RUN.findall(text.replace("renda calendar add FILE", ""))


def submitted_in_late_december(app: Renda) -> str:
    _, lead = deputy(app)
    sid = drafted(app, lead, title="关于冬季供暖的建议", source="station", date="2026-12-20")
    app.submit_suggestion({"suggestion_id": sid, "date": "2026-12-24"}, lead)
    app.accept_suggestion({"suggestion_id": sid, "date": "2026-12-25"}, STAFF)
    return str(sid)


def test_assigning_while_next_year_is_missing_speaks_chinese_and_shows_what_waits(
    store: str,
) -> None:
    with Renda(store) as app:
        sid = submitted_in_late_december(app)
    with dates_as_of(date(2026, 12, 28)):
        assigned = invoke(
            store,
            "suggestion",
            "assign",
            sid,
            "--lead-unit",
            "省商务厅",
            "--co-unit",
            "省交通运输厅",
            "--date",
            "2026-12-28",
        )
        assert assigned.exit_code == 0, assigned.output
        # every due date of the assignment reaches 2027: none is shown as "None"
        assert "None" not in assigned.stdout
        assert "5 个期限待 2027 年节假日安排录入后计算" in assigned.stdout
        assert "警告：2027 年节假日安排尚未录入" in assigned.stderr
        assert "（1 件记录在等待）" in assigned.stderr
        assert english_in(assigned.stdout + assigned.stderr) == []

        shown = invoke(store, "suggestion", "show", sid)
        assert shown.exit_code == 0, shown.output
        flat = re.sub(r"[│\s]+", "", shown.stdout)  # the table's wrapped cells joined
        assert flat.count("待定期限") == 5
        assert "答复期限—自2026-12-28起3个月，待2027年节假日安排录入后计算" in flat
        assert "协办意见期限（省交通运输厅）—自2026-12-28起1个月" in flat
        assert "延期答复最迟期限—自2026-12-28起6个月" in flat
        assert "extension_limit" not in shown.stdout
        assert english_in(shown.stdout) == []

        english = invoke(store, "suggestion", "show", sid, lang="en")
        assert "reply due — 3 months from 2026-12-28, once the 2027 holiday" in english.stdout

    with Renda(store) as app:
        app.add_calendar_year({**YEAR_2027, "date": "2026-12-29"}, STAFF)
    shown = invoke(store, "suggestion", "show", sid)
    assert "待定期限" not in shown.stdout and "2027-03-29" in shown.stdout


def test_a_missing_year_names_the_recorded_years_too_in_the_clerks_language(
    store: str,
) -> None:
    with Renda(store) as app:
        before = invoke(store, "calendar", "show", "2035")
        assert "（已知年份：2004–2026）" in before.output
        app.add_calendar_year({**YEAR_2027, "date": "2026-11-10"}, STAFF)
        with pytest.raises(CalendarYearUnknown) as raised:
            app.calendar_year(2035)
        assert raised.value.year == 2035 and raised.value.known[-1] == 2027
        assert "(known: 2004–2027)" in raised.value.message
        assert app.known_calendar_years()[-2:] == [2026, 2027]

    zh = invoke(store, "calendar", "show", "2035")
    assert zh.exit_code == 5, zh.output
    assert "工作日日历中没有 2035 年的节假日安排（已知年份：2004–2027）" in zh.output
    assert "录入国务院公布的 2035 年安排" in zh.output
    assert english_in(zh.output) == []
    due = invoke(store, "calendar", "due", "2034-12-20", "--working-days", "5")
    assert due.exit_code == 5 and "没有 2034 年的节假日安排（已知年份：2004–2027）" in due.output
    en = invoke(store, "calendar", "show", "2035", lang="en")
    assert "no holiday arrangement for 2035 (known: 2004–2027)" in en.output


def test_a_calendar_without_any_known_year_says_so_without_a_list() -> None:
    calendar = WorkCalendar(packaged=False)
    with pytest.raises(CalendarYearUnknown) as raised:
        calendar.arrangement(2030)
    assert raised.value.known == [] and "known" not in raised.value.message
    with i18n.use("zh_CN"):
        from renda_core.cli.i18n import error_text

        assert error_text(raised.value).startswith("工作日日历中没有 2030 年的节假日安排；")


def test_the_years_known_are_asked_only_when_a_year_is_missing() -> None:
    asked: list[int] = []

    def known() -> list[int]:
        asked.append(1)
        return [2031]

    calendar = WorkCalendar(known_years=known)
    assert calendar.is_workday(date(2026, 12, 28)) and asked == []
    with pytest.raises(CalendarYearUnknown) as raised:
        calendar.arrangement(2040)
    assert asked == [1] and raised.value.known[-1] == 2031


def test_an_error_kinds_own_message_is_catalogued(tmp_path: Any) -> None:
    """The extractor reads what an error kind of a module passes to
    ``super().__init__`` (a kind of a kind too), and nothing of other classes."""
    source = tmp_path / "kinds.py"
    source.write_text(
        "from renda_core.domain.errors import RuleViolated\n"
        "class Gap(RuleViolated):\n"
        "    def __init__(self, year: int) -> None:\n"
        "        super().__init__(f'no arrangement for {year}')\n"
        "class Wider(Gap):\n"
        "    def __init__(self, year: int) -> None:\n"
        "        message = f'nothing known near {year}'\n"
        "        super().__init__(message)\n"
        "class Plain:\n"
        "    def __init__(self, name: str) -> None:\n"
        "        super().__init__(f'not a message {name}')\n",
        encoding="utf-8",
    )
    found = {msgid for (context, msgid), _ in source_messages(source) if context == "error"}
    assert found == {"no arrangement for {year}", "nothing known near {year}"}


def test_the_daily_clock_and_a_new_year_without_its_calendar_warn(store: str) -> None:
    """The warning also stands while the current year's arrangement is missing (January
    2027 with 2027 unrecorded), and the daily ``clock tick`` gives it in its log."""
    with Renda(store) as app:
        assert app.missing_calendar_year(date(2026, 10, 31)) is None
        assert app.missing_calendar_year(date(2026, 11, 1)) == (2027, 0)
        assert app.missing_calendar_year(date(2027, 1, 15)) == (2027, 0)
        assert app.missing_calendar_year(date(2025, 12, 1)) is None  # 2026 is packaged
    tick = invoke(store, "clock", "tick", "--as-of", "2027-01-15")
    assert tick.exit_code == 0, tick.output
    assert "警告：2027 年节假日安排尚未录入" in tick.stderr
    quiet = invoke(store, "clock", "tick", "--as-of", "2026-06-01")
    assert quiet.exit_code == 0 and "警告" not in quiet.stderr
    with Renda(store) as app:
        app.add_calendar_year({**YEAR_2027, "date": "2026-11-10"}, STAFF)
        assert app.missing_calendar_year(date(2027, 1, 15)) is None
        assert app.missing_calendar_year(date(2027, 11, 2)) == (2028, 0)


def test_an_embedding_system_asks_the_public_api(store: str) -> None:
    """``renda_core.open`` gives what the CLI warns about: the years known and the year
    missing, with the records waiting for it."""
    import renda_core

    with renda_core.open(store, actor=STAFF) as api:
        assert api.missing_calendar_year(date(2026, 12, 1)) == (2027, 0)
        assert api.calendar_years()[-1] == {
            "year": 2026,
            "origin": "packaged",
            "source": api.calendar_years()[-1]["source"],
        }
        with dates_as_of(date(2026, 12, 1)):
            assert api.missing_calendar_year() == (2027, 0)  # today's business date
        api.add_calendar_year({**YEAR_2027, "date": "2026-11-10"})
        assert api.missing_calendar_year(date(2026, 12, 1)) is None
        assert api.calendar_years()[-1]["origin"] == "recorded"


def test_a_pending_date_of_one_unit_reads_in_the_singular() -> None:
    from renda_core.cli.suggestion import _pending_deadline

    entry = {"deadline": "reply_due", "amount": 1, "unit": "months", "start": "2026-12-28"}
    entry["year"] = 2027
    with i18n.use("en"):
        assert "— 1 month from 2026-12-28" in _pending_deadline(entry)
        assert "— 3 months from" in _pending_deadline({**entry, "amount": 3})
    with i18n.use("zh_CN"):
        assert "1 个月" in _pending_deadline(entry)
