"""Escalating an opinion into a suggestion: created or linked in the same write."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from renda_core import InvalidInput, NotFound, Renda, RuleViolated
from renda_core.application.areas import read_division_csv
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.log import count_events, list_events
from renda_core.projections.reports import fresh_context
from renda_core.projections.runner import ProjectionRunner
from tests.application.scenario import DIVISIONS_CSV
from tests.conftest import STAFF, register_payload


def accepted_opinion(app: Renda) -> tuple[UUID, UUID]:
    app.import_divisions({"rows": read_division_csv(DIVISIONS_CSV), "date": "2023-01-01"}, STAFF)
    deputy = app.register_deputy(register_payload(date="2023-01-10"), STAFF)
    station = app.establish_station(
        {"name": "家站", "kind": "home", "division": "220102001", "date": "2023-01-15"}, STAFF
    )
    app.enter_station({"station_id": station, "deputy_id": deputy, "date": "2023-02-01"}, STAFF)
    opinion = app.collect_opinion(
        {
            "station_id": station,
            "channel": "app",
            "content": "建议加快县域冷链物流建设",
            "category": "产业发展",
            "deputies": [deputy],
            "date": "2023-03-01",
        },
        STAFF,
    )
    app.screen_opinion({"opinion_id": opinion, "outcome": "accepted", "date": "2023-03-02"}, STAFF)
    return opinion, deputy


def escalate(app: Renda, opinion: UUID, **kw: Any) -> str:
    data = {"opinion_id": opinion, "target_kind": "suggestion", "date": "2023-03-03", **kw}
    return app.escalate_opinion(data, STAFF)


def test_escalation_drafts_a_suggestion_in_the_same_write(app: Renda) -> None:
    opinion, deputy = accepted_opinion(app)
    before = app.recorder.max_notification_id()
    target = escalate(app, opinion, title="关于加快冷链物流建设的建议")
    suggestion = app.suggestion(target)
    assert suggestion["title"] == "关于加快冷链物流建设的建议"
    assert suggestion["lead_deputy"] == str(deputy) and suggestion["source"] == "station"
    route = app.opinion(opinion)["route"]
    assert route["target_kind"] == "suggestion" and route["target_id"] == target
    new = [e for e in list_events(app) if e["position"] > (before or 0)]
    assert {e["topic"] for e in new} == {
        "renda:Opinion.Escalated",
        "renda:Suggestion.Drafted",
        "renda:Suggestion.OpinionLinked",
    }
    assert suggestion["opinions"] == [str(opinion)]  # linked both ways
    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    from renda_adapters.record import duty_record

    record = duty_record(fresh_context(runner, "duty_record"), str(deputy), 2023)
    assert [s["suggestion_id"] for s in record["suggestions_led"]] == [target]
    runner.close()


def test_escalation_into_an_existing_suggestion(app: Renda) -> None:
    opinion, _ = accepted_opinion(app)
    other = escalate(app, opinion)
    second = app.collect_opinion(
        {
            "station_id": app.opinion(opinion)["station_id"],
            "channel": "app",
            "content": "同上",
            "deputies": app.opinion(opinion)["deputies"],
            "date": "2023-03-05",
        },
        STAFF,
    )
    app.screen_opinion({"opinion_id": second, "outcome": "accepted", "date": "2023-03-05"}, STAFF)
    events = count_events(app)
    with pytest.raises(NotFound):
        escalate(app, second, target_id="00000000-0000-0000-0000-000000000000", date="2023-03-06")
    assert count_events(app) == events
    assert escalate(app, second, target_id=other, date="2023-03-06") == other
    assert count_events(app) == events + 2  # the opinion's side and the suggestion's side
    assert app.suggestion(other)["opinions"] == [str(opinion), str(second)]


def test_escalation_rejections_record_nothing(app: Renda) -> None:
    opinion, _ = accepted_opinion(app)
    escalate(app, opinion)
    events = count_events(app)
    with pytest.raises(RuleViolated, match="escalate"):
        escalate(app, opinion)
    with pytest.raises(InvalidInput, match="bulletin"):
        escalate(app, opinion, target_kind="bulletin")
    assert count_events(app) == events
