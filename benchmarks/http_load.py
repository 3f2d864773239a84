"""A bounded load run of the HTTP API: concurrent clients against ``renda serve`` on
127.0.0.1, compared with the same commands in process.

    python -m benchmarks.http_load                          # SQLite, and PostgreSQL if configured
    python -m benchmarks.http_load --backend sqlite --clients 8 --commands 500
    RENDA_BENCH_POSTGRES_URL=postgresql://renda:renda@127.0.0.1:5432/renda_bench \\
        python -m benchmarks.http_load --backend postgres

Each client sends its commands one after another (``deputy.register`` with an
``Idempotency-Key`` of its own), retrying an answer of 409, 429 or 5xx with the same
key. Afterwards the log must hold exactly one registration per key: nothing lost,
nothing duplicated (the run fails otherwise). The figure is commands/s over HTTP, and
its ratio to the same number of commands sent in process by one thread on a fresh store
of the same backend. Results go to ``benchmarks/results/http-<backend>.json``. Not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys._called_from_test = True  # type: ignore[attr-defined]  # built-in plugins only

import renda_core  # noqa: E402
from benchmarks.run import RESULTS, STAFF, Stores  # noqa: E402
from renda_core.http.tokens import issue_token  # noqa: E402


def payload(client: int, n: int) -> dict[str, Any]:
    return {
        "name": f"代表{client:02d}-{n:05d}",
        "level": "county",
        "term": 14,
        "electoral_unit": "长春市南关区人民代表大会",
        "area": "220102",
        "date": "2023-01-16",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def in_process(store: str, total: int) -> float:
    """Commands/s of ``total`` registrations in process, one thread."""
    with renda_core.open(store, actor=STAFF) as api:
        start = time.perf_counter()
        for n in range(total):
            api.register_deputy(payload(99, n))
        return total / (time.perf_counter() - start)


def serve(store: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "RENDA_STORE": store}
    process = subprocess.Popen(
        [sys.executable, "-m", "renda_core.cli", "serve", "--port", str(port), "--rate", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("renda serve did not start")


def client_run(
    base: str, token: str, client: int, commands: int, retries: list[int], errors: list[str]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        for n in range(commands):
            key = f"load-{client:02d}-{n:05d}"
            for _attempt in range(50):
                answer = http.post(
                    "/v1/commands/deputy.register",
                    json=payload(client, n),
                    headers={"Idempotency-Key": key},
                )
                if answer.status_code == 200:
                    break
                if answer.status_code in (409, 429) or answer.status_code >= 500:
                    retries[client] += 1
                    time.sleep(0.05)
                    continue
                errors.append(f"{key}: {answer.status_code} {answer.text[:200]}")
                return
            else:
                errors.append(f"{key}: gave up after 50 attempts")
                return


def run_backend(backend: str, clients: int, commands: int) -> dict[str, Any]:
    stores = Stores(backend)
    try:
        total = clients * commands
        baseline = in_process(stores.new("inproc"), total)
        store = stores.new("http")
        with renda_core.open(store, actor=STAFF) as api:
            token = issue_token(
                api, holder_id="load", holder_role="staff", expires="1d", note=None, actor=STAFF
            ).token
        port = free_port()
        server = serve(store, port)
        retries = [0] * clients
        errors: list[str] = []
        try:
            threads = [
                threading.Thread(
                    target=client_run,
                    args=(f"http://127.0.0.1:{port}", token, c, commands, retries, errors),
                )
                for c in range(clients)
            ]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
        with renda_core.open(store, actor=STAFF) as api:
            application = api._application
            keys = [f"load-{c:02d}-{n:05d}" for c in range(clients) for n in range(commands)]
            applied = application.applied_fingerprints(keys)
            registered = sum(
                1
                for n in application.recorder.select_notifications(start=1, limit=10**9)
                if n.topic == "renda:Deputy.Registered"
            )
        lost = total - len(applied)
        duplicated = registered - len(applied)
        rate = total / elapsed
        result = {
            "backend": backend,
            "clients": clients,
            "commands_per_client": commands,
            "http_commands_per_s": round(rate, 1),
            "in_process_commands_per_s": round(baseline, 1),
            "ratio": round(rate / baseline, 3),
            "retries": sum(retries),
            "lost": lost,
            "duplicated": duplicated,
            "errors": errors[:10],
        }
        if errors or lost or duplicated:
            print(json.dumps(result, ensure_ascii=False, indent=2))
            failed = f"lost {lost}, duplicated {duplicated}, {len(errors)} errors"
            raise SystemExit(f"{backend}: {failed}")
        return result
    finally:
        stores.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--commands", type=int, default=500, help="commands per client")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    url = os.environ.get("RENDA_BENCH_POSTGRES_URL") or os.environ.get("RENDA_TEST_POSTGRES_URL")
    if "postgres" in backends and not url:
        if args.backend == "postgres":
            raise SystemExit("set RENDA_BENCH_POSTGRES_URL for the PostgreSQL run")
        print("no PostgreSQL URL (RENDA_BENCH_POSTGRES_URL): SQLite only", file=sys.stderr)
        backends = ["sqlite"]
    for backend in backends:
        result = run_backend(backend, args.clients, args.commands)
        print(
            f"{backend:8} {result['clients']} clients × {result['commands_per_client']}: "
            f"{result['http_commands_per_s']:8.1f} commands/s over HTTP, "
            f"{result['in_process_commands_per_s']:8.1f} in process, ratio {result['ratio']:.3f}; "
            f"retries {result['retries']}, lost 0, duplicated 0"
        )
        RESULTS.mkdir(exist_ok=True)
        Path(RESULTS / f"http-{backend}.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
