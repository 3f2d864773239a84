"""Random add / grant / revoke sequences drive the actor registry against a simple
model: an actor may act in role R iff R was granted and not revoked since, and the
actor itself is not revoked; a refusal records nothing; a registered staff may
register others, anyone else is refused; and a second application reading the stored
events (and snapshots) rebuilds the same registry."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from renda_core import Actor, Renda, RendaError
from renda_core.projections.log import count_events

SETTINGS = settings(
    max_examples=12,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
ROLES = ["staff", "auditor", "editor", "unit:省商务厅", "leader:省长"]
BOSS = Actor("boss", "staff")
REACHED: Counter[str] = Counter()
roles = st.sampled_from(ROLES)
picks = st.integers(0, 2)


def registry_machine(app: Renda, reader: Renda) -> type[RuleBasedStateMachine]:
    app.add_actor({"actor_id": "boss", "name": "王主任", "roles": ["staff"]}, BOSS)
    examples = itertools.count(1)  # actor ids are never reused: a prefix per example

    class RegistryMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.prefix = f"e{next(examples)}"
            # id -> {"roles": [...], "revoked": bool}
            self.model: dict[str, dict[str, Any]] = {}

        def ident(self, pick: int) -> str:
            return f"{self.prefix}-a{pick}"

        def attempt(self, call: Callable[[], Any], allowed: bool, what: str) -> bool:
            before = count_events(app)
            try:
                call()
            except RendaError as error:
                assert not allowed, f"{what} refused: {error}"
                assert count_events(app) == before  # nothing recorded
                REACHED[f"{what} refused"] += 1
                return False
            assert allowed, f"{what} accepted"
            REACHED[what] += 1
            return True

        def may_act(self, actor_id: str, role: str) -> bool:
            entry = self.model.get(actor_id)
            return entry is not None and not entry["revoked"] and role in entry["roles"]

        @rule(pick=picks, first=roles, more=st.lists(roles, max_size=2, unique=True))
        def add(self, pick: int, first: str, more: list[str]) -> None:
            actor_id = self.ident(pick)
            granted = [first, *[r for r in more if r != first]]
            data = {"actor_id": actor_id, "name": "张三", "roles": granted}
            if self.attempt(lambda: app.add_actor(data, BOSS), actor_id not in self.model, "add"):
                self.model[actor_id] = {"roles": granted, "revoked": False}

        @rule(pick=picks, role=roles)
        def grant(self, pick: int, role: str) -> None:
            actor_id = self.ident(pick)
            entry = self.model.get(actor_id)
            ok = entry is not None and not entry["revoked"] and role not in entry["roles"]
            data = {"actor_id": actor_id, "role": role}
            if self.attempt(lambda: app.grant_role(data, BOSS), ok, "grant"):
                self.model[actor_id]["roles"].append(role)

        @rule(pick=picks, role=roles, held=st.integers(0, 3))
        def revoke_role(self, pick: int, role: str, held: int) -> None:
            """Revoke one of the roles held (``held`` < 3) or any role."""
            actor_id = self.ident(pick)
            entry = self.model.get(actor_id)
            if held < 3 and entry is not None and entry["roles"]:
                role = entry["roles"][held % len(entry["roles"])]
            ok = self.may_act(actor_id, role)
            data = {"actor_id": actor_id, "role": role}
            if self.attempt(lambda: app.revoke_actor(data, BOSS), ok, "revoke role"):
                self.model[actor_id]["roles"].remove(role)

        @rule(pick=picks)
        def revoke(self, pick: int) -> None:
            actor_id = self.ident(pick)
            entry = self.model.get(actor_id)
            ok = entry is not None and not entry["revoked"]
            data = {"actor_id": actor_id}
            if self.attempt(lambda: app.revoke_actor(data, BOSS), ok, "revoke"):
                self.model[actor_id]["revoked"] = True

        @rule(pick=picks, new=picks, role=roles, held=st.integers(0, 3))
        def act(self, pick: int, new: int, role: str, held: int) -> None:
            """Actor ``pick`` in ``role`` (one they hold, when ``held`` < 3) registers
            someone: allowed iff the registry lets it act in that role and the role is
            staff (the permission policy)."""
            actor_id, new_id = self.ident(pick), f"{self.prefix}-n{new}"
            entry = self.model.get(actor_id)
            if held < 3 and entry is not None and entry["roles"]:
                role = entry["roles"][held % len(entry["roles"])]
            ok = role == "staff" and self.may_act(actor_id, role) and new_id not in self.model
            data = {"actor_id": new_id, "name": "新人", "roles": ["editor"]}
            acting = Actor(actor_id, role)
            if self.attempt(lambda: app.add_actor(data, acting), ok, "act"):
                self.model[new_id] = {"roles": ["editor"], "revoked": False}

        @invariant()
        def may_act_iff_granted_and_not_revoked(self) -> None:
            registry = app.actor_registry()
            assert registry is not None
            for actor_id in [self.ident(i) for i in range(3)]:
                for role in ROLES:
                    refusal = registry.refusal(Actor(actor_id, role))
                    assert (refusal is None) == self.may_act(actor_id, role), (actor_id, role)

        @invariant()
        def replays_the_same(self) -> None:
            mine = [a for a in app.actors() if a["id"].startswith(self.prefix + "-")]
            assert {a["id"]: a["roles"] for a in mine} == {
                k: v["roles"] for k, v in self.model.items()
            }
            assert {a["id"] for a in mine if a["status"] == "revoked"} == {
                k for k, v in self.model.items() if v["revoked"]
            }
            assert reader.actors() == app.actors()  # rebuilt from the stored events

    return RegistryMachine


def test_registry_keeps_its_invariants_and_replays(store: str) -> None:
    with (
        Renda(store, require_registered_actors=True) as app,
        Renda(store, require_registered_actors=True) as reader,
    ):
        run_state_machine_as_test(registry_machine(app, reader), settings=SETTINGS)
    for path in ("add", "grant", "revoke role", "revoke", "act", "act refused", "grant refused"):
        assert REACHED[path] > 0, path
