"""By-elections (补选) fill announced vacancies; ``renda term show`` lists a term's
members with their mandates' status, the seats per electoral unit, vacancies and
by-elections, and a re-elected deputy as one record in both terms. On both stores."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolated
from renda_core.projections.log import count_events, list_events
from tests.conftest import STAFF, register_payload

YANBIAN, CHANGCHUN = "延边朝鲜族自治州人民代表大会", "长春市人民代表大会"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with dates_as_of(date(2029, 6, 1)):
        yield


def refused(app: Renda, error: type[Exception], call: Any, match: str | None = None) -> None:
    before = count_events(app)
    with pytest.raises(error, match=match):
        call()
    assert count_events(app) == before


def _vacate(app: Renda, deputy: UUID, ground: str, on: str, announced: str | None) -> None:
    app.terminate_deputy({"deputy_id": deputy, "ground": ground, "date": on}, STAFF)
    if announced:
        data = {"deputy_id": deputy, "notice": "吉林省人大常委会公告", "date": announced}
        app.announce_termination(data, STAFF)


def _term_show(store: str, number: int) -> dict[str, Any]:
    args = ["--store", store, "term", "show", str(number), "--level", "省", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_a_by_election_scenario_and_the_term_overview(app: Renda, store: str) -> None:
    app.begin_term({"level": "provincial", "number": 14, "date": "2023-01-10"}, STAFF)
    a = app.register_deputy(register_payload(name="金美玉"), STAFF)
    b = app.register_deputy(register_payload(name="朴成哲"), STAFF)
    c = app.register_deputy(
        register_payload(name="李明", electoral_unit=CHANGCHUN, area="220102"), STAFF
    )
    _vacate(app, b, "moved_away", "2024-05-01", "2024-05-10")
    _vacate(app, c, "death", "2025-01-01", None)
    elect = {"vacancy_id": b, "name": "崔英子", "gender": "female", "date": "2024-08-01"}

    refused(app, RuleViolated, lambda: app.by_elect_deputy({**elect, "vacancy_id": a}, STAFF))
    refused(
        app,
        RuleViolated,
        lambda: app.by_elect_deputy({**elect, "vacancy_id": c}, STAFF),
        "not announced",
    )
    refused(app, NotFound, lambda: app.by_elect_deputy({**elect, "vacancy_id": uuid4()}, STAFF))
    refused(app, InvalidInput, lambda: app.by_elect_deputy({**elect, "name": ""}, STAFF))
    refused(app, InvalidInput, lambda: app.by_elect_deputy({**elect, "area": "99"}, STAFF))
    refused(app, Forbidden, lambda: app.by_elect_deputy(elect, Actor("jin", f"deputy:{a}")))
    d = app.by_elect_deputy(elect, STAFF)
    refused(app, RuleViolated, lambda: app.by_elect_deputy(elect, STAFF), "already filled")

    new, old = app.deputy(d), app.deputy(b)
    assert (new["fills"], new["term"], new["electoral_unit"], new["area"]) == (
        str(b),
        14,
        YANBIAN,
        "222401",
    )
    assert (old["vacancy"], old["filled_by"], old["filled_on"]) == ("filled", str(d), "2024-08-01")
    # the vacancy and the new mandate are one write, in this order
    topics = [e["topic"] for e in list_events(app)][-3:]
    assert topics == [
        "renda:Deputy.Registered",
        "renda:Deputy.ByElected",
        "renda:Deputy.VacancyFilled",
    ]

    app.announce_termination(
        {"deputy_id": c, "notice": "吉林省人大常委会公告第9号", "date": "2025-01-10"}, STAFF
    )
    app.suspend_deputy({"deputy_id": d, "ground": "detained", "date": "2025-03-01"}, STAFF)
    app.begin_term({"level": "provincial", "number": 15, "date": "2028-01-10"}, STAFF)
    app.end_term({"level": "provincial", "number": 14, "date": "2028-01-09"}, STAFF)
    app.reelect_deputy({"deputy_id": a, "term": 15, "date": "2028-01-10"}, STAFF)
    late = {"vacancy_id": c, "name": "王强", "date": "2028-02-01"}
    refused(app, RuleViolated, lambda: app.by_elect_deputy(late, STAFF), "outside")

    fourteen = _term_show(store, 14)
    assert fourteen["term"]["title"] == "省第十四届人民代表大会"
    by_id = {m["id"]: m for m in fourteen["members"]}
    assert {k: by_id[str(k)]["status"] for k in (a, b, c, d)} == {
        a: "reelected",
        b: "terminated",
        c: "terminated",
        d: "suspended",
    }
    assert by_id[str(a)]["continued_in"] == 15 and by_id[str(a)]["terms"] == [14, 15]
    assert by_id[str(d)]["fills"] == str(b)
    assert fourteen["seats"] == [  # sorted by unit (code point order)
        {
            "electoral_unit": YANBIAN,
            "members": 3,
            "holding": 2,
            "suspended": 1,
            "vacant": 0,
            "filled": 1,
        },
        {
            "electoral_unit": CHANGCHUN,
            "members": 1,
            "holding": 0,
            "suspended": 0,
            "vacant": 1,
            "filled": 0,
        },
    ]
    assert sorted((v["deputy_id"], v["status"], v["ground"]) for v in fourteen["vacancies"]) == (
        sorted([(str(b), "filled", "moved_away"), (str(c), "vacant", "death")])
    )
    assert fourteen["by_elections"] == [
        {"deputy_id": str(d), "name": "崔英子", "fills": str(b), "on": "2024-08-01"}
    ]

    fifteen = _term_show(store, 15)
    assert [(m["id"], m["status"], m["from"]) for m in fifteen["members"]] == [
        (str(a), "active", "2028-01-10")
    ]
    missing = CliRunner().invoke(
        cli, ["--store", store, "term", "show", "16", "--level", "provincial", "--json"]
    )
    assert missing.exit_code == 4, missing.output


def test_by_elect_through_the_cli(app: Renda, store: str) -> None:
    b = app.register_deputy(register_payload(name="朴成哲"), STAFF)
    runner = CliRunner()
    args = ["--store", store, "deputy", "by-elect", str(b), "--name", "崔英子"]
    early = runner.invoke(cli, [*args, "--date", "2024-08-01", "--json"])
    assert early.exit_code == 5 and "not vacant" in early.output
    _vacate(app, b, "resignation_accepted", "2024-05-01", "2024-05-10")
    done = runner.invoke(cli, [*args, "--date", "2024-08-01", "--json"])
    assert done.exit_code == 0, done.output
    new_id = json.loads(done.output)["id"]
    assert app.deputy(new_id)["fills"] == str(b)
    kinds = {}
    for who in (str(b), new_id):
        shown = runner.invoke(cli, ["--store", store, "deputy", "record", who, "--json"])
        assert shown.exit_code == 0, shown.output
        kinds[who] = [e["kind"] for e in json.loads(shown.output)["mandate"]["events"]]
    assert kinds == {
        str(b): ["terminated", "announced", "vacancy_filled"],
        new_id: ["by_elected"],
    }
