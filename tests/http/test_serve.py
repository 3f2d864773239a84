"""``renda serve`` as a process on 127.0.0.1 answers the examples of docs/http.md; and
without the renda[http] extra it says what to install."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner

import renda_core
from renda_core.cli import cli
from renda_core.http.tokens import issue_token
from tests.conftest import STAFF
from tests.http.conftest import bearer, register_body
from tests.http.test_stream import free_port


@pytest.fixture
def served(store: str) -> Iterator[tuple[str, str]]:
    with renda_core.open(store, actor=STAFF) as api:
        token = issue_token(
            api, holder_id="oa", holder_role="staff", expires="1d", note=None, actor=STAFF
        ).token
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "renda_core.cli", "--store", store, "serve", "--port", str(port)],
        env={**os.environ, "RENDA_STORE": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "renda serve did not start"
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_renda_serve_answers_the_documented_examples(served: tuple[str, str]) -> None:
    base, token = served
    auth = bearer(token)
    with httpx.Client(base_url=base, timeout=20) as http:
        assert http.get("/v1/health").json()["status"] == "ok"
        key = {**auth, "Idempotency-Key": "oa-2024-0001"}
        first = http.post("/v1/commands/deputy.register", json=register_body(), headers=key)
        again = http.post("/v1/commands/deputy.register", json=register_body(), headers=key)
        assert first.status_code == again.status_code == 200
        assert again.json()["replayed"] and again.json()["result"] == first.json()["result"]
        csv = http.get("/v1/reports/annual?year=2023&format=csv", headers=auth)
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
        page = http.get("/v1/events?since=0&limit=100", headers=auth).json()
        assert [i["type"] for i in page["items"]] == [
            "renda.ApiToken.Issued",
            "renda.Deputy.Registered",
        ]
        lines = "\n".join(
            f'{{"id": "l-{n}", "command": "deputy.register", "data": '
            f'{{"name": "代表{n}", "level": "county", "term": 14, "electoral_unit": "南关区", '
            f'"area": "220102", "date": "2023-01-16"}}}}'
            for n in range(3)
        )
        batch = http.post(
            "/v1/commands:batch",
            content=lines.encode(),
            headers={**auth, "Content-Type": "application/x-ndjson"},
        )
        assert batch.json()["applied"] == 3
        since = page["next_since"]
        with http.stream("GET", f"/v1/events/stream?since={since}", headers=auth) as stream:
            got = []
            for line in stream.iter_lines():
                if line.startswith("id: "):
                    got.append(int(line[4:]))
                if len(got) == 3:
                    break
        assert got == sorted(got) and got[0] > since


def test_serve_without_the_extra_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    answer = CliRunner().invoke(cli, ["--store", f"{tmp_path}/s.sqlite", "serve"])
    assert answer.exit_code == 1
    assert "pip install 'renda[http]'" in answer.output and "uvicorn" in answer.output
