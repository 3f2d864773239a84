"""``renda deputy record`` follows the read policy as the library's ``record()`` and
``GET /v1/deputies/{id}/record`` do: a deputy's own in full, others' contact notes
redacted, a unit refused (exit 6), an auditor's ``--reason`` recorded first."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

import renda_core
from renda_core.application.readpolicy import REDACTED
from renda_core.cli import cli
from renda_core.projections.log import count_events
from tests.api.process_scenario import NOTE, build
from tests.conftest import STAFF


def record(store: str, deputy: str, *role: str, reason: str | None = None) -> Any:
    args = ["--store", store, *role, "deputy", "record", deputy, "--year", "2024", "--json"]
    return CliRunner().invoke(cli, args + (["--reason", reason] if reason else []))


def test_the_cli_duty_record_applies_the_read_policy(store: str) -> None:
    with renda_core.open(store, actor=STAFF) as api:
        ids = build(api)

    def note(*role: str, reason: str | None = None) -> str:
        result = record(store, ids["A"], *role, reason=reason)
        assert result.exit_code == 0, result.output
        return str(json.loads(result.stdout)["contacts"][0]["note"])

    with renda_core.open(store) as api:
        before = count_events(api._application)
    assert note() == NOTE  # staff
    assert note("--actor", "jin", "--role", f"deputy:{ids['A']}") == NOTE  # his own
    assert note("--actor", "piao", "--role", f"deputy:{ids['B']}") == REDACTED
    assert note("--actor", "ed", "--role", "editor") == REDACTED
    assert note("--actor", "au", "--role", "auditor") == REDACTED
    refused = record(store, ids["A"], "--actor", "u", "--role", "unit:省商务厅")
    assert refused.exit_code == 6, refused.output
    with renda_core.open(store) as api:
        assert count_events(api._application) == before  # no read recorded anything
    assert note("--actor", "au", "--role", "auditor", reason="年度履职核查") == NOTE
    with renda_core.open(store) as api:
        assert count_events(api._application) == before + 1  # the disclosure
