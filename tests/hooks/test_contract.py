"""The shipped contract test cases, applied to the first-party roster adapter."""

from __future__ import annotations

from renda_adapters.roster import DeputyRoster
from renda_core import Actor, Renda
from renda_core.ports.contracts import Projection
from renda_core.testing import ProjectionContract
from tests.conftest import register_payload


class TestRosterContract(ProjectionContract):
    def make_projection(self) -> Projection:
        return DeputyRoster()

    def scenario(self, app: Renda, actor: Actor) -> None:
        a = app.register_deputy(register_payload(), actor)
        b = app.register_deputy(register_payload(name="赵德明", level="county"), actor)
        app.liaise_deputy({"deputy_id": a, "member": "甲", "date": "2023-02-01"}, actor)
        app.record_contact({"deputy_id": a, "form": "forum", "date": "2023-03-01"}, actor)
        app.correct_deputy({"deputy_id": a, "date": "2023-04-01", "area": "220102"}, actor)
        app.terminate_deputy({"deputy_id": b, "reason": "recall", "date": "2023-05-01"}, actor)
