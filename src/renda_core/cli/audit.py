"""``renda audit …``: keys, seals, verification of the hash chain, a record's history.

See ``docs/audit.md`` for an auditor's walk through them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from renda_core.application.audit.history import record_history
from renda_core.application.audit.keys import (
    load_private_key,
    new_cipher_key,
    trusted_keys,
    write_seal_keys,
)
from renda_core.application.audit.verify import Seal, seal_log, verify_log
from renda_core.application.base import store_errors
from renda_core.application.export import (
    FORMATS,
    check_audit_export,
    manifest_path,
    verify_export,
    write_audit_export,
)
from renda_core.application.inputs import shown
from renda_core.cli.common import (
    InputPath,
    OutputPath,
    RendaGroup,
    echo,
    emit,
    env,
    json_option,
    write_output,
)
from renda_core.cli.i18n import Verbatim, message, translate_template
from renda_core.cli.reading import log_access, reason_option
from renda_core.domain.errors import Forbidden, InvalidInput, LogAltered, ReportDiffers

SEALING_ROLES = ("staff", "auditor")


@click.group(cls=RendaGroup)
def audit() -> None:
    """Audit the log: keys, seals, verify the hash chain, a record's history."""


@audit.command(name="keygen")
@click.option(
    "--output",
    type=OutputPath(),
    default="renda-seal.pem",
    show_default=True,
    help="The private key file to write (the public key goes beside it, '.pub' added).",
)
@click.option(
    "--cipher",
    is_flag=True,
    help="Print a new RENDA_CIPHER_KEY (AES-256, base64) instead; nothing is written.",
)
def audit_keygen(output: Path, cipher: bool) -> None:
    """Make an Ed25519 key pair for seals (RENDA_SEAL_KEY), or a cipher key.

    The private key is written with mode 0600; keep it outside the store and give
    the public key to the auditors. Existing files are never overwritten.
    """
    if cipher:
        click.echo(new_cipher_key())
        return
    private, public = write_seal_keys(output)
    echo(f"seal key: {private} (private: set RENDA_SEAL_KEY={private})")
    echo(f"public key: {public} (for auditors: --public-key {public})")


@audit.command(name="seal")
@click.option(
    "--output",
    type=OutputPath(),
    help="Also write the seal to this file (JSON), for the archive.",
)
@click.option("--key", "key_path", help="The private key file (default: RENDA_SEAL_KEY).")
@click.pass_context
def audit_seal(ctx: click.Context, /, output: Path | None, key_path: str | None) -> None:
    """Sign the chain head with the seal key and record the seal; print it as JSON.

    The log since the last seal is verified first (exit 11 if it was altered).
    A store not chained yet is chained first, from position 1.
    """
    actor = env(ctx).actor()
    if actor.role not in SEALING_ROLES:
        raise Forbidden(f"role '{actor.role}' may not seal the log (staff or auditor may)")
    key = load_private_key(key_path)
    app = env(ctx).get_app()
    app.verify_actor("audit.seal", actor)  # the actor registry, when it is on
    with store_errors("cannot seal the log"):
        seal = seal_log(app.recorder, key, str(actor))  # type: ignore[arg-type]
    text = json.dumps(seal.to_dict(), ensure_ascii=False, indent=2)
    if output is not None:
        write_output(output, text + "\n")
    click.echo(text)


def _read_seal(path: str) -> Seal:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise InvalidInput(
            f"cannot read the seal file {shown(path)}: {getattr(exc, 'strerror', None) or exc}",
            [{"field": "seal", "message": "not readable"}],
        ) from None
    return Seal.from_dict(data, shown(path))


@audit.command(name="verify")
@click.option(
    "--from",
    "start",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Start at this log position (the link before it is trusted).",
)
@click.option(
    "--seal",
    "seal_files",
    multiple=True,
    help="A seal file (from `audit seal --output`) to check too; repeatable.",
)
@click.option(
    "--public-key",
    "public_keys",
    multiple=True,
    help="Trust only seals signed by this public key; repeatable. Env: RENDA_SEAL_PUBLIC_KEY.",
)
@click.option(
    "--export",
    "export_file",
    type=InputPath(),
    help="Check an export file (from `audit export`) offline, with its manifest; no store.",
)
@json_option
@click.pass_context
def audit_verify(
    ctx: click.Context,
    /,
    start: int,
    seal_files: tuple[str, ...],
    public_keys: tuple[str, ...],
    export_file: Path | None,
    as_json: bool,
) -> None:
    """Recompute the hash chain and check every seal.

    Exit 0 when the log is intact; exit 11 naming the first position that was altered,
    inserted, deleted or reordered (or the seal that no longer matches). A store not
    chained yet is chained now from position 1 (noted). With --export, the export file's
    SHA-256, chain and seals are checked against its manifest, without the store.
    """
    extra = [_read_seal(path) for path in seal_files]
    keys = trusted_keys(public_keys)
    if export_file is not None:
        _verify_export(export_file, keys, extra, as_json)
        return
    app = env(ctx).get_app()
    with store_errors("cannot verify the log"):
        result = verify_log(
            app.recorder,  # type: ignore[arg-type]
            start=start,
            extra_seals=extra,
            trusted=keys,
            writable=not app.store.read_only,
        )
    if not result.ok:
        for note in (n for n in result.notes if "chained now" in n):
            raise LogAltered(f"the log was altered: {result.problem} (note: {note})")
        raise LogAltered(f"the log was altered: {result.problem}")
    data: dict[str, Any] = result.to_dict()

    def render() -> str:
        if not result.checked:
            lines = [message("✓ the log is empty: nothing to verify")]
        else:
            lines = [
                message(
                    "✓ chain intact: positions {first}–{last} ({count} events), head {head}",
                    first=result.first,
                    last=result.last,
                    count=f"{result.checked:,}",
                    head=result.head_hash,
                )
            ]
        return "\n".join(lines + _seal_lines(result.seals) + _note_lines(result.notes))

    emit(data, as_json, render)


def _seal_lines(seals: list[dict[str, Any]]) -> list[str]:
    """A verification's line for each seal that matched, in the active language."""
    return [message("✓ {seal}: matches", seal=s["seal"]) for s in seals]


def _note_lines(notes: list[str]) -> list[str]:
    """A result's remarks (``notes.append(…)`` of the library, catalogued as
    messages), each on its line in the active language."""
    return [message("note: {note}", note=translate_template(n, ())) for n in notes]


def _verify_export(path: Path, keys: list[Any], seals: list[Seal], as_json: bool) -> None:
    found = verify_export(path, keys, seals)
    if not found.ok:
        raise LogAltered(f"the export was altered: {found.problem}")

    def render() -> str:
        lines = [
            message(
                "✓ export intact: positions {first}–{last} ({rows} rows, {events} events), "
                "head {head}, SHA-256 matches the manifest",
                first=found.first,
                last=found.last,
                rows=f"{found.rows:,}",
                events=f"{found.events:,}",
                head=found.head_hash,
            )
            if found.rows
            else message("✓ the export is empty; SHA-256 matches the manifest")
        ]
        return "\n".join(lines + _seal_lines(found.seals) + _note_lines(found.notes))

    emit(found.to_dict(), as_json, render)


@audit.command(name="export")
@click.option(
    "--from",
    "start",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="The first log position to export.",
)
@click.option(
    "--to", "stop", type=click.IntRange(min=1), help="The last log position (default: the head)."
)
@click.option("--aggregate", help="Only this record's events (other positions: their links).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="jsonl",
    show_default=True,
    help="The file's format.",
)
@click.option(
    "--output",
    type=OutputPath(),
    required=True,
    help="The file to write; its manifest goes beside it ('.manifest.json' added).",
)
@reason_option
@json_option
@click.pass_context
def audit_export(
    ctx: click.Context,
    /,
    start: int,
    stop: int | None,
    aggregate: str | None,
    fmt: str,
    output: Path,
    reason: str | None,
    as_json: bool,
) -> None:
    """Export a range of the log for auditors, with a manifest for `verify --export`.

    Streams in constant memory. Each row carries what the hash chain covers (originator,
    version, topic, the stored state in base64) and its link, plus the decoded event
    for reading; the manifest holds the counts, first and last positions, the chain
    hashes at both ends, the seals in the range and the file's SHA-256.

    Staff and auditors only. Without --reason an auditor's export is redacted:
    personal fields replaced, those events' stored state withheld; `verify --export`
    then checks the chain and seals through their digests (docs/audit.md).
    """
    actor = env(ctx).actor()
    what = [f"positions {start}–{stop or 'head'}" + (f" of {aggregate}" if aggregate else "")]
    # refused before an auditor's reason is recorded: a refused export discloses nothing
    check_audit_export(env(ctx).get_app(), start=start, stop=stop, aggregate=aggregate)
    reveal = log_access(ctx, "audit.export", what, reason)
    summary = write_audit_export(
        env(ctx).get_app(),
        output,
        fmt,
        start=start,
        stop=stop,
        aggregate=aggregate,
        actor=str(actor),
        redacted=not reveal,
    )
    data = summary.to_dict()
    emit(
        data,
        as_json,
        lambda: (
            f"exported positions {data['first_position']}–{data['last_position']} "
            f"({data['rows']:,} rows, {data['events']:,} events) to {output}; "
            f"manifest {manifest_path(output)}"
        ),
    )


@audit.command(name="history")
@click.argument("record_id")
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Labels."
)
@json_option
@click.pass_context
def audit_history(ctx: click.Context, /, record_id: str, lang: str, as_json: bool) -> None:
    """A record's timeline: what happened, by whom in which role, business date,
    recorded time, log position (read through the index on the record id). Staff and
    auditors only: it names who did what."""
    from renda_core.application.permissions import check_permission

    check_permission("audit.history", env(ctx).actor())
    rows = record_history(env(ctx).get_app(), record_id, lang)
    zh = lang == "zh"

    def render() -> Table:
        heads = (
            ("位置", "版本", "事项", "操作人", "角色", "业务日期", "记录时间")
            if zh
            else ("position", "version", "what", "actor", "role", "business date", "recorded at")
        )
        table = Table(title=f"{'记录历史' if zh else 'History of'} {record_id.strip()}")
        for head in heads:
            table.add_column(head)
        for r in rows:
            table.add_row(
                str(r["position"]),
                str(r["version"]),
                r["what"],
                r["actor"],
                r["role_label"],
                r["business_date"] or "",
                r["recorded_at"][:19],
            )
        return table

    emit(rows, as_json, render)


@audit.command(name="reproduce")
@click.argument("report_file", metavar="REPORT.json")
@json_option
@click.pass_context
def audit_reproduce(ctx: click.Context, /, report_file: str, as_json: bool) -> None:
    """Recompute a report (printed with `renda report NAME --json`) from the log at the
    position its provenance names, and say whether it is identical.

    Exit 0 when identical; exit 12 (report_differs) naming the first differing key
    (`provenance.chain_head_hash` when the log up to that position was altered).
    """
    from renda_core.application.permissions import check_permission
    from renda_core.projections.provenance import reproduce

    check_permission("audit.reproduce", env(ctx).actor())
    try:
        document = json.loads(Path(report_file).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError) as exc:
        raise InvalidInput(
            f"cannot read the report {shown(report_file)}: {getattr(exc, 'strerror', None) or exc}",
            [{"field": "report", "message": "not readable JSON"}],
        ) from None
    if not isinstance(document, dict):
        raise InvalidInput(f"{shown(report_file)} is not a report printed with --json")
    e = env(ctx)
    result = reproduce(e.runner(), e.reports(), document)
    if not result["identical"]:
        raise ReportDiffers(
            f"the report is not identical to the one recomputed from the log at position "
            f"{result['provenance']['position']}: first difference at "
            f"'{result['first_difference']}'"
        )

    def render() -> str:
        prov = result["provenance"]
        lines = [
            message(
                "✓ identical: '{report}' recomputed from store {store} at position "
                "{position} (as of {as_of}, chain {head})",
                report=Verbatim(prov["report"]),
                store=prov["store_id"],
                position=prov["position"],
                as_of=prov["as_of"],
                head=prov["chain_head_hash"],
            )
        ]
        return "\n".join(lines + _note_lines(result["notes"]))

    emit(result, as_json, render)
