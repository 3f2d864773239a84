"""A batch's rows reach the view as written, on both stores.

PostgreSQL streams a batch's rows with ``COPY`` (the entities and figures through a
temporary table and one ``INSERT … ON CONFLICT``, see ``views_pg``), a table's few rows
as statements (both ways are tested here); SQLite inserts them a statement each. Over
random batches — documents put, changed in later batches and deleted, text the COPY
format must carry (tabs, newlines, backslashes, quotes, Chinese), counters changed
several times in a batch and across batches, years — every view reads back what a plain
model of the changes says: documents, current figures and the figures at every past
position.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.projections.unit import ViewState, ViewUnit
from renda_core.projections.views import View, open_view

BASE = datetime(2026, 1, 1, tzinfo=UTC)
KEYS = ["a", "b\tc", "行\n政", 'q"\\e']
TEXT = st.text(alphabet=st.sampled_from([*"x\t\n\\\"'代表,|{}\u3000"]), max_size=12)

Put = tuple[str, str, Any]  # ("put", key, text) | ("delete", key, None)
Add = tuple[str, str, int, int]  # figure, key, year, delta


@st.composite
def batches(draw: Any) -> list[list[tuple[list[Put], list[Add]]]]:
    """Batches of events; each event puts or deletes documents and adds to counters."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        events = []
        for _ in range(draw(st.integers(1, 4))):
            puts = draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(["put", "put", "delete"]), st.sampled_from(KEYS), TEXT
                    ),
                    max_size=3,
                )
            )
            adds = draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(["人数", "f"]),
                        st.sampled_from(KEYS),
                        st.sampled_from([0, 2023]),
                        st.integers(-2, 3),
                    ),
                    max_size=4,
                )
            )
            events.append((puts, adds))
        out.append(events)
    return out


@pytest.fixture
def view(
    app: Renda, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Renda, View]]:
    """The view; ``"all-by-copy"`` (PostgreSQL, given indirectly) sends every table's
    rows by COPY (these batches are small: as sent, their rows go as statements, see
    ``views_pg.FEW_ROWS``)."""
    if getattr(request, "param", "as-sent") == "all-by-copy":
        from renda_core.projections import views_pg

        monkeypatch.setattr(views_pg, "FEW_ROWS", 0)
    opened = open_view(app.store, "rows")
    yield app, opened
    opened.datastore.close()  # type: ignore[attr-defined]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log=batches())
def test_a_views_rows_read_back_as_written(
    view: tuple[Renda, View], log: list[list[tuple[list[Put], list[Add]]]]
) -> None:
    read_back_as_written(*view, log)


@pytest.mark.parametrize("backend", ["postgres"])  # SQLite has no COPY
@pytest.mark.parametrize("view", ["all-by-copy"], indirect=True)
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log=batches())
def test_a_views_rows_read_back_as_written_all_by_copy(
    view: tuple[Renda, View], log: list[list[tuple[list[Put], list[Add]]]]
) -> None:
    read_back_as_written(*view, log)


def read_back_as_written(
    app: Renda, rows: View, log: list[list[tuple[list[Put], list[Add]]]]
) -> None:
    rows.reset(app.name)
    docs: dict[str, dict[str, Any]] = {}
    values: dict[tuple[str, str, int], int] = {}
    stood: dict[int, dict[tuple[str, str, int], int]] = {0: {}}
    state = ViewState(0, written=set())
    position = start = 0
    for events in log:
        unit = ViewUnit(rows, state)
        for puts, adds in events:
            position += 1
            unit.begin(position, BASE + timedelta(seconds=position))
            for what, key, text in puts:
                if what == "put":
                    doc = {"text": text, "at": position}
                    unit.put("doc", key, doc)
                    docs[key] = doc
                else:
                    unit.delete("doc", key)
                    docs.pop(key, None)
            for figure, key, year, delta in adds:
                unit.add(figure, delta, key=key, year=year)
                if delta:
                    ident = (figure, key, year)
                    values[ident] = values.get(ident, 0) + delta
            stood[position] = dict(values)
        rows.apply(Tracking(app.name, position), unit, after=start)
        unit.written(position)
        start = position

    assert dict(rows.entities("doc")) == docs
    for key in KEYS:
        assert rows.get_entity("doc", key) == docs.get(key)
    current = sorted((f.figure, f.key, f.year, f.value) for f in rows.figures())
    assert current == sorted((*ident, value) for ident, value in values.items())
    for at, expected in stood.items():
        read = {(f.figure, f.key, f.year): f.value for f in rows.figures(position=at)}
        assert read == expected


class _Recording:
    """A cursor that keeps the rows of each ``executemany`` (SQL, rows) it passes on."""

    def __init__(self, cursor: Any, sent: list[tuple[str, list[Any]]]) -> None:
        self._cursor, self._sent = cursor, sent

    def executemany(self, sql: str, rows: Any) -> Any:
        rows = list(rows)
        self._sent.append((sql, rows))
        return self._cursor.executemany(sql, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


@pytest.mark.parametrize("backend", ["sqlite"])  # PostgreSQL streams them (COPY)
def test_a_batch_s_rows_reach_sqlite_in_the_order_of_each_table_s_key(
    view: tuple[Renda, View], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows in key order append to the B-tree's neighbouring pages (see
    ``View._insert_rows``); a batch meets its keys in any order — here, backwards."""
    app, rows = view
    rows.reset(app.name)
    keys = [f"k{i:03}" for i in range(40, 0, -1)]  # the order the batch meets them
    unit = ViewUnit(rows, ViewState(0, written=set()))
    unit.begin(1, BASE)
    for key in keys:
        unit.put("doc", key, {"key": key})
        unit.add("f", 1, key=key, year=2023)
    sent: list[tuple[str, list[Any]]] = []
    transaction = rows._transaction

    @contextmanager
    def recording(*, commit: bool) -> Iterator[Any]:
        with transaction(commit=commit) as cursor:
            yield _Recording(cursor, sent)

    monkeypatch.setattr(rows, "_transaction", recording)
    rows.apply(Tracking(app.name, 1), unit, after=0)

    tables = {sql.split()[2].removeprefix(rows.prefix): batch for sql, batch in sent}
    assert set(tables) == {"entities", "figures", "figure_history"}
    for table, batch in tables.items():
        assert [row[1] for row in batch] == sorted(keys), table
    monkeypatch.undo()
    assert [key for key, _ in rows.entities("doc")] == sorted(keys)
    assert {f.key: f.value for f in rows.figures()} == dict.fromkeys(keys, 1)
