"""Fixtures of the HTTP driver's tests: an opened store, its app, tokens per role."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

if os.environ.get("CI") == "true":  # CI installs the test extra: never skip there
    import fastapi  # noqa: F401
else:
    pytest.importorskip("fastapi")  # the renda[http] extra (in the test and dev extras)

from fastapi.testclient import TestClient

import renda_core
from renda_core import RendaAPI
from renda_core.http.app import create_app
from renda_core.http.limits import HttpSettings
from renda_core.http.tokens import issue_token
from renda_core.projections.log import count_events
from tests.conftest import STAFF

ROLES = ["staff", "auditor", "editor", "deputy:d-1", "unit:省商务厅", "leader:省长"]
UNLIMITED = HttpSettings(rate_per_minute=0, poll_seconds=0.05, stream_seconds=30)


@pytest.fixture
def api(store: str) -> Iterator[RendaAPI]:
    with renda_core.open(store, actor=STAFF) as opened:
        yield opened


TokenFor = Callable[..., str]


@pytest.fixture
def token_for(api: RendaAPI) -> TokenFor:
    """A valid token acting as ``actor_id`` in ``role``."""

    def issue(role: str = "staff", actor_id: str | None = None, expires: str = "1d") -> str:
        holder = actor_id or f"{role.split(':')[0]}-1"
        issued = issue_token(
            api, holder_id=holder, holder_role=role, expires=expires, note=None, actor=STAFF
        )
        return issued.token

    return issue


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_client(api: RendaAPI, settings: HttpSettings = UNLIMITED) -> TestClient:
    return TestClient(create_app(api, settings), raise_server_exceptions=True)


@pytest.fixture
def client(api: RendaAPI) -> Iterator[TestClient]:
    with make_client(api) as test_client:
        yield test_client


def head(api: RendaAPI) -> int:
    """How many events the log holds."""
    return count_events(api._application)


def register_body(**overrides: Any) -> dict[str, Any]:
    from tests.conftest import register_payload

    return register_payload(**overrides)
