"""Reports to constituents (代表述职) through the application, on both stores: who may
record one, the mandate's dates, duplicates, and nothing recorded on any error."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from renda_core import Actor, Renda
from renda_core.domain.errors import Forbidden, InvalidInput, NotFound, RendaError, RuleViolated
from renda_core.projections.log import count_events
from tests.conftest import STAFF, register_payload


def refused(app: Renda, kind: type[RendaError], call: Callable[[], object]) -> RendaError:
    before = count_events(app)
    with pytest.raises(kind) as info:
        call()
    assert count_events(app) == before
    return info.value


def test_report_evaluate_cancel(app: Renda) -> None:
    deputy = app.register_deputy(register_payload(), STAFF)
    data = {
        "deputy_id": str(deputy),
        "date": "2024-05-01",
        "place": "延吉市河南街道代表联络站",
        "attendees": 42,
        "audience": "原选区选民",
    }
    rid = app.report_to_constituents(data, STAFF)
    refused(app, RuleViolated, lambda: app.report_to_constituents(data, STAFF))  # duplicate
    app.evaluate_report({"report_id": rid, "evaluation": "满意", "date": "2024-05-02"}, STAFF)
    doc = app.constituent_report(rid)
    assert doc["evaluation"] == "satisfied" and doc["evaluated_on"] == "2024-05-02"
    app.cancel_report({"report_id": rid, "reason": "重复录入", "date": "2024-05-03"}, STAFF)
    assert app.constituent_report(rid)["status"] == "cancelled"
    refused(
        app,
        RuleViolated,
        lambda: app.evaluate_report(
            {"report_id": rid, "evaluation": "满意", "date": "2024-05-04"}, STAFF
        ),
    )


def test_a_deputy_records_only_their_own(app: Renda) -> None:
    own = app.register_deputy(register_payload(), STAFF)
    other = app.register_deputy(register_payload(name="朴成哲"), STAFF)
    me = Actor("jin", f"deputy:{own}")
    data = {"date": "2024-05-01", "place": "代表之家", "attendees": 20}
    rid = app.report_to_constituents({**data, "deputy_id": own}, me)
    assert app.constituent_report(rid)["deputy_id"] == str(own)
    refused(app, Forbidden, lambda: app.report_to_constituents({**data, "deputy_id": other}, me))
    refused(
        app,
        Forbidden,
        lambda: app.evaluate_report(
            {"report_id": rid, "evaluation": "满意", "date": "2024-05-02"}, me
        ),
    )
    refused(
        app,
        Forbidden,
        lambda: app.report_to_constituents({**data, "deputy_id": own}, Actor("u", "unit:省商务厅")),
    )


def test_dates_outside_the_mandate_and_bad_inputs(app: Renda) -> None:
    deputy = app.register_deputy(register_payload(date="2023-01-16"), STAFF)
    base = {"deputy_id": str(deputy), "place": "代表之家", "attendees": 20}
    refused(
        app, RuleViolated, lambda: app.report_to_constituents({**base, "date": "2023-01-15"}, STAFF)
    )
    app.terminate_deputy(
        {"deputy_id": deputy, "reason": "resignation", "date": "2024-06-30"}, STAFF
    )
    refused(
        app, RuleViolated, lambda: app.report_to_constituents({**base, "date": "2024-07-01"}, STAFF)
    )
    app.report_to_constituents({**base, "date": "2024-06-30"}, STAFF)  # the last day still counts
    for bad in (
        {"attendees": 0},
        {"attendees": "many"},
        {"place": ""},
        {"evaluation": "好"},
        {"date": "2024-02-30"},
        {"extra": 1},
    ):
        refused(
            app,
            InvalidInput,
            lambda bad=bad: app.report_to_constituents(  # type: ignore[misc]
                {**base, "date": "2024-05-01", **bad}, STAFF
            ),
        )
    refused(
        app,
        NotFound,
        lambda: app.report_to_constituents(
            {**base, "deputy_id": "00000000-0000-0000-0000-000000000001", "date": "2024-05-01"},
            STAFF,
        ),
    )
    refused(
        app,
        NotFound,
        lambda: app.cancel_report(
            {"report_id": deputy, "reason": "x", "date": "2024-05-01"}, STAFF
        ),
    )
