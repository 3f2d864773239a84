"""Schemathesis against the generated OpenAPI document, in process (ASGI): every
operation, with generated bodies, parameters and headers, answers no server error.
``RENDA_FUZZ_EXAMPLES=40`` for a deeper run (4 examples per operation by default)."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from renda_core import RendaAPI
from renda_core.http.app import create_app
from renda_core.http.limits import HttpSettings
from tests.http.conftest import TokenFor, bearer, register_body

EXAMPLES = int(os.environ.get("RENDA_FUZZ_EXAMPLES", "4"))
SETTINGS = HttpSettings(rate_per_minute=0, poll_seconds=0.01, stream_seconds=0.05)


def test_no_operation_answers_a_server_error(api: RendaAPI, token_for: TokenFor) -> None:
    api.register_deputy(register_body())  # something to read
    headers = bearer(token_for("staff", "clerk-1"))
    schema = schemathesis.openapi.from_asgi("/v1/openapi.json", create_app(api, SETTINGS))
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {op.path for op in operations}
    assert {"/v1/commands:batch", "/v1/events/stream", "/v1/health"} <= paths
    assert len(operations) >= 70  # one per command, and the reads
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        check()
