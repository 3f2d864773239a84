"""National scale on PostgreSQL (issue 15, target 6): a large log, its read rate at the
far end, its size on disk, and projection followers in other processes keeping up with a
sustained command load.

    RENDA_BENCH_POSTGRES_URL=postgresql://renda:renda@127.0.0.1:5432/renda_bench \\
        python -m benchmarks.national --events 1000000 --rate 100 --seconds 60
    python -m benchmarks.national --quick          # 10⁵ events, 20 s of load

What it does, on a fresh PostgreSQL schema:

1. **The log.** A template of real renda events (deputies registered, a liaison each,
   contacts: :func:`benchmarks.run.workload` through the application's commands) is read
   back and copied with ``COPY … (FORMAT BINARY)`` into the store's events table, each
   copy with fresh aggregate ids (every id in an event's state remapped), until the log
   holds ``--events`` events. The build rate, the table's and indexes' size per 10⁶
   events and the raw size of the events' state are measured; the extrapolation to 10⁷
   events is printed from them.
2. **Reading at the far end.** ``select_notifications`` plus decoding of 20,000 events
   (quick) or 100,000 events at the end of the log, against the same at its start (the
   baseline): the rate must not fall as the log grows (ratio ≥ 0.8).
3. **Followers under load.** Two follower processes (:class:`BackgroundCatchUp`, the
   runner the demo uses), each catching up half of the report views, first catch the
   whole log up (measured: events/s per view), then follow while this process records
   commands at ``--rate`` commands/s for ``--seconds`` (deputies registered, a liaison
   each, contacts recorded; one transaction each). Every second the lag (log head less the slowest
   view's position) is sampled. Target: the followers project at least the events/s
   recorded (ratio ≥ 0.95) and the lag at the end is under two seconds' worth of input.

SQLite: nothing (the national figures are PostgreSQL's). Not a test: nothing asserts a
time.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import uuid
from typing import Any

from benchmarks.common import Figure
from benchmarks.run import STAFF, Stores, postgres_url, register_data, workload

UUID_RE = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TEMPLATE_EVENTS = 10_000


def report_views() -> list[str]:
    from renda_core.ports.plugins import collect_reports, get_plugin_manager

    return sorted({r.projection for r in collect_reports(get_plugin_manager()).values()})


# -- 1. the log ----------------------------------------------------------------------


def checkpoint_after(copied: int) -> int:
    """The next log size at which the build reports its disk and rate: every 10⁵ events
    up to 10⁶, then every 10⁶."""
    step = 100_000 if copied < 1_000_000 else 1_000_000
    return (copied // step + 1) * step


def sizes(cur: Any, table: str) -> tuple[int, int, int]:
    """(heap, indexes, total) bytes of the events table."""
    cur.execute(
        "SELECT pg_relation_size(%s::regclass), pg_indexes_size(%s::regclass), "
        "pg_total_relation_size(%s::regclass)",
        (table, table, table),
    )
    heap, indexes, total = cur.fetchone()
    return int(heap), int(indexes), int(total)


def build_log(store: str, events: int) -> dict[str, Any]:
    """Grow the log of ``store`` to ``events`` events: record the template through the
    application if the log is empty, then COPY remapped copies of it.

    Resumable: on a log that already holds events (an earlier, possibly interrupted,
    build in the same schema) the template is read back from the log's first
    ``TEMPLATE_EVENTS`` events and copying goes on from the log's end with copy numbers
    not used before (every committed copy is one transaction, so an interrupted build
    leaves a log of whole copies and a partial last one, which is a prefix of the log's
    order and so a valid log). At every checkpoint (each 10⁵ events up to 10⁶, then each
    10⁶) the table's size and the rate since the last checkpoint are printed and kept.
    """
    import psycopg

    from renda_core import Renda
    from renda_core.application.importer import apply_commands

    started = time.perf_counter()
    template_s = 0.0
    with Renda(store) as app:
        already = app.recorder.max_notification_id() or 0
        if already == 0:
            apply_commands(app, workload(min(TEMPLATE_EVENTS, events)), batch_size=1000)
            template_s = time.perf_counter() - started
        rows: list[tuple[Any, int, str, bytes]] = []
        last = 0
        while len(rows) < TEMPLATE_EVENTS:
            page = app.recorder.select_notifications(
                start=last, limit=5000, inclusive_of_start=False
            )
            rows += [(n.originator_id, n.originator_version, n.topic, n.state) for n in page]
            if len(page) < 5000:
                break
            last = page[-1].id
        rows = rows[:TEMPLATE_EVENTS]
        recorder: Any = app.recorder
        table = f"{recorder.datastore.schema}.{recorder.events_table_name}"
    ids = {str(r[0]).encode() for r in rows}
    raw_state = sum(len(r[3]) for r in rows) / len(rows)
    url = postgres_url()
    assert url
    checkpoints: list[dict[str, Any]] = []
    copy_started = time.perf_counter()
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {table}")
            copied = int(cur.fetchone()[0])  # type: ignore[index]
        resumed_from = copied if already else 0
        # copies 1, 2, … after the template: never reuse an earlier build's numbers
        copy = -(-(copied - len(rows)) // len(rows)) if copied > len(rows) else 0
        mark, mark_at, mark_t = checkpoint_after(copied), copied, time.perf_counter()
        if already:
            print(f"    resuming at {copied:,} events (copy {copy + 1}) …", flush=True)
        while copied < events:
            copy += 1
            mapping = {
                i: str(uuid.uuid5(uuid.NAMESPACE_URL, f"{copy}/{i!r}")).encode() for i in ids
            }

            def remap(match: re.Match[bytes], mapping: dict[bytes, bytes] = mapping) -> bytes:
                return mapping.get(match.group(0), match.group(0))

            take = rows[: events - copied]
            with (
                conn.cursor() as cur,
                cur.copy(
                    f"COPY {table} (originator_id, originator_version, topic, state) "
                    "FROM STDIN (FORMAT BINARY)"
                ) as out,
            ):
                out.set_types(["uuid", "int8", "text", "bytea"])
                for originator_id, version, topic, state in take:
                    new_id = uuid.UUID(mapping[str(originator_id).encode()].decode())
                    out.write_row((new_id, version, topic, UUID_RE.sub(remap, state)))
            conn.commit()
            copied += len(take)
            if copied >= mark or copied >= events:
                now = time.perf_counter()
                with conn.cursor() as cur:
                    heap, indexes, total = sizes(cur, table)
                point = {
                    "events": copied,
                    "total_bytes": total,
                    "index_bytes": indexes,
                    "mb_per_million": total / copied * 1e6 / 2**20,
                    "rate": (copied - mark_at) / (now - mark_t),
                    "at_s": now - copy_started,
                }
                checkpoints.append(point)
                print(
                    f"    {copied:,} events: {total / 2**20:,.0f} MB "
                    f"({point['mb_per_million']:.0f} MB per 10⁶ events), "
                    f"{point['rate']:,.0f} events/s since {mark_at:,}",
                    flush=True,
                )
                mark, mark_at, mark_t = checkpoint_after(copied), copied, now
        copy_s = time.perf_counter() - copy_started
        with conn.cursor() as cur:
            cur.execute("ANALYZE " + table)
            heap, indexes, total = sizes(cur, table)
            cur.execute("SELECT count(*) FROM " + table)
            (count,) = cur.fetchone()  # type: ignore[misc]
        conn.commit()
    copied_now = count - max(resumed_from, len(rows))
    return {
        "events": count,
        "resumed_from": resumed_from,
        "template_events": len(rows),
        "template_s": template_s,
        "copy_s": copy_s,
        "copy_rate": copied_now / copy_s if copy_s and copied_now > 0 else None,
        "raw_state_bytes_per_event": raw_state,
        "heap_bytes": heap,
        "index_bytes": indexes,
        "total_bytes": total,
        "mb_per_million": total / count * 1e6 / 2**20,
        "heap_mb_per_million": heap / count * 1e6 / 2**20,
        "index_mb_per_million": indexes / count * 1e6 / 2**20,
        "checkpoints": checkpoints,
    }


# -- 2. reading at the far end -------------------------------------------------------


def read_rate(store: str, start: int, count: int, decode: bool) -> float:
    """Events/s of ``select_notifications`` (pages of 1,000) from ``start``, decoded or not."""
    from renda_core import Renda

    with Renda(store) as app:
        seen, last = 0, start
        began = time.perf_counter()
        while seen < count:
            page = app.recorder.select_notifications(
                start=last, limit=1000, inclusive_of_start=False
            )
            if not page:
                break
            if decode:
                for notification in page:
                    app.mapper.to_domain_event(notification)
            seen += len(page)
            last = page[-1].id
        return seen / (time.perf_counter() - began)


# -- 3. followers under load ---------------------------------------------------------


def lag(runner: Any, names: list[str]) -> tuple[int, int]:
    """(head, the slowest view's position)."""
    positions = [runner.position(n) for n in names]
    return runner.head(), min(positions)


def followers(store: str, rate: float, seconds: float) -> dict[str, Any]:
    from renda_core import Renda
    from renda_core.application.store import parse_store
    from renda_core.ports.plugins import collect_projections, get_plugin_manager
    from renda_core.projections.background import BackgroundCatchUp
    from renda_core.projections.runner import ProjectionRunner

    names = report_views()
    halves = [names[0::2], names[1::2]]
    config = parse_store(store)
    projections = collect_projections(get_plugin_manager())
    with Renda(store) as app:
        runner = ProjectionRunner(app, {n: projections[n] for n in names})
        head, _ = lag(runner, names)
        with BackgroundCatchUp(config, halves[0]), BackgroundCatchUp(config, halves[1]):
            began = time.perf_counter()
            while lag(runner, names)[1] < head:
                time.sleep(1)
                if time.perf_counter() - began > 3600:
                    raise RuntimeError("the followers did not catch the log up in an hour")
            catch_up_s = time.perf_counter() - began
            print(f"    caught up {head:,} events in {catch_up_s:.0f} s; load …", flush=True)
            samples: list[dict[str, float]] = []
            start_head, start_pos = lag(runner, names)
            began = time.perf_counter()
            commands, next_sample, i = 0, 1.0, 0
            deputy_ids: list[uuid.UUID] = []
            while (elapsed := time.perf_counter() - began) < seconds:
                due = int(elapsed * rate) + 1
                # behind the pace (a slow or loaded machine): one command, then sample
                # again, so the window stays ``seconds`` long and the lag is sampled
                if commands < due:
                    i += 1
                    if i % 4 == 1:  # i counts from 1: a deputy first
                        deputy_ids.append(app.register_deputy(register_data(i), STAFF))
                    elif i % 4 == 2:  # a contact needs a liaison first
                        app.liaise_deputy(
                            {
                                "deputy_id": deputy_ids[-1],
                                "member": "常委会委员",
                                "date": "2023-02-01",
                            },
                            STAFF,
                        )
                    else:
                        app.record_contact(
                            {"deputy_id": deputy_ids[-1], "form": "visit", "date": "2023-03-01"},
                            STAFF,
                        )
                    commands += 1
                if elapsed >= next_sample:
                    h, p = lag(runner, names)
                    samples.append({"t": round(elapsed, 1), "head": h, "lag": h - p})
                    next_sample += 1.0
                time.sleep(max(0.0, (commands / rate) - (time.perf_counter() - began)))
            load_s = time.perf_counter() - began
            end_head, end_pos = lag(runner, names)
        runner.close()
    recorded = end_head - start_head
    projected = end_pos - start_pos
    return {
        "views": names,
        "processes": 2,
        "catch_up_events": head,
        "catch_up_s": catch_up_s,
        "catch_up_rate": head / catch_up_s if catch_up_s else None,
        "commands": commands,
        "commands_per_s": commands / load_s,
        "load_s": load_s,
        "events_in_per_s": recorded / load_s,
        "events_projected_per_s": projected / load_s,
        "final_lag": end_head - end_pos,
        "samples": samples,
    }


# -- figures -------------------------------------------------------------------------


def extrapolate(built: dict[str, Any], target: int = 10_000_000) -> dict[str, float]:
    """What a ``target``-event log would take, linearly from what was measured: the disk
    from the growth between the first and the last checkpoint (the slope, so the
    template's and the tables' fixed cost do not count per event), the COPY time from
    the rate of this build."""
    points = built.get("checkpoints") or []
    if len(points) >= 2 and points[-1]["events"] > points[0]["events"]:
        first, last = points[0], points[-1]
        span = last["events"] - first["events"]
        per_event = (last["total_bytes"] - first["total_bytes"]) / span
        index_per_event = (last["index_bytes"] - first["index_bytes"]) / span
    else:
        per_event = built["total_bytes"] / built["events"]
        index_per_event = built["index_bytes"] / built["events"]
    more = target - built["events"]
    rate = built.get("copy_rate") or built["events"] / max(built["copy_s"], 1e-9)
    return {
        "events": target,
        "disk_gb": (built["total_bytes"] + per_event * more) / 1e9,
        "index_gb": (built["index_bytes"] + index_per_event * more) / 1e9,
        "mb_per_million_marginal": per_event * 1e6 / 2**20,
        "copy_minutes": target / rate / 60,
        "copy_rate": rate,
    }


def kept_store(schema: str) -> str:
    """A store in ``schema`` (created if missing) that outlives the run: a log to extend."""
    import psycopg

    url = postgres_url()
    assert url, "set RENDA_BENCH_POSTGRES_URL for the national benchmark"
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
        raise SystemExit(f"--schema {schema!r}: lower-case letters, digits and _ only")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    return f"{url}?schema={schema}"


def figures(backend: str, quick: bool, events: int | None = None, rate: float = 100.0,
            seconds: float | None = None, schema: str | None = None,
            build_only: bool = False) -> list[Figure]:  # fmt: skip
    """The national figures. ``schema``: build in (or extend) that schema and keep it;
    ``build_only``: the log, its disk and its read rates, not the followers."""
    if backend != "postgres":
        return []  # the national figures are PostgreSQL's
    events = events or (100_000 if quick else 1_000_000)
    seconds = seconds or (20.0 if quick else 60.0)
    sample = 20_000 if quick else 100_000
    stores = Stores(backend)
    followed: dict[str, Any] | None = None
    try:
        store = kept_store(schema) if schema else stores.new("national")
        print(f"  [national] building a {events:,}-event log …", flush=True)
        built = build_log(store, events)
        n = built["events"]
        far = extrapolate(built)
        print("  [national] reading at the start and at the end …", flush=True)
        start_rates, end_rates = [], []
        for _ in range(2):  # alternating
            start_rates.append(read_rate(store, 0, sample, decode=True))
            end_rates.append(read_rate(store, max(n - sample, 0), sample, decode=True))
        select_only = read_rate(store, max(n - sample, 0), sample, decode=False)
        start_rate, end_rate = max(start_rates), max(end_rates)
        if not build_only:
            print("  [national] followers …", flush=True)
            followed = followers(store, rate, seconds)
    finally:
        stores.close()
    size_ratio = built["total_bytes"] / (built["raw_state_bytes_per_event"] * n)
    read_ratio = end_rate / start_rate
    found = [
        Figure(
            name=f"national: disk per 10⁶ events ({n:,}-event log)",
            ours=built["mb_per_million"],
            baseline=built["raw_state_bytes_per_event"] * 1e6 / 2**20,
            unit="MB",
            ratio=size_ratio,
            target="informative (table + indexes vs raw event state)",
            met=None,
            backend=backend,
            detail={**built, "extrapolated_to_1e7": far},
        ),
        Figure(
            name=f"national: select + decode at the end of {n:,} events vs at the start",
            ours=end_rate,
            baseline=start_rate,
            unit="events/s",
            ratio=read_ratio,
            target="ratio >= 0.8 (no fall as the log grows)",
            met=read_ratio >= 0.8,
            backend=backend,
            detail={
                "sample": sample,
                "start_rates": start_rates,
                "end_rates": end_rates,
                "select_only_at_end": select_only,
            },
            why="" if read_ratio >= 0.8 else "select_notifications slows at the log's end",
        ),
    ]
    if followed is None:
        return found
    keep = followed["events_projected_per_s"] / followed["events_in_per_s"]
    lag_ok = followed["final_lag"] <= 2 * followed["events_in_per_s"]
    return [
        *found,
        Figure(
            name=(
                f"national: 2 follower processes vs {followed['commands_per_s']:.1f} "
                f"commands/s (paced at {rate:g}/s; {n:,}-event log)"
            ),
            ours=followed["events_projected_per_s"],
            baseline=followed["events_in_per_s"],
            unit="events/s",
            ratio=keep,
            target="ratio >= 0.95, lag at end < 2 s of input",
            met=keep >= 0.95 and lag_ok,
            backend=backend,
            detail=followed,
            why=""
            if keep >= 0.95 and lag_ok
            else f"final lag {followed['final_lag']} events; samples in detail",
        ),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, help="log size (default 10⁶; quick 10⁵)")
    parser.add_argument("--rate", type=float, default=100.0, help="commands/s of the load")
    parser.add_argument("--seconds", type=float, help="length of the load (default 60 s)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--schema",
        help="build in this schema and keep it; run again with a larger --events to extend "
        "the same log (resumable: an interrupted build goes on from the log's end)",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="the log, its disk and reads; no followers"
    )
    args = parser.parse_args(argv)
    if not postgres_url():
        sys.exit("set RENDA_BENCH_POSTGRES_URL (or RENDA_TEST_POSTGRES_URL)")
    from benchmarks.run import show, write

    found = figures(
        "postgres",
        args.quick,
        args.events,
        args.rate,
        args.seconds,
        schema=args.schema,
        build_only=args.build_only,
    )
    collected = {"modules": {"national": "ran alone"}, "figures": found}
    show("postgres", collected)
    print(f"\nwritten: {write('postgres', args.quick, collected, {'national'})}")
    for figure in found:
        if "extrapolated_to_1e7" in figure.detail:
            far = figure.detail["extrapolated_to_1e7"]
            print(
                f"\n10⁷ events, extrapolated: {far['disk_gb']:.1f} GB on disk "
                f"({far['index_gb']:.1f} GB of indexes; "
                f"{far['mb_per_million_marginal']:.0f} MB per further 10⁶), "
                f"COPY in {far['copy_minutes']:.0f} min at {far['copy_rate']:,.0f} events/s"
            )
            for point in figure.detail.get("checkpoints", []):
                print(
                    f"  {point['events']:>12,} events: {point['total_bytes'] / 2**20:9,.0f} MB, "
                    f"{point['rate']:9,.0f} events/s"
                )


if __name__ == "__main__":
    main()
