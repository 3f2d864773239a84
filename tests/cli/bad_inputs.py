"""Shared by the bad-input tests: a small world to aim at, and one way to run the CLI.

The world is built through the application (dates in 2023–2024; today is fixed at
:data:`TODAY` by the tests, so nothing depends on the clock).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from datetime import date

from click.testing import CliRunner, Result

from renda_core import Actor, Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.projections.log import count_events
from tests.application.test_escalation import accepted_opinion
from tests.application.test_suggestions import EDITOR, assigned, deputy, drafted
from tests.conftest import STAFF

TODAY = date(2025, 6, 30)
# Documented exit codes (docs/cli.md): 0 done, 2 usage, 3–9 the error kinds, 10 an
# internal error. A bad input must end in one of these, never in a traceback.
DOCUMENTED = {0, 2, 3, 4, 5, 6, 7, 8}
LONG = "x" * 10240


def seed(app: Renda) -> dict[str, str]:
    """Records for the corpus's placeholders ({deputy}, {assigned}, …)."""
    opinion, deputy_id = accepted_opinion(app)
    lead_id, lead = deputy(app, name="金美玉", area="222401")
    draft = drafted(app, lead)
    assigned_id = assigned(app, lead)
    accepted = []
    for _ in range(2):
        sid = drafted(app, lead)
        app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead)
        app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"}, STAFF)
        accepted.append(sid)
    submitted = drafted(app, lead)
    app.submit_suggestion({"suggestion_id": submitted, "date": "2024-09-10"}, lead)
    app.open_bulletin({"year": 2024, "number": 1, "title": "专刊", "date": "2024-09-12"}, EDITOR)
    text_item = {"bulletin": "2024/1", "kind": "text", "title": "来稿", "summary": "摘要"}
    app.include_item({**text_item, "date": "2024-09-13"}, EDITOR)
    app.open_bulletin({"year": 2024, "number": 2, "title": "专刊", "date": "2024-09-12"}, EDITOR)
    app.include_item(
        {"bulletin": "2024/2", "ref": str(submitted), "summary": "摘要", "date": "2024-09-13"},
        EDITOR,
    )
    app.publish_bulletin(
        {"bulletin": "2024/2", "recipients": ["省政府"], "date": "2024-09-14"}, EDITOR
    )
    course = app.plan_course(
        {
            "kind": "duty",
            "title": "履职培训",
            "starts": "2024-05-10",
            "ends": "2024-05-12",
            "date": "2024-04-01",
        },
        STAFF,
    )
    return {
        "deputy": str(deputy_id),
        "lead": str(lead_id),
        "opinion": str(opinion),
        "draft": str(draft),
        "assigned": str(assigned_id),
        "accepted": str(accepted[0]),
        "accepted2": str(accepted[1]),
        "submitted": str(submitted),
        "course": str(course),
        "long": LONG,
    }


def fill(value: str, world: dict[str, str]) -> str:
    for key, replacement in world.items():
        value = value.replace("{" + key + "}", replacement)
    return value


@dataclass
class Outcome:
    result: Result
    before: int
    after: int

    @property
    def code(self) -> int:
        return self.result.exit_code

    @property
    def traceback(self) -> str | None:
        """The traceback of an exception that escaped Click, if any."""
        exc = self.result.exception
        if exc is None or isinstance(exc, SystemExit):
            return None
        return "".join(traceback.format_exception(exc))


def invoke(app: Renda, store: str, argv: list[str], *, raw: bool = False) -> Outcome:
    """Run ``renda`` on ``app``'s store (``raw``: ``argv`` holds the global options)."""
    before = count_events(app)
    if raw:
        args = argv if argv[0] == "--store" else ["--store", store, *argv]
        result = CliRunner().invoke(cli, args)
    else:
        result = CliRunner().invoke(cli, argv, obj=Env(app=app))
    return Outcome(result, before, count_events(app))


def as_role(role: str, *args: str) -> list[str]:
    return ["--actor", "tester", "--role", role, *args]


def actor(role: str) -> Actor:
    return Actor("tester", role)
