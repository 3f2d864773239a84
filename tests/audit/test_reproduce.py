"""Provenance on every report, and ``renda audit reproduce``: identical for every
built-in report at three past positions (and at the present), and a changed figure or
an altered log is named."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.ports.plugins import collect_reports, get_plugin_manager
from tests.application import scenario
from tests.conftest import STAFF

REPORTS = sorted(collect_reports(get_plugin_manager()))


@pytest.fixture
def env(app: Renda) -> Iterator[Env]:
    env = Env(app=app)
    yield env
    env.close()


def invoke(env: Env, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj=env)


def moment() -> str:
    time.sleep(0.02)
    stamp = datetime.now(UTC).isoformat()
    time.sleep(0.02)
    return stamp


def report_json(env: Env, name: str, *args: str) -> dict[str, Any]:
    result = invoke(env, "report", name, "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def reproduce(env: Env, tmp_path: Path, data: dict[str, Any]) -> Result:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return invoke(env, "--role", "auditor", "audit", "reproduce", str(path), "--json")


def test_every_report_reproduces_at_three_past_positions(
    app: Renda, env: Env, tmp_path: Path
) -> None:
    assert {"suggestions", "handling", "stations", "deputies", "training"} <= set(REPORTS)
    ids = scenario.build(app)
    moments = [moment()]
    scenario.late(app, ids)
    moments.append(moment())
    app.register_deputy(scenario_payload(), STAFF)
    moments.append(moment())
    app.register_deputy(scenario_payload("后来的代表"), STAFF)  # after the last moment
    positions = []
    for at in moments:
        for name in REPORTS:
            data = report_json(env, name, "--as-of", at)
            prov = data["provenance"]
            assert prov["report"] == name and prov["chain_head_hash"]
            assert prov["store_id"] and prov["policy"] and prov["renda_version"]
            positions.append(prov["position"])
            result = reproduce(env, tmp_path, data)
            assert result.exit_code == 0, (name, at, result.output)
            assert json.loads(result.output)["identical"] is True
    distinct = sorted(set(positions))
    assert len(distinct) == 3 and distinct[-1] < app.recorder.max_notification_id()


def scenario_payload(name: str = "新代表") -> dict[str, object]:
    from tests.conftest import register_payload

    return register_payload(name=name, area="220102")


def test_a_present_report_reproduces_after_the_log_moved_on(
    app: Renda, env: Env, tmp_path: Path
) -> None:
    scenario.build(app)
    data = {name: report_json(env, name) for name in REPORTS}
    app.register_deputy(scenario_payload(), STAFF)  # recorded after the reports
    for name in REPORTS:
        assert data[name]["provenance"]["parameters"]["as_of"] is None
        result = reproduce(env, tmp_path, data[name])
        assert result.exit_code == 0, (name, result.output)


def test_a_changed_figure_is_named(app: Renda, env: Env, tmp_path: Path) -> None:
    scenario.build(app)
    data = report_json(env, "deputies", "--as-of", moment())
    key = next(k for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool))
    forged = {**data, key: data[key] + 1}
    result = reproduce(env, tmp_path, forged)
    assert result.exit_code == 12, result.output
    assert json.loads(result.output)["error"] == "report_differs"
    assert f"'{key}'" in json.loads(result.output)["message"]
    other_log = {**data, "provenance": {**data["provenance"], "chain_head_hash": "0" * 64}}
    result = reproduce(env, tmp_path, other_log)
    assert result.exit_code == 12 and "provenance.chain_head_hash" in result.output


def test_reproduce_refuses_what_is_not_a_report(app: Renda, env: Env, tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1]", encoding="utf-8")
    assert invoke(env, "--role", "auditor", "audit", "reproduce", str(path)).exit_code == 3
    path.write_text('{"a": 1}', encoding="utf-8")
    assert invoke(env, "--role", "auditor", "audit", "reproduce", str(path)).exit_code == 3
    denied = CliRunner().invoke(
        cli, ["--role", "unit:某局", "audit", "reproduce", str(path)], obj=Env(app=app)
    )
    assert denied.exit_code == 6, denied.output
