"""The views' JSON encoded by orjson (the ``fast`` extra) or by the standard library:
the same documents, figures' earlier changes and moments read back.

orjson's text is compact (``{"a":1}``, the standard library's ``{"a": 1}``); every
reader decodes with ``json.loads``, so what matters is that the decoded values are
equal — over random documents, and over every built-in view rebuilt from a demo log.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.demo import generate
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections import views
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.views import View

pytest.importorskip("orjson")  # the extra: without it both encoders are the stdlib's

FAST, STDLIB = views._encoder(), views._encoder(fast=False)
#: the columns holding JSON text, decoded before comparing
JSON_COLUMNS = {"doc", "earlier", "detail"}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**80), 2**80)  # beyond 64 bits: left to the stdlib
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()  # Chinese, control characters, surrogates aside
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text() | st.integers(-5, 5), inner, max_size=5)
    ),
    max_leaves=30,
)


@given(doc=documents)
def test_orjson_and_the_stdlib_encode_the_same_document(doc: Any) -> None:
    assert json.loads(FAST(doc)) == json.loads(STDLIB(doc))


def test_what_the_stdlib_refuses_is_still_refused() -> None:
    from datetime import date

    for encode in (FAST, STDLIB):
        with pytest.raises(TypeError):
            encode({"day": date(2026, 1, 1)})


def decoded_rows(view: View) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the view's tables, its JSON columns decoded, sorted."""
    out = {}
    with view._transaction(commit=False) as c:
        for table in view.TABLES:
            c.execute(f"SELECT * FROM {view.prefix}{table}")
            found = [
                row if isinstance(row, dict) else dict(zip(row.keys(), row, strict=True))
                for row in c.fetchall()
            ]
            out[table] = sorted(
                tuple(
                    (name, json.loads(value) if name in JSON_COLUMNS and value else value)
                    for name, value in row.items()
                )
                for row in found
            )
    return out


def raw_documents(view: View) -> list[str]:
    with view._transaction(commit=False) as c:
        c.execute(f"SELECT doc FROM {view.prefix}entities")
        return [str(row["doc"]) for row in c.fetchall()]


def test_every_built_in_view_rebuilt_with_orjson_reads_back_as_with_the_stdlib(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(app, scale=0.01, seed=7)
    projections = collect_projections(get_plugin_manager())
    dumps, texts = [], []
    for encode in (STDLIB, FAST):
        monkeypatch.setattr(views, "_encode", encode)
        runner = ProjectionRunner(app, projections, batch_size=150)
        results = runner.rebuild()
        assert not [r for r in results if r.error]
        dumps.append({name: decoded_rows(runner.view(name)) for name in projections})
        texts.append({name: raw_documents(runner.view(name)) for name in projections})
        runner.close()
    stdlib, fast = dumps
    assert sum(len(rows["entities"]) for rows in fast.values()) > 100
    for name in projections:
        assert fast[name] == stdlib[name], name
    # the second rebuild did write orjson's text (compact), the first the stdlib's
    assert any('": ' in doc for docs in texts[0].values() for doc in docs)
    assert not any('": ' in doc for docs in texts[1].values() for doc in docs)
