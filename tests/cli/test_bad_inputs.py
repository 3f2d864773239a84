"""Every bad input gets one clear line and its documented exit code; nothing is recorded.

The corpus (``corpus/bad_inputs.jsonl``) holds argv + expected exit code, one per line,
with ``{placeholders}`` for the records of :func:`tests.cli.bad_inputs.seed`. It runs on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core import Actor, Renda
from renda_core.application.inputs import dates_as_of
from renda_core.cli import cli
from renda_core.projections.log import count_events
from tests.cli.bad_inputs import DOCUMENTED, LONG, TODAY, as_role, fill, invoke, seed

CORPUS = Path(__file__).parent / "corpus" / "bad_inputs.jsonl"


def corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


World = tuple[Renda, dict[str, str], str]


@pytest.fixture
def world(store: str) -> Iterator[World]:
    with dates_as_of(TODAY), Renda(store) as app:
        yield app, seed(app), store


def test_the_corpus_of_bad_inputs(world: World) -> None:
    app, records, store = world
    failures = []
    for entry in corpus():
        argv = [fill(a, records) for a in entry["args"]]
        if not entry.get("raw"):
            argv = as_role(fill(entry.get("role", "staff"), records), *argv)
        out = invoke(app, store, argv, raw=True)
        problems = []
        if out.traceback:
            problems.append(f"traceback:\n{out.traceback}")
        if out.code != entry["exit"]:
            problems.append(f"exit {out.code}, expected {entry['exit']}")
        if out.code not in DOCUMENTED:
            problems.append(f"exit {out.code} is not documented")
        if out.after != out.before:
            problems.append(f"{out.after - out.before} event(s) recorded")
        output = out.result.output
        if "Traceback" in output:
            problems.append("a traceback in the output")
        if out.code not in (0, 2):
            lines = output.strip().splitlines()
            if len(lines) != 1:
                problems.append(f"{len(lines)} lines of output")
            if len(output) > 400 or "\x1b" in output:
                problems.append("the input echoed back raw or at length")
        if problems:
            shown = [a[:40] for a in entry["args"]]
            failures.append(f"{shown}: {'; '.join(problems)}\n  {output[:300]!r}")
    assert not failures, "\n".join(failures)


def test_errors_under_json_are_a_json_object(world: World) -> None:
    app, _, _ = world
    register = ["deputy", "register", "--name", "李四", "--level", "provincial", "--term", "14"]
    register += ["--electoral-unit", "长春", "--area", "220104", "--date", "9999-12-31"]
    out = invoke(app, "", [*as_role("staff"), *register, "--json"])
    assert out.code == 3 and out.after == out.before
    error = json.loads(out.result.stderr)  # the JSON error is on stderr, stdout stays empty
    assert error["error"] == "invalid_input" and out.result.stdout == ""
    assert "9999-12-31" in error["message"] and "future" in error["message"]
    assert [f["field"] for f in error["fields"]] == ["date"]
    out = invoke(app, "", [*as_role("staff"), "deputy", "show", LONG, "--json"])
    error = json.loads(out.result.stderr)
    assert out.code == 3 and error["error"] == "invalid_input"
    assert "…(10240 characters)" in error["message"] and len(error["message"]) < 200


def test_long_inputs_are_elided_in_the_one_line(world: World) -> None:
    app, _, _ = world
    out = invoke(app, "", [*as_role("staff"), "deputy", "show", LONG])
    assert out.code == 3
    assert out.result.output.strip() == (
        f"Error: '{'x' * 60}…(10240 characters)' is not a valid deputy id"
    )


def test_names_print_literally(world: World) -> None:
    """Rich markup in a recorded name is text, and shows as typed."""
    app, records, _ = world
    name = "[bold]李[/bold]春华"
    invoke(app, "", [*as_role("staff"), "deputy", "correct", records["deputy"], "--name", name])
    out = invoke(app, "", [*as_role("staff"), "deputy", "show", records["deputy"]])
    assert out.code == 0 and name in out.result.output
    out = invoke(app, "", [*as_role("staff"), "deputy", "list"])
    assert out.code == 0 and "[bold]李[/bold]" in out.result.output


def test_control_characters_already_in_the_log_are_escaped_on_output(
    world: World,
) -> None:
    """A name recorded before the rule (or by an embedding system's older version)
    still never reaches the terminal raw."""
    from renda_core.domain.deputy import Deputy

    app, records, _ = world
    d = app.get_deputy(records["deputy"])
    d._corrected(changes={"name": "李\x1b[2J春华"}, on=TODAY, actor=Actor("t", "staff"))
    app.save(d)
    out = invoke(app, "", [*as_role("staff"), "deputy", "show", records["deputy"]])
    assert out.code == 0 and "\x1b" not in out.result.output
    assert "李\\x1b[2J春华" in out.result.output
    assert isinstance(d, Deputy)


def test_omitting_date_still_means_today(world: World) -> None:
    app, records, _ = world
    out = invoke(
        app, "", [*as_role("staff"), "deputy", "liaise", records["deputy"], "--member", "张三"]
    )
    assert out.code == 0 and out.after == out.before + 1
    assert app.deputy(records["deputy"])["liaison_since"] == TODAY.isoformat()


# -- import ---------------------------------------------------------------------------


def test_import_invalid_utf8_is_exit_3_in_one_line(store: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "a", "command": "deputy.register"}\n{"id": "b\xff\xfe"}\n')
    result = CliRunner().invoke(cli, ["--store", store, "import", str(path)])
    assert result.exit_code == 3 and not _escaped(result)
    assert result.output.strip() == "Error: line 2: not UTF-8 (byte 0xff); save the file as UTF-8"
    with Renda(store) as app:
        assert count_events(app) == 0


@pytest.mark.parametrize("opener", ["[", '{"a": '])
def test_import_deeply_nested_json_is_exit_3_in_one_line(
    store: str, tmp_path: Path, opener: str
) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text(opener * 100_000 + "\n", "utf-8")
    result = CliRunner().invoke(cli, ["--store", store, "import", str(path)])
    assert result.exit_code == 3 and not _escaped(result)
    assert result.output.strip() == "Error: line 1: JSON nested deeper than 64 levels"
    with Renda(store) as app:
        assert count_events(app) == 0


def test_calendar_file_invalid_utf8_and_nesting(store: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"year": 2027, "source": "\xc3"}')
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 50_000, "utf-8")
    for path, message in ((bad, "not UTF-8"), (deep, "nested deeper")):
        result = CliRunner().invoke(cli, ["--store", store, "calendar", "add", str(path)])
        assert result.exit_code == 3 and not _escaped(result), result.output
        assert message in result.output and len(result.output.strip().splitlines()) == 1


def _escaped(result: Any) -> bool:
    exc = result.exception
    return exc is not None and not isinstance(exc, SystemExit)
