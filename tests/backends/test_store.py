"""Choosing the store: SQLite paths, PostgreSQL URLs, and clear one-line failures."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from renda_core import Renda, StoreUnavailable
from renda_core.application.store import parse_store
from renda_core.cli import cli


def test_plain_path_is_sqlite_with_views_beside_it(tmp_path: Path) -> None:
    config = parse_store(str(tmp_path / "x.sqlite"))
    assert config.is_sqlite and config.env["SQLITE_DBNAME"].endswith("x.sqlite")
    assert config.view_env("deputy_roster")["SQLITE_DBNAME"].endswith(
        "x.sqlite.views/deputy_roster.sqlite"
    )


def test_default_store_and_env_var(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("RENDA_STORE", raising=False)
    assert parse_store().location == "renda.sqlite"
    monkeypatch.setenv("RENDA_STORE", str(tmp_path / "y.sqlite"))
    assert parse_store().location.endswith("y.sqlite")


def test_postgres_url_becomes_the_library_environment() -> None:
    config = parse_store("postgresql://u:p%40ss@db.example:6543/renda?schema=jilin")
    assert config.backend == "postgres"
    assert config.env["POSTGRES_PASSWORD"] == "p@ss" and config.env["POSTGRES_PORT"] == "6543"
    assert config.env["POSTGRES_SCHEMA"] == "jilin"
    assert "p@ss" not in config.location and "p%40ss" not in config.location


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:p@h/db", "scheme 'mysql' is not supported"),
        ("postgresql://h/db", "needs a user, a host and a database"),
        ("postgresql://u@h:notaport/db", "not understood"),
        ("/no/such/folder/x.sqlite", "does not exist"),
    ],
)
def test_bad_store_is_a_clear_error(url: str, message: str) -> None:
    with pytest.raises(StoreUnavailable, match=message):
        parse_store(url)
    result = CliRunner().invoke(cli, ["--store", url, "deputy", "list"])
    assert result.exit_code == 8 and message in result.output
    assert "Traceback" not in result.output


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="is a folder"):
        parse_store(str(tmp_path))


def test_unreachable_postgres_is_a_one_line_error() -> None:
    url = "postgresql://renda:renda@127.0.0.1:1/renda"  # nothing listens on port 1
    with pytest.raises(StoreUnavailable, match="cannot open the store"):
        Renda(url)
    result = CliRunner().invoke(cli, ["--store", url, "deputy", "list"])
    assert result.exit_code == 8
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
