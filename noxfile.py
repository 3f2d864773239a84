"""Sessions: ``nox`` runs tests (SQLite, and PostgreSQL when RENDA_TEST_POSTGRES_URL is set),
lint and typecheck. ``nox -s tests_postgres`` runs only the PostgreSQL cases."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = False

PLUGINS = [path for path in ("plugins/renda-jilin",) if os.path.isdir(path)]


def _install(session: nox.Session, extras: str = "test") -> None:
    session.install("-e", f".[{extras}]")
    for plugin in PLUGINS:
        session.install("-e", plugin)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite on SQLite, and on PostgreSQL when RENDA_TEST_POSTGRES_URL is set."""
    _install(session)
    session.run("pytest", *session.posargs)
    for plugin in PLUGINS:
        session.run("pytest", f"{plugin}/tests", *session.posargs)


@nox.session
def tests_postgres(session: nox.Session) -> None:
    """Only the PostgreSQL cases; fails if RENDA_TEST_POSTGRES_URL is missing."""
    if not os.environ.get("RENDA_TEST_POSTGRES_URL"):
        session.error("set RENDA_TEST_POSTGRES_URL=postgresql://user:pass@host:port/db")
    _install(session)
    session.run("pytest", "-m", "postgres", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy, strict on src/ (and the first-party adapters and the benchmarks)."""
    _install(session, "dev")
    session.run("mypy")
