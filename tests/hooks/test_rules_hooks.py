"""Contract tests of the suggestion-rule hooks: a minimal province plugin replaces the
deadline policy and supplies a calendar year, and the CLI applies both."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.cli import cli
from renda_core.cli.context import Env
from renda_core.domain.calendar import YearArrangement
from renda_core.domain.deadlines import NATIONAL, Period, Unit
from renda_core.domain.errors import InvalidInput
from renda_core.ports import hookimpl
from renda_core.ports.plugins import get_plugin_manager
from renda_core.ports.rules import (
    POLICY_ENV,
    choose_deadline_policy,
    collect_calendar_years,
    collect_deadline_policies,
    configure_rules,
)
from tests.conftest import STAFF, register_payload

SICHUAN = NATIONAL.with_changes(
    name="sichuan",
    title="四川省代表建议办理规则（示例）",
    rehandling=Period(3, Unit.MONTHS),
    reply=Period(2, Unit.MONTHS),
)
YEAR_2027 = YearArrangement(
    2027,
    frozenset({date(2027, 1, 1), *(date(2027, 2, n) for n in range(6, 14))}),
    frozenset({date(2027, 2, 14)}),
    "示例",
)


class Province:
    @hookimpl
    def renda_register_deadline_policies(self, register: Any) -> None:
        register(SICHUAN)

    @hookimpl
    def renda_register_calendar_years(self, register: Any) -> None:
        register(YEAR_2027)


@pytest.fixture
def province_env(store: str) -> Iterator[Env]:
    env = Env(store=store, pm=get_plugin_manager([Province()]))
    yield env
    env.close()


def test_renda_register_deadline_policies(
    province_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    pm = province_env.plugins()
    assert set(collect_deadline_policies(pm)) == {"national", "sichuan"}
    assert choose_deadline_policy(pm) is SICHUAN
    monkeypatch.setenv(POLICY_ENV, "national")
    assert choose_deadline_policy(pm) is NATIONAL
    monkeypatch.setenv(POLICY_ENV, "hubei")
    with pytest.raises(InvalidInput, match="no deadline policy named 'hubei'"):
        choose_deadline_policy(pm)
    monkeypatch.delenv(POLICY_ENV)

    # the CLI applies the province's policy to the application it opens
    with Renda(province_env.store) as app:
        deputy = app.register_deputy(register_payload(), STAFF)
        lead = Actor("jin", f"deputy:{deputy}")
        sid = app.draft_suggestion(
            {
                "title": "t",
                "body": "b",
                "channel": "recess",
                "source": "forum",
                "date": "2024-09-01",
            },
            lead,
        )
        app.submit_suggestion({"suggestion_id": sid, "date": "2024-09-10"}, lead)
        app.accept_suggestion({"suggestion_id": sid, "date": "2024-09-20"}, STAFF)
    result = CliRunner().invoke(
        cli,
        ["suggestion", "assign", str(sid), "--lead-unit", "省商务厅", "--date", "2024-09-27"],
        obj=province_env,
    )
    assert result.exit_code == 0, result.output
    with Renda(province_env.store) as app:
        shown = app.suggestion(sid)
    assert shown["policy"] == "sichuan" and shown["reply_due"] == "2024-11-27"
    province_env = Env(store=province_env.store, pm=province_env.plugins())
    policy = CliRunner().invoke(cli, ["suggestion", "policy", "--json"], obj=province_env)
    assert json.loads(policy.output)["rehandling"]["label"] == "3个月"


def test_two_province_policies_need_a_choice() -> None:
    class Other:
        @hookimpl
        def renda_register_deadline_policies(self, register: Any) -> None:
            register(NATIONAL.with_changes(name="shanghai"))

    pm = get_plugin_manager([Province(), Other()])
    with pytest.raises(InvalidInput, match="choose one with RENDA_DEADLINE_POLICY"):
        choose_deadline_policy(pm)
    assert choose_deadline_policy(pm, "shanghai").name == "shanghai"


def test_renda_register_calendar_years(app: Renda) -> None:
    pm = get_plugin_manager([Province()])
    assert collect_calendar_years(pm) == [YEAR_2027]
    configure_rules(app, pm)
    assert app.calendar_year(2027)["origin"] == "plugin"
    assert app.due_date(date(2027, 2, 5), 1, "working_days") == date(2027, 2, 14)
    env = Env(app=app, pm=pm)
    result = CliRunner().invoke(cli, ["calendar", "list", "--json"], obj=env)
    assert json.loads(result.output)[-1] == {"year": 2027, "origin": "plugin", "source": "示例"}
    env.close()


def test_a_wrong_contribution_is_refused() -> None:
    class Wrong:
        @hookimpl
        def renda_register_calendar_years(self, register: Any) -> None:
            register({"year": 2027})

    with pytest.raises(TypeError, match="not a YearArrangement"):
        collect_calendar_years(get_plugin_manager([Wrong()]))
