"""``opinion show`` tells the closed loop as a clerk follows it: the station and the
deputies by name, where the item went (to whom, by when), its result, the rating, and
a result an unsatisfied citizen sent back stays in the history (SQLite and
PostgreSQL)."""

from __future__ import annotations

import re
from typing import Any

from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from tests.application.test_escalation import accepted_opinion
from tests.conftest import STAFF

NO_LOCALE = {"RENDA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}


def show(store: str, opinion: object, lang: str = "zh") -> str:
    result = CliRunner().invoke(
        cli,
        ["--store", store, "--lang", lang, "opinion", "show", str(opinion)],
        env=NO_LOCALE,
    )
    assert result.exit_code == 0, result.output
    return result.output


def cells(output: str) -> list[str]:
    return [c.strip() for line in output.splitlines() for c in re.split(r"[│┃]", line)[1:-1]]


def referred_and_handled(app: Renda, opinion: Any) -> None:
    refer = {"body": "县商务局", "body_kind": "department", "due": "2023-04-01"}
    app.refer_opinion({"opinion_id": opinion, **refer, "date": "2023-03-03"}, STAFF)
    result = {"opinion_id": opinion, "result": "已协调冷链项目选址", "date": "2023-03-20"}
    app.record_opinion_result(result, STAFF)
    app.feed_back_opinion({"opinion_id": opinion, "date": "2023-03-21"}, STAFF)


def test_the_loop_is_told_by_name_route_result_and_rating(app: Renda, store: str) -> None:
    opinion, deputy = accepted_opinion(app)
    referred_and_handled(app, opinion)
    rating = {"opinion_id": opinion, "rating": "satisfied", "date": "2023-03-25"}
    app.evaluate_opinion(rating, STAFF)
    station = app.opinion(opinion)["station_id"]
    table = cells(show(store, opinion))
    assert f"{station[:8]}（家站）" in table
    assert app.deputy(deputy)["name"] in table
    assert "转交县商务局（职能部门），2023-04-01 前办理" in table
    assert "已协调冷链项目选址" in table
    assert "已转办：县商务局" in table
    assert "已登记办理结果：已协调冷链项目选址" in table
    assert "已评价：满意" in table
    assert "已反馈：群众、代表" in table or "已反馈：代表、群众" in table
    english = cells(show(store, opinion, "en"))
    assert "referred to 县商务局 (department), due 2023-04-01" in english
    assert "evaluated: satisfied" in english
    assert any(c.startswith("fed back: ") and "citizen" in c for c in english)
    assert f"{station[:8]} (家站)" in english


def test_a_result_sent_back_stays_in_the_history(app: Renda, store: str) -> None:
    opinion, _ = accepted_opinion(app)
    referred_and_handled(app, opinion)
    unsatisfied = {"rating": "unsatisfied", "note": "选址太远", "date": "2023-03-25"}
    app.evaluate_opinion({"opinion_id": opinion, **unsatisfied}, STAFF)
    assert app.opinion(opinion)["result"] is None  # the item is open again
    table = cells(show(store, opinion))
    assert "已登记办理结果：已协调冷链项目选址" in table
    assert "已评价：不满意；说明：选址太远" in table


def test_show_tables_name_the_division_of_a_code(app: Renda, store: str) -> None:
    """A code recorded is shown with its name; one not recorded (the deputy's 222401 in
    this store) as it is."""
    opinion, deputy = accepted_opinion(app)
    station = app.opinion(opinion)["station_id"]
    code = app.station(station)["division"]
    shown = {
        ("station", station): f"{code}（{app.division(code)['name']}）",
        ("deputy", deputy): app.deputy(deputy)["area"],
    }
    for (command, record), expected in shown.items():
        result = CliRunner().invoke(
            cli, ["--store", store, "--lang", "zh", command, "show", str(record)], env=NO_LOCALE
        )
        assert result.exit_code == 0, result.output
        assert expected in cells(result.output)


def test_station_show_names_the_deputies_on_its_roster(app: Renda, store: str) -> None:
    opinion, deputy = accepted_opinion(app)
    station = app.opinion(opinion)["station_id"]
    result = CliRunner().invoke(
        cli, ["--store", store, "--lang", "zh", "station", "show", station], env=NO_LOCALE
    )
    assert result.exit_code == 0, result.output
    table = cells(result.output)
    assert table[table.index("进站代表数") + 1] == "1"
    assert table[table.index("进站代表") + 1] == app.deputy(deputy)["name"]
