"""``renda demo``: the figures of each report equal the scaled targets; a seed gives one
report; bad input and a used store are refused with nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from renda_core import Renda
from renda_core.cli import cli
from renda_core.demo import Targets, targets_for
from renda_core.projections.log import iter_notifications, last_position
from tests.application.reporting import _without_provenance
from tests.conftest import STAFF

SCALE = 0.01
REPORTS = (
    ("stations", "--year", "2023"),
    ("training", "--year", "2023"),
    ("training", "--year", "2024"),
    ("groups", "--year", "2023"),
    ("suggestions", "--year", "2023", "--on", "2023-12-31"),
    ("bulletin", "--year", "2023"),
    ("deputies",),
)


def run_demo(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["demo", "--store", store, "--quiet", *args])


def report(store: str, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--store", store, "report", *args, "--json"])
    assert result.exit_code == 0, result.output
    # where the report was read (store id, recorded time) differs by store by design
    return _without_provenance(json.loads(result.output))


def reports(store: str) -> dict[str, Any]:
    found = {" ".join(args): report(store, *args) for args in REPORTS}
    found["annual"] = report(store, "annual", "--year", "2023")
    return found


def built(store: str, seed: int) -> dict[str, Any]:
    result = run_demo(store, "--scale", str(SCALE), "--seed", str(seed))
    assert result.exit_code == 0, result.output
    # the demo prints its annual report, as `renda report annual --year 2023` does
    annual = CliRunner().invoke(cli, ["--store", store, "report", "annual", "--year", "2023"])
    assert annual.exit_code == 0, annual.output
    assert "Deputy work in 2023 — the province" in result.output  # the suite speaks English
    assert result.output == annual.output
    return reports(store)


def check_figures(found: dict[str, Any], t: Targets) -> None:
    stations = found["stations --year 2023"]
    assert stations["divisions_total"] == t.divisions
    assert stations["divisions_covered"] == t.divisions_covered
    assert stations["coverage_rate"] == t.coverage_rate == 0.97
    assert stations["deputies_entered"]["total"] == t.deputies_entered
    assert stations["deputies_entered"]["by_level"] == t.entered
    assert stations["activities"]["total"] == t.activities
    assert stations["opinions"]["items_pushed"] == t.items_pushed

    training = found["training --year 2023"]
    assert training["classes"]["by_kind"]["duty"] == t.duty_classes
    assert training["classes"]["by_kind"]["initial"] == t.initial_classes
    assert training["coverage_by_level"]["provincial"] == 1.0
    topical = found["training --year 2024"]
    assert topical["classes"]["by_kind"]["topical"] == t.topical_classes_2024
    assert topical["deputies_trained"]["topical"] >= t.topical_participants

    assert found["groups --year 2023"]["groups"] == t.groups
    suggestions = found["suggestions --year 2023 --on 2023-12-31"]
    assert suggestions["replied"] == suggestions["assigned"] == t.suggestions_handled
    assert suggestions["not_accepted"] == t.suggestions_not_accepted
    assert suggestions["evaluated_first"] == t.suggestions_handled
    assert suggestions["overdue"] == 0
    bulletin = found["bulletin --year 2023"]
    assert bulletin["issues"] == bulletin["published"] == t.bulletin_issues
    assert bulletin["forwarded"] == bulletin["forwarded_replied"] == t.bulletin_forwarded
    assert bulletin["instructed"] >= bulletin["forwarded"]
    deputies = found["deputies"]
    assert deputies["liaison_deputies"] == t.liaison_deputies
    assert deputies["deputies_contacted"] == {"2023": t.deputies_contacted}
    assert deputies["registered_total"] == sum(t.registered.values())
    assert deputies["terminated_total"] == t.terminated

    annual = found["annual"]  # the paths the issue names
    assert annual["training"]["classes"]["duty"] == t.duty_classes
    assert annual["training"]["duty_coverage"]["provincial"] == 1.0
    assert annual["stations"]["coverage_rate"] == t.coverage_rate
    assert annual["stations"]["deputies_entered"]["total"] == t.deputies_entered
    assert annual["stations"]["activities"]["total"] == t.activities
    assert annual["stations"]["items_pushed"] == t.items_pushed
    assert annual["liaison"]["deputies_contacted"] == t.deputies_contacted
    assert annual["suggestions"]["handled"] == t.suggestions_handled
    assert annual["groups"]["groups"] == t.groups
    assert annual["bulletin"]["issues"] == t.bulletin_issues


def log_of(store: str) -> list[tuple[str, str]]:
    """Each event's aggregate and topic, in log order."""
    with Renda(store) as app:
        return [
            (str(event.originator_id), type(event).__qualname__)
            for _, event in iter_notifications(app)
        ]


def test_scaled_demo_reports_the_scaled_targets(store: str) -> None:
    check_figures(built(store, 7), targets_for(SCALE, 7))


def test_the_same_seed_gives_the_same_report_and_log(store: str, tmp_path: Path) -> None:
    first = built(store, 11)
    second_store = str(tmp_path / "second.sqlite")  # on SQLite whatever the first backend
    second = built(second_store, 11)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert log_of(store) == log_of(second_store)


def test_another_seed_gives_the_same_headline_figures_and_another_log(
    store: str, tmp_path: Path
) -> None:
    other_store = str(tmp_path / "other.sqlite")
    check_figures(built(store, 1), targets_for(SCALE, 1))
    check_figures(built(other_store, 2), targets_for(SCALE, 2))
    first, other = log_of(store), log_of(other_store)
    assert first != other
    deputies = {a for a, topic in first if topic == "Deputy.Registered"}
    assert deputies and deputies.isdisjoint({a for a, _ in other})


@pytest.mark.parametrize("scale", ["0", "-0.5", "1.5", "nan", "inf"])
def test_a_bad_scale_is_invalid_input(store: str, scale: str) -> None:
    result = run_demo(store, "--scale", scale)
    assert result.exit_code == 3, result.output
    assert "scale" in result.output
    with Renda(store) as app:
        assert last_position(app) == 0


def test_a_scale_that_is_not_a_number_is_a_usage_error(tmp_path: Path) -> None:
    assert run_demo(str(tmp_path / "d.sqlite"), "--scale", "ten").exit_code == 2


def test_a_store_with_events_is_refused_and_left_alone(store: str) -> None:
    with Renda(store) as app:
        province = {"code": "220000", "name": "吉林省", "kind": "province"}
        app.import_divisions({"rows": [province], "date": "2023-01-01"}, STAFF)
        before = last_position(app)
    result = run_demo(store, "--scale", str(SCALE))
    assert result.exit_code == 5, result.output
    assert "already holds events" in result.output and "nothing was written" in result.output
    with Renda(store) as app:
        assert last_position(app) == before == 1


def test_fresh_rebuilds_a_sqlite_store_and_never_deletes_postgres(store: str, backend: str) -> None:
    assert run_demo(store, "--scale", "0.001").exit_code == 0
    with Renda(store) as app:
        first = last_position(app)
    again = run_demo(store, "--scale", "0.001", "--fresh")
    if backend == "sqlite":
        assert again.exit_code == 0, again.output
    else:
        assert again.exit_code == 5
        assert "SQLite" in again.output
    with Renda(store) as app:
        assert last_position(app) == first  # rebuilt from scratch, or left alone


def test_a_small_province_gathers_only_the_signatures_it_has(tmp_path: Path) -> None:
    """A motion takes 10 or more provincial deputies jointly (代表联名): at scale 0.02
    the province has between 10 and 15, and the demo's motions draw on those (it used
    to ask for up to 15 and fail)."""
    store = str(tmp_path / "small.sqlite")
    result = run_demo(store, "--scale", "0.02")
    assert result.exit_code == 0, result.output
    with Renda(store) as app:
        kinds = {type(event).__qualname__ for _, event in iter_notifications(app)}
    assert {"Motion.Drafted", "Motion.Voted"} <= kinds


def test_the_root_store_option_is_the_demos_store_and_renda_store_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`renda --store X demo` builds the demo in X (it used to build renda-demo.sqlite in
    the working folder, silently); RENDA_STORE, a shell's store for real work, is not
    followed."""
    monkeypatch.chdir(tmp_path)
    given = tmp_path / "given.sqlite"
    result = CliRunner().invoke(cli, ["--store", str(given), "demo", "--quiet", "--scale", "0.001"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "renda-demo.sqlite").exists()
    with Renda(str(given)) as app:
        assert last_position(app) > 0
    real = tmp_path / "real.sqlite"
    result = CliRunner().invoke(
        cli, ["demo", "--quiet", "--scale", "0.001"], env={"RENDA_STORE": str(real)}
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "renda-demo.sqlite").exists() and not real.exists()
