"""Every report of a store as JSON, the way a user reads them: ``projections catch-up``
(which must succeed for every view), then each report and each deputy's duty record."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from renda_core import Renda
from renda_core.cli import cli
from renda_core.cli.context import Env

REPORTS = (
    ("stations", "--year", "2023"),
    ("suggestions", "--year", "2023", "--overdue-on", "2023-12-31"),
    ("bulletin", "--year", "2023"),
    ("training", "--year", "2023"),
    ("groups", "--year", "2023"),
    ("deputies",),
    ("annual", "--year", "2023"),
)


def _json(env: Env, *args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json"], obj=env)
    assert result.exit_code == 0, (args, result.output)
    data = json.loads(result.output)
    # Where a report was read (store id, recorded times) differs by store by design;
    # the report itself must not (`renda audit reproduce` checks the provenance). The
    # annual report carries each section's provenance too.
    return _without_provenance(data)


def _without_provenance(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _without_provenance(v) for k, v in data.items() if k != "provenance"}
    if isinstance(data, list):
        return [_without_provenance(v) for v in data]
    return data


def all_reports(app: Renda, records: int | None = None) -> dict[str, Any]:
    """Catch-up, every report and every deputy's duty record (or ``records`` of them,
    spread over the log), through the CLI."""
    env = Env(app=app)
    try:
        found: dict[str, Any] = {"catch-up": _json(env, "projections", "catch-up")}
        for args in REPORTS:
            found[" ".join(args)] = _json(env, "report", *args)
        deputies = deputy_ids(app)
        if records is not None and len(deputies) > records:
            deputies = deputies[:: len(deputies) // records][:records]
        for deputy_id in deputies:
            found[f"record {deputy_id}"] = _json(env, "deputy", "record", deputy_id)
        return found
    finally:
        env.close()


def assert_same_reports(reports: list[dict[str, Any]]) -> None:
    """Every report equal to the first store's, named when one differs."""
    for name, first in reports[0].items():
        for n, other in enumerate(reports[1:], start=1):
            assert other[name] == first, f"{name} differs in store {n}"
    assert all(set(r) == set(reports[0]) for r in reports)


def deputy_ids(app: Renda) -> list[str]:
    """The ids of every registered deputy, from the log."""
    out: list[str] = []
    start = 0
    while True:
        found = app.recorder.select_notifications(
            start, 500, topics=["renda:Deputy.Registered"], inclusive_of_start=False
        )
        if not found:
            return out
        out += [str(n.originator_id) for n in found]
        start = found[-1].id
