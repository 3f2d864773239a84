"""不宜公开 through the application and the suggestions view, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from renda_core import Renda
from renda_core.domain.errors import Forbidden, InvalidInput, RuleViolated
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.reports import fresh_context
from renda_core.projections.runner import ProjectionRunner
from tests.application.test_suggestions import UNIT, assigned, deputy, refused
from tests.conftest import STAFF


def test_withheld_reply_is_not_disclosure_overdue_anywhere(app: Renda) -> None:
    from renda_adapters.suggestions import build_suggestions, late_items, matching_docs

    _, lead = deputy(app)
    sid = assigned(app, lead)
    other = assigned(app, lead)
    for s in (sid, other):
        app.reply_suggestion(
            {"suggestion_id": s, "date": "2024-11-01", "result_class": "A", "text": "已解决"},
            UNIT,
        )
    ref = {"suggestion_id": sid, "date": "2024-11-05", "reason": "涉及国家秘密"}
    refused(app, Forbidden, lambda: app.withhold_disclosure(ref, UNIT))
    refused(app, InvalidInput, lambda: app.withhold_disclosure({**ref, "reason": " "}, STAFF))
    app.withhold_disclosure(ref, STAFF)
    assert app.suggestion(sid)["withheld"] is True
    assert app.suggestion(sid)["open_deadlines"] == []
    assert [e["deadline"] for e in app.suggestion(other)["open_deadlines"]] == ["disclosure_due"]
    refused(
        app,
        RuleViolated,
        lambda: app.disclose_suggestion({"suggestion_id": sid, "date": "2024-11-06"}, UNIT),
        "not to be disclosed",
    )

    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()))
    try:
        ctx = fresh_context(runner, "suggestions")
        late = late_items(matching_docs(ctx), date(2025, 6, 1))
        assert [(e["id"], e["deadline"]) for e in late] == [(str(other), "disclosure_due")]
        report = build_suggestions(ctx, year=2024)
        assert report["disclosure_withheld"] == 1 and report["disclosed"] == 0
    finally:
        runner.close()
