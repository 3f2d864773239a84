"""``renda token issue|revoke`` and the problem table of docs/http.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

import renda_core
from renda_core.cli import cli
from renda_core.cli.context import os_user
from renda_core.domain.errors import ERROR_KINDS
from renda_core.http.problems import STATUS
from renda_core.http.tokens import authenticate, token_hash

DOC = Path(__file__).parents[2] / "docs" / "http.md"


def test_issue_prints_the_token_once_and_records_only_its_hash(store: str) -> None:
    staff = ["--store", store, "--actor", "clerk-1", "--role", "staff"]
    issued = CliRunner().invoke(
        cli, [*staff, "token", "issue", "--actor", "oa", "--role", "unit:省商务厅", "--json"]
    )
    assert issued.exit_code == 0, issued.output
    data = json.loads(issued.output)
    token = data["token"]
    assert token.startswith("renda_") and data["actor"] == {"id": "oa", "role": "unit:省商务厅"}
    with renda_core.open(store) as api:
        assert authenticate(api, token).role == "unit:省商务厅"
        (event,) = api.history(data["id"])
        assert event.topic == "renda:ApiToken.Issued"
        assert event.data["token_hash"] == token_hash(token)
        assert token not in json.dumps(event.model_dump(mode="json"))  # only the hash
        # the CLI records the OS user beside the claimed actor
        assert event.actor == {"id": "clerk-1", "role": "staff", "os_user": os_user()}
    revoked = CliRunner().invoke(cli, [*staff, "token", "revoke", data["id"], "--reason", "x"])
    assert revoked.exit_code == 0, revoked.output
    again = CliRunner().invoke(cli, [*staff, "token", "revoke", data["id"]])
    assert again.exit_code == 5  # already revoked


def test_only_staff_issue_tokens_and_bad_input_is_refused(store: str) -> None:
    as_deputy = ["--store", store, "--actor", "d-1", "--role", "deputy:d-1"]
    answer = CliRunner().invoke(
        cli, [*as_deputy, "token", "issue", "--actor", "d-1", "--role", "staff"]
    )
    assert answer.exit_code == 6
    staff = ["--store", store, "--actor", "clerk-1", "--role", "staff"]
    for extra in (["--role", "king"], ["--role", "staff", "--expires", "yesterday"]):
        answer = CliRunner().invoke(cli, [*staff, "token", "issue", "--actor", "x", *extra])
        assert answer.exit_code == 3, answer.output


def test_the_problem_table_of_the_docs_is_the_code() -> None:
    rows = re.findall(r"^\| (\d{3}) \| `(\w+)` \| (\d+|—) \|", DOC.read_text("utf-8"), re.M)
    documented = {kind: int(status) for status, kind, _ in rows}
    assert documented == STATUS
    exit_codes = {e.kind: e.exit_code for e in ERROR_KINDS}
    for _, kind, code in rows:
        assert (exit_codes.get(kind) is None) == (code == "—"), kind
        if code != "—":
            assert int(code) == exit_codes[kind], kind
