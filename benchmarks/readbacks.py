"""The documents and counters a rebuild reads back from its views, counted by cause; and
the documents it writes, by kind (how many times each is written in one rebuild).

    python -m benchmarks.readbacks --store COPY.sqlite [--json out.json]

Rebuilds every built-in view of an existing store in this process (one job: it
*replaces the store's views*, so give it a copy) with counting wrappers around the
projection unit and the view (nothing in the product counts). Per view, each read of a
document from the view is put down to one cause:

- ``evicted``: the key was written earlier in the rebuild, and the unit no longer keeps
  its document (the LRU of ``ViewState.MAX_DOCS`` documents forgot it);
- ``never_written``: the key was never written since the view was empty (a bitmap that
  was on would have answered "empty" without a read): ``bitmap_off`` when the unit had
  turned its bitmap off (too many keys), ``bitmap_false`` when the bitmap said "may have
  been written" of a key that was not;
- ``figures``: counters read (``View.get_figures``: one statement per counter);
- ``other``: any other read of a document (not through the unit's ``get``).

Per view and kind of document, ``writes_by_kind`` gives the writes (one per batch that
changed the document), the distinct documents, writes per document and their JSON in MB
(the text before any cipher): a document touched in many of the rebuild's batches is
written whole each time.

Counts do not depend on the machine's load (the main figure); CPU time and peak RSS of
the process are given besides. Not a test: nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter, defaultdict
from typing import Any


def count(store: str, names: list[str] | None = None) -> dict[str, Any]:
    from renda_core import Renda
    from renda_core.cli.context import Env
    from renda_core.projections import unit as units
    from renda_core.projections.views import View

    causes: dict[str, Counter[str]] = defaultdict(Counter)
    ever: dict[str, set[tuple[str, str]]] = defaultdict(set)  # keys written, per view
    kinds: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)  # evicted: by event
    writes: dict[str, Counter[str]] = defaultdict(Counter)  # documents written, by kind
    json_bytes: dict[str, Counter[str]] = defaultdict(Counter)  # their JSON, by kind
    bitmap_off: dict[str, int] = {}  # the position at which a view's bitmap went off
    in_get = [False]

    get, written = units.ViewUnit.get, units.ViewUnit.written
    get_entity, get_figures = View.get_entity, View.get_figures

    def counting_get(self: Any, kind: str, key: str) -> Any:
        ident, state = (kind, key), self._state
        if ident not in self._entities and ident not in self._loaded and ident not in state.docs:
            bits = state.written
            if bits is None or ident in bits:  # the unit will read the view
                name = self._view.view_name
                if ident in ever[name]:
                    cause = "evicted"
                    kinds[name][(type(self._event).__qualname__, kind)] += 1
                elif bits is None:
                    cause = "never_written.bitmap_off"
                else:
                    cause = "never_written.bitmap_false"
                causes[name][cause] += 1
        in_get[0] = True
        try:
            return get(self, kind, key)
        finally:
            in_get[0] = False

    def counting_written(self: Any, position: int) -> None:
        name = self._view.view_name
        ever[name].update(self._entities)
        for (kind, _key), doc in self._entities.items():
            writes[name][kind] += 1
            if doc is not None:
                json_bytes[name][kind] += len(json.dumps(doc, ensure_ascii=False).encode())
        written(self, position)
        if self._state.written is None and name not in bitmap_off:
            bitmap_off[name] = position

    def counting_get_entity(self: Any, kind: str, key: str) -> Any:
        causes[self.view_name]["entity_reads"] += 1
        if not in_get[0]:
            causes[self.view_name]["other"] += 1
        return get_entity(self, kind, key)

    def counting_get_figures(self: Any, keys: Any) -> Any:
        causes[self.view_name]["figures.calls"] += 1
        causes[self.view_name]["figures"] += len(keys)  # one statement each
        return get_figures(self, keys)

    units.ViewUnit.get = counting_get  # type: ignore[method-assign]
    units.ViewUnit.peek = counting_get
    units.ViewUnit.written = counting_written  # type: ignore[method-assign]
    View.get_entity = counting_get_entity  # type: ignore[method-assign]
    View.get_figures = counting_get_figures  # type: ignore[method-assign]

    cpu, wall = time.process_time(), time.perf_counter()
    with Renda(store) as app:
        env = Env(app=app)
        runner = env.runner()
        events = app.recorder.max_notification_id() or 0
        results = runner.rebuild(names, jobs=1)
        env.close()
    failed = [r for r in results if r.error]
    assert not failed, failed
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    views: dict[str, dict[str, Any]] = {
        name: {**dict(sorted(c.items())), "keys_written": len(ever[name])}
        for name, c in sorted(causes.items())
    }
    for name in ever:
        views.setdefault(name, {"keys_written": len(ever[name])})
        if kinds[name]:
            views[name]["evicted_by_event"] = {
                f"{e} reads {k}": n for (e, k), n in kinds[name].most_common(5)
            }
        if name in bitmap_off:
            views[name]["bitmap_off_at"] = bitmap_off[name]
        documents = Counter(kind for kind, _key in ever[name])
        views[name]["writes_by_kind"] = {
            kind: {
                "writes": n,
                "documents": documents[kind],
                "per_document": round(n / documents[kind], 3) if documents[kind] else None,
                "json_mb": round(json_bytes[name][kind] / 1e6, 1),
            }
            for kind, n in writes[name].most_common()
        }
    total: Counter[str] = Counter()
    for c in causes.values():
        total.update(c)
    return {
        "store": store,
        "events": events,
        "cpu_s": round(cpu, 1),
        "wall_s": round(wall, 1),
        "load_average": [round(x, 2) for x in __import__("os").getloadavg()],
        # includes the wrappers' own set of written keys (a few hundred MB at scale 5)
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "total": dict(sorted(total.items())),
        "views": views,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", required=True, help="a COPY of a store: its views are rebuilt")
    parser.add_argument("--view", action="append", help="only this view (repeatable)")
    parser.add_argument("--max-docs", type=int, help="try this ViewState.MAX_DOCS instead")
    parser.add_argument("--json", help="write the counts here as well")
    args = parser.parse_args()
    if args.max_docs:
        from renda_core.projections.unit import ViewState

        ViewState.MAX_DOCS = args.max_docs
    out = count(args.store, args.view)
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
