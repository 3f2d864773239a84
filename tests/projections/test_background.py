"""Catching up in another process while this one records: still exactly once."""

from __future__ import annotations

import time

from renda_core import Renda
from renda_core.cli.context import Env
from renda_core.projections.background import BackgroundCatchUp
from renda_core.projections.reports import run_report
from tests.conftest import STAFF, register_payload


def test_a_background_process_follows_and_the_tail_is_delivered_once(app: Renda) -> None:
    with BackgroundCatchUp(app.store, ["deputy_roster"], interval=0.05) as follow:
        assert follow.possible
        for i in range(60):
            deputy_id = app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
            app.liaise_deputy({"deputy_id": deputy_id, "member": "甲", "date": "2023-02-01"}, STAFF)
        deadline = time.monotonic() + 30
        env = Env(app=app)
        while env.runner().position("deputy_roster") == 0 and time.monotonic() < deadline:
            time.sleep(0.1)  # wait until the other process has written something
        assert env.runner().position("deputy_roster") > 0
    for i in range(60, 70):
        app.register_deputy(register_payload(name=f"代表{i}"), STAFF)
    (tail,) = env.runner().catch_up(["deputy_roster"])
    assert tail.error is None and 0 < tail.processed < 130
    report = run_report(env.runner(), env.reports()["deputies"])
    assert report["active_total"] == 70 and report["liaison_deputies"] == 60
    env.close()
