"""Fixtures shared by the suite.

Every test that takes ``store`` (or ``app``, ``cli_store``) runs once on SQLite and once
on PostgreSQL. PostgreSQL needs ``RENDA_TEST_POSTGRES_URL``; without it those cases
skip locally, but under ``CI=true`` a missing or unreachable PostgreSQL is a failure.
Each PostgreSQL case gets its own schema, dropped afterwards.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

sys._called_from_test = True  # type: ignore[attr-defined]  # skip entry points
# The CLI speaks Chinese unless told otherwise (docs/i18n.md); the suite's assertions are
# written against the English messages, so it speaks English. tests/cli/test_i18n.py
# checks the other languages and the selection itself.
os.environ["RENDA_LANG"] = "en"

from renda_core import Actor, Renda  # noqa: E402

PG_URL_ENV = "RENDA_TEST_POSTGRES_URL"
# The suite's stores opt out of the actor registry (on by default for PostgreSQL):
# its tests act as made-up actors. The registry's own tests turn it on
# (tests/application/test_actors.py); CLI subprocesses inherit this.
os.environ["RENDA_REQUIRE_REGISTERED_ACTORS"] = "0"
STAFF = Actor("clerk-1", "staff")

# No test asserts a time (DEVELOPERS.md): hypothesis's default deadline of 200 ms an
# example would, and on a shared, loaded machine it fails examples that are only slow
# (seen: the transcoder's property test). Tests that want fewer examples still say so.
settings.register_profile("renda", deadline=None)
settings.load_profile("renda")


def postgres_url() -> str | None:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_URL_ENV} must be set in CI: PostgreSQL tests never skip")
        pytest.skip(f"set {PG_URL_ENV} to run the PostgreSQL cases")
    return url


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[object]:
    import psycopg

    url = postgres_url()
    assert url is not None
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {url} is unreachable in CI: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    yield conn
    conn.close()


def _new_schema(pg_admin: object) -> str:
    name = "t_" + uuid.uuid4().hex[:12]
    pg_admin.execute(f"CREATE SCHEMA {name}")  # type: ignore[attr-defined]
    return name


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty store: a SQLite file, or a PostgreSQL schema of its own."""
    if backend == "sqlite":
        yield str(tmp_path / "renda.sqlite")
        return
    pg_admin = request.getfixturevalue("pg_admin")
    schema = _new_schema(pg_admin)
    yield f"{postgres_url()}?schema={schema}"
    pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")  # type: ignore[attr-defined]


@pytest.fixture
def app(store: str) -> Iterator[Renda]:
    with Renda(store) as application:
        yield application


@pytest.fixture
def pg_app(pg_admin: Any) -> Iterator[Renda]:
    """An application on a PostgreSQL schema of its own (a PostgreSQL-only test)."""
    schema = _new_schema(pg_admin)
    with Renda(f"{postgres_url()}?schema={schema}") as app:
        yield app
    pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")


def counting_reads(app: Renda, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The ids ``app``'s repository is asked for from now on, in order (a list that
    fills as the test goes)."""
    asked: list[Any] = []
    get = app.repository.get

    def counted(aggregate_id: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(aggregate_id)
        return get(aggregate_id, *args, **kwargs)

    monkeypatch.setattr(app.repository, "get", counted)
    return asked


@pytest.fixture
def staff() -> Actor:
    return STAFF


#: ``renda deputy register``'s arguments for one deputy, as the CLI tests give them
REGISTER = [
    "deputy", "register", "--name", "金美玉", "--level", "省", "--term", "14",
    "--electoral-unit", "延边朝鲜族自治州人民代表大会", "--area", "222401",
    "--ethnicity", "朝鲜族", "--gender", "女", "--date", "2023-01-16",
]  # fmt: skip


def register_payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "金美玉",
        "level": "provincial",
        "term": 14,
        "electoral_unit": "延边朝鲜族自治州人民代表大会",
        "area": "222401",
        "date": "2023-01-16",
        "gender": "female",
        "ethnicity": "朝鲜族",
    }
    data.update(overrides)
    return data
