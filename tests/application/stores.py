"""Fresh stores inside one test (a hypothesis example needs its own each time)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import postgres_url


@contextmanager
def fresh_stores(backend: str, count: int, request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """``count`` empty stores of ``backend``, removed afterwards."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="renda-batch-"))
        try:
            yield [str(folder / f"s{i}.sqlite") for i in range(count)]
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    pg_admin = request.getfixturevalue("pg_admin")
    schemas = ["t_" + uuid.uuid4().hex[:12] for _ in range(count)]
    for schema in schemas:
        pg_admin.execute(f"CREATE SCHEMA {schema}")
    try:
        yield [f"{postgres_url()}?schema={schema}" for schema in schemas]
    finally:
        for schema in schemas:
            pg_admin.execute(f"DROP SCHEMA {schema} CASCADE")
