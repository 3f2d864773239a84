"""The one CLI convention (docs/cli.md), checked over every command of the tree —
commands added later (by other modules or plugins) are walked too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from renda_core.cli import cli
from renda_core.cli.conventions import walk

LIST_OPTIONS = ("--search", "--limit", "--offset", "--jsonl", "--format", "--headers", "--output")


def commands() -> list[tuple[str, click.Command]]:
    found = []

    def visit(group: click.Group, path: str, ctx: click.Context) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if isinstance(command, click.Group):
                visit(command, f"{path} {name}", ctx)
            elif command is not None:
                found.append((f"{path} {name}", command))

    visit(cli, "renda", click.Context(cli))
    return found


def options(command: click.Command) -> set[str]:
    return {opt for p in command.params for opt in getattr(p, "opts", ())}


def test_the_tree_is_walked_whole() -> None:
    names = [name for name, _ in commands()]
    assert len(names) > 80 and "renda deputy import" in names and "renda report annual" in names
    assert len(list(walk(cli))) == len(names)


@pytest.mark.parametrize("name,command", commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_follows_the_convention(name: str, command: click.Command) -> None:
    assert "--json" in options(command), f"{name} has no --json"
    assert (command.help or "").strip(), f"{name} has no help text"
    if name.endswith(" list"):
        missing = [o for o in LIST_OPTIONS if o not in options(command)]
        assert not missing, f"{name} lacks {missing}"


@pytest.mark.parametrize("name,command", commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_usage_errors_under_json_are_json_too(
    name: str, command: click.Command, tmp_path: Path
) -> None:
    words = name.split()[1:]
    result = CliRunner().invoke(
        cli, ["--store", str(tmp_path / "s.sqlite"), *words, "--json", "--no-such-option"]
    )
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["error"] == "usage" and "--no-such-option" in error["message"]


def run(store: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", store, "--actor", "clerk", *args])


def ok_json(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def register(store: str, name: str) -> str:
    args = ["deputy", "register", "--name", name, "--level", "省", "--term", "14"]
    args += ["--electoral-unit", "长春市人民代表大会", "--area", "220102", "--date", "2023-01-16"]
    return str(ok_json(run(store, *args, "--json"))["id"])


def test_a_write_without_json_of_its_own_prints_what_it_recorded(store: str) -> None:
    deputy = register(store, "金美玉")
    plain = run(store, "deputy", "liaise", deputy, "--member", "委员 周敏", "--date", "2023-02-01")
    assert plain.exit_code == 0
    out = ok_json(
        run(store, "deputy", "contact", deputy, "--form", "visit", "--date", "2023-03-01", "--json")
    )
    assert out["ids"] == [deputy] and out["recorded_count"] == 1 and "truncated" not in out
    [event] = out["recorded"]
    assert event["id"] == deputy and event["version"] == 3 and event["position"] >= 3
    # a command that records nothing under --json: an empty list, still JSON
    shown = ok_json(run(store, "deputy", "unliaise", deputy, "--date", "2023-04-01", "--json"))
    assert [e["version"] for e in shown["recorded"]] == [4]


@pytest.mark.parametrize(
    "args,code,kind",
    [
        (["deputy", "show", "0" * 8], 4, "not_found"),
        (["deputy", "contact", "x", "--form", "visit", "--date", "2023-01-01"], 3, None),
        (["deputy", "contact", "{id}", "--form", "sing", "--date", "2023-01-01"], 3, None),
        (
            [
                "--role",
                "auditor",
                "deputy",
                "terminate",
                "{id}",
                "--reason",
                "death",
                "--date",
                "2023-05-01",
            ],
            6,
            "forbidden",
        ),
    ],
)
def test_errors_under_json_are_json_on_stderr_with_the_same_code(
    store: str, args: list[str], code: int, kind: str | None
) -> None:
    deputy = register(store, "金美玉")
    args = [a.replace("{id}", deputy) for a in args]
    plain = run(store, *args)
    assert plain.exit_code == code, plain.output
    result = run(store, *args, "--json")
    assert result.exit_code == code and result.stdout == ""
    error = json.loads(result.stderr)
    assert set(error) == {"error", "message", "fields"}
    if kind:
        assert error["error"] == kind


def test_ids_by_unique_prefix_and_ambiguity(store: str, tmp_path: Path) -> None:
    actor = {"id": "clerk", "role": "staff"}
    data = {
        "level": "省",
        "term": 14,
        "electoral_unit": "长春",
        "area": "220102",
        "date": "2023-01-16",
    }
    lines = [
        {
            "id": f"c{n}",
            "command": "deputy.register",
            "actor": actor,
            "new_id": f"abcdef12-0000-4000-8000-00000000000{n}",
            "data": {**data, "name": f"代表{n}"},
        }
        for n in (1, 2)
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    assert run(store, "import", str(path)).exit_code == 0
    shown = ok_json(run(store, "deputy", "show", "abcdef12-0000-4000-8000-000000000002", "--json"))
    assert shown["name"] == "代表2"
    ambiguous = run(store, "deputy", "show", "abcdef12", "--json")
    assert ambiguous.exit_code == 3
    error = json.loads(ambiguous.stderr)
    assert "2 records" in error["message"]
    assert "abcdef12-0000-4000-8000-000000000001" in error["message"]
    assert "abcdef12-0000-4000-8000-000000000002" in error["message"]
    short = run(store, "deputy", "show", "abcdef1")  # under 8 characters: not a prefix
    assert short.exit_code == 3
    other = register(store, "王芳")
    by_prefix = ok_json(run(store, "deputy", "show", other[:8], "--json"))
    assert by_prefix["name"] == "王芳"
    liaise = run(store, "deputy", "liaise", other[:10], "--member", "委员", "--date", "2023-03-01")
    assert liaise.exit_code == 0, liaise.output


def test_lists_search_simplified_and_traditional_page_and_stream(store: str) -> None:
    for name in ("李建國", "王芳", "张伟", "刘洋"):
        register(store, name)
    found = ok_json(run(store, "deputy", "list", "--search", "李建国", "--json"))
    assert [d["name"] for d in found] == ["李建國"]
    found = ok_json(run(store, "deputy", "list", "--search", "劉洋", "--json"))
    assert [d["name"] for d in found] == ["刘洋"]
    everyone = ok_json(run(store, "deputy", "list", "--json"))
    page = ok_json(run(store, "deputy", "list", "--limit", "2", "--offset", "1", "--json"))
    assert page == everyone[1:3]
    table = run(store, "deputy", "list", "--search", "王芳")
    assert table.exit_code == 0 and "王芳" in table.stdout and "张伟" not in table.stdout
    lines = run(store, "deputy", "list", "--jsonl", "--limit", "3")
    assert lines.exit_code == 0
    assert [json.loads(line) for line in lines.stdout.splitlines()] == everyone[:3]
