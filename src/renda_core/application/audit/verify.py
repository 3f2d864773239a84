"""``renda audit verify`` and ``renda audit seal``: check the hash chain and the seals.

:func:`verify_log` walks the log and its chain table together, in position order,
recomputing every link; it stops at the first position that does not match and says
what it looks like:

- an event without a link: **inserted** (written around renda, not through it);
- a link without an event, or a link that names a previous position that has no event:
  **deleted**;
- an event whose content matches the link of another position: **moved** (reordered);
- an event whose content matches no link: **altered**;
- a link whose hash does not follow from the one before: the **chain was altered**.

A seal pins (position, chain hash) with an Ed25519 signature. A rewrite of the whole
chain after an alteration leaves the chain consistent, but not equal to what was
sealed; a tail deleted with its links leaves a seal pointing past the end.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from renda_core.application.audit.chain import (
    GENESIS,
    PAGE,
    ChainSQL,
    Cursor,
    chain_unchained,
    head,
    link_hash,
    stored_row,
)
from renda_core.application.audit.keys import key_id, parse_public_key, public_pem
from renda_core.domain.errors import InvalidInput, LogAltered, RuleViolated
from renda_core.i18n import ErrorMessage

SEAL_FORMAT = "renda-seal-1"


class AuditRecorder(Protocol):
    """What the audit needs of a recorder (both of renda's recorders have it)."""

    chain_sql: ChainSQL

    def store_id(self) -> str: ...

    def audit_transaction(self, *, write: bool) -> AbstractContextManager[Cursor]: ...

    def chain_exists(self) -> bool: ...


@dataclass(frozen=True)
class Seal:
    """A signed statement: the chain of store ``store_id`` had hash ``hash`` at
    ``position``, signed at ``sealed_at`` by key ``key_id``."""

    store_id: str
    position: int
    hash: str
    sealed_at: str
    key_id: str
    actor: str
    public_key: str
    signature: str
    seal_id: int | None = None

    def message(self) -> bytes:
        body = {
            "format": SEAL_FORMAT,
            "store_id": self.store_id,
            "position": self.position,
            "hash": self.hash,
            "sealed_at": self.sealed_at,
            "key_id": self.key_id,
            "actor": self.actor,
        }
        return json.dumps(body, sort_keys=True, ensure_ascii=False).encode()

    def to_dict(self) -> dict[str, Any]:
        return {"format": SEAL_FORMAT, **asdict(self)}

    @classmethod
    def from_dict(cls, data: Any, where: str) -> Seal:
        try:
            if data.get("format") != SEAL_FORMAT:
                raise ValueError("not a renda seal")
            return cls(
                store_id=str(data["store_id"]),
                position=int(data["position"]),
                hash=str(data["hash"]),
                sealed_at=str(data["sealed_at"]),
                key_id=str(data["key_id"]),
                actor=str(data["actor"]),
                public_key=str(data["public_key"]),
                signature=str(data["signature"]),
                seal_id=None if data.get("seal_id") is None else int(data["seal_id"]),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"{where}: not a renda seal ({exc})", [{"field": "seal", "message": str(exc)}]
            ) from None

    def check_signature(self) -> bool:
        key = parse_public_key(self.public_key.encode())
        if key is None or key_id(key) != self.key_id:
            return False
        try:
            key.verify(base64.b64decode(self.signature), self.message())
        except (InvalidSignature, ValueError):
            return False
        return True

    def label(self) -> str:
        which = f"seal #{self.seal_id}" if self.seal_id is not None else "the seal file's seal"
        return f"{which} (position {self.position}, {self.sealed_at[:19]})"


@dataclass
class Verification:
    """What ``verify`` found."""

    checked: int = 0
    first: int | None = None
    last: int | None = None
    head_hash: str | None = None
    seals: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    position: int | None = None  # the first bad position
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first": self.first,
            "last": self.last,
            "head_hash": self.head_hash,
            "seals": self.seals,
            "notes": self.notes,
            "position": self.position,
            "problem": self.problem,
        }


class _Found(Exception):
    def __init__(self, position: int, problem: ErrorMessage) -> None:
        super().__init__(problem)
        self.position = position
        self.problem = problem


def ensure_chained(recorder: AuditRecorder) -> int:
    """Chain a store written before the chain existed (from position 1). Returns how
    many events were chained now (0 when the chain was already there)."""
    with recorder.audit_transaction(write=True) as curs:
        if head(curs, recorder.chain_sql) is not None:
            return 0
        position, _ = chain_unchained(curs, recorder.chain_sql, 2**62)
        curs.execute(recorder.chain_sql.q(f"SELECT count(*) AS n FROM {recorder.chain_sql.chain}"))
        return int(curs.fetchone()["n"]) if position else 0


def stored_seals(recorder: AuditRecorder) -> list[Seal]:
    sql = recorder.chain_sql
    store_id = recorder.store_id()
    with recorder.audit_transaction(write=False) as curs:
        curs.execute(
            f"SELECT seal_id, position, hash, sealed_at, key_id, actor, public_key, signature "
            f"FROM {sql.seals} ORDER BY seal_id"
        )
        return [
            Seal(
                store_id,
                int(r["position"]),
                str(r["hash"]),
                str(r["sealed_at"]),
                str(r["key_id"]),
                str(r["actor"]),
                str(r["public_key"]),
                str(r["signature"]),
                int(r["seal_id"]),
            )
            for r in curs.fetchall()
        ]


def _audit_rows(recorder: AuditRecorder, after: int) -> Iterator[Any]:
    sql = recorder.chain_sql
    while True:
        with recorder.audit_transaction(write=False) as curs:
            curs.execute(sql.audit_rows, (after, after, PAGE))
            rows = list(curs.fetchall())
        yield from rows
        if len(rows) < PAGE:
            return
        after = int(rows[-1]["position"])


def link_before(recorder: AuditRecorder, start: int) -> tuple[int, str]:
    """The trusted link before position ``start``: (0, GENESIS) from the beginning."""
    if start <= 1:
        return 0, GENESIS
    sql = recorder.chain_sql
    with recorder.audit_transaction(write=False) as curs:
        curs.execute(
            sql.q(
                f"SELECT position, hash FROM {sql.chain} WHERE position < ? "
                "ORDER BY position DESC LIMIT 1"
            ),
            (start,),
        )
        row = curs.fetchone()
    return (0, GENESIS) if row is None else (int(row["position"]), str(row["hash"]))


def _moved_from(recorder: AuditRecorder, digest: str, position: int) -> int | None:
    sql = recorder.chain_sql
    with recorder.audit_transaction(write=False) as curs:
        curs.execute(
            sql.q(f"SELECT position FROM {sql.chain} WHERE digest = ? AND position <> ?"),
            (digest, position),
        )
        row = curs.fetchone()
    return None if row is None else int(row["position"])


def verify_log(
    recorder: AuditRecorder,
    *,
    start: int = 1,
    extra_seals: Sequence[Seal] = (),
    trusted: Sequence[Ed25519PublicKey] = (),
    writable: bool = True,
) -> Verification:
    """Recompute the chain from ``start`` and check every seal (see the module doc)."""
    result = Verification()
    in_memory = False
    if not recorder.chain_exists():
        in_memory = True
        result.notes.append(
            "this store has no chain table (read-only, written before the chain): "
            "links were computed in memory, so only seals can show changes"
        )
    elif writable:
        chained = ensure_chained(recorder)
        if chained:
            result.notes.append(
                f"this store was not chained yet: chained now from position 1 "
                f"({chained} events); changes made before now cannot be detected "
                "except by seals made before"
            )
    seals = [] if in_memory else stored_seals(recorder)
    store_id = recorder.store_id()
    for seal in extra_seals:
        if seal.store_id != store_id:
            raise InvalidInput(
                f"the seal file is for store {seal.store_id}, this store is {store_id}",
                [{"field": "seal", "message": "another store"}],
            )
    known = {s.signature for s in seals}  # a seal file's copy of a stored seal: once
    extra = [s for s in extra_seals if s.signature not in known]
    all_seals = sorted([*seals, *extra], key=lambda s: s.position)
    trusted_ids = {key_id(k) for k in trusted}
    if not trusted_ids and all_seals:
        result.notes.append(
            "signatures were checked against the public key recorded with each seal; "
            "give --public-key (or RENDA_SEAL_PUBLIC_KEY) to check they are your keys"
        )
    try:
        _check_signatures(all_seals, trusted_ids, result)
        _walk(recorder, start, all_seals, result, in_memory)
    except _Found as found:
        result.position, result.problem = found.position, found.problem
    return result


def _check_signatures(seals: Sequence[Seal], trusted: set[str], result: Verification) -> None:
    for seal in seals:
        if not seal.check_signature():
            raise _Found(seal.position, f"{seal.label()}: its signature is not valid (forged)")
        if trusted and seal.key_id not in trusted:
            raise _Found(
                seal.position, f"{seal.label()}: signed by key {seal.key_id}, which is not trusted"
            )


def _walk(
    recorder: AuditRecorder,
    start: int,
    seals: Sequence[Seal],
    result: Verification,
    in_memory: bool,
) -> None:
    prev_position, prev_hash = link_before(recorder, start)
    pending = [s for s in seals if s.position >= max(start, 1)]
    for seal in seals:
        if seal.position == prev_position and prev_position and seal.hash != prev_hash:
            raise _Found(
                seal.position,
                f"{seal.label()}: the chain at position {seal.position} is not what was sealed "
                f"(the log at or before {seal.position} was rewritten)",
            )
    last_good_seal = prev_position
    for row in _rows(recorder, prev_position, in_memory):
        p = int(row["position"])
        while pending and pending[0].position < p:
            seal = pending.pop(0)
            raise _Found(
                seal.position,
                f"position {seal.position}: deleted ({seal.label()} pins it; "
                "it is no longer in the log)",
            )
        has_event = row["topic"] is not None
        has_link = row["hash"] is not None
        if not has_link:
            raise _Found(p, f"position {p}: inserted (an event with no link in the chain)")
        if not has_event:
            raise _Found(p, f"position {p}: deleted (its link in the chain remains)")
        link_prev = int(row["prev_position"])
        if link_prev > prev_position and prev_position:
            raise _Found(
                link_prev,
                f"position {link_prev}: deleted (the link at {p} follows it, "
                f"the log goes from {prev_position} to {p})",
            )
        if link_prev > prev_position:
            raise _Found(
                link_prev,
                f"position {link_prev}: deleted (the link at {p} follows it, "
                f"the log goes from its start to {p})",
            )
        if link_prev < prev_position and link_prev:
            raise _Found(
                prev_position,
                f"position {prev_position}: inserted (the link at {p} follows {link_prev})",
            )
        if link_prev < prev_position:
            raise _Found(
                prev_position,
                f"position {prev_position}: inserted (the link at {p} follows the start)",
            )
        event = stored_row(row)
        digest = event.digest()
        if digest != row["digest"]:
            moved = _moved_from(recorder, digest, p)
            if moved is not None:
                raise _Found(p, f"position {p}: reordered (it holds the event recorded at {moved})")
            raise _Found(p, f"position {p}: altered (the event does not match its link)")
        value = link_hash(p, prev_position, digest, prev_hash)
        if value != row["hash"]:
            raise _Found(p, f"position {p}: the chain was altered (its link does not follow)")
        while pending and pending[0].position == p:
            seal = pending.pop(0)
            if seal.hash != value and last_good_seal:
                after = last_good_seal + 1
                raise _Found(
                    p,
                    f"{seal.label()}: the chain at {p} is not what was sealed: the log was "
                    f"rewritten between {after} and {p}",
                )
            if seal.hash != value:
                raise _Found(
                    p,
                    f"{seal.label()}: the chain at {p} is not what was sealed: the log was "
                    f"rewritten at or before {p}",
                )
            last_good_seal = p
            result.seals.append({"seal": seal.label(), "ok": True})
        result.checked += 1
        result.first = result.first or p
        result.last = p
        prev_position, prev_hash = p, value
    result.head_hash = prev_hash if prev_position else None
    if pending:
        seal = pending[0]
        first = prev_position + 1
        raise _Found(
            first,
            f"truncated: events from position {first} on were deleted (the log "
            f"ends at {prev_position}, but {seal.label()} pins position {seal.position})",
        )


def _rows(recorder: AuditRecorder, after: int, in_memory: bool) -> Iterator[Any]:
    """The audit rows after ``after``; in memory, each event carries its computed link."""
    if not in_memory:
        yield from _audit_rows(recorder, after)
        return
    sql = recorder.chain_sql
    prev = (after, GENESIS)
    while True:
        with recorder.audit_transaction(write=False) as curs:
            curs.execute(sql.events_between, (prev[0], 2**62, PAGE))
            rows = [stored_row(r) for r in curs.fetchall()]
        for r in rows:
            digest = r.digest()
            value = link_hash(r.position, prev[0], digest, prev[1])
            yield {
                "position": r.position,
                "originator_id": r.originator_id,
                "originator_version": r.version,
                "topic": r.topic,
                "state": r.state,
                "prev_position": prev[0],
                "digest": digest,
                "hash": value,
            }
            prev = (r.position, value)
        if len(rows) < PAGE:
            return


def seal_log(recorder: AuditRecorder, key: Ed25519PrivateKey, actor: str) -> Seal:
    """Sign the chain head and record the seal. The log since the last seal is verified
    first: a seal never pins an altered chain."""
    ensure_chained(recorder)
    seals = stored_seals(recorder)
    since = max((s.position for s in seals), default=0)
    check = verify_log(recorder, start=since + 1 if since else 1)
    if not check.ok:
        raise LogAltered(f"not sealed: {check.problem}")
    with recorder.audit_transaction(write=True) as curs:
        found = head(curs, recorder.chain_sql)
        if found is None:
            raise RuleViolated("the log is empty: there is nothing to seal")
        position, value = found
        public = key.public_key()
        unsigned = Seal(
            recorder.store_id(),
            position,
            value,
            datetime.now(UTC).isoformat(timespec="microseconds"),
            key_id(public),
            actor,
            public_pem(public),
            "",
        )
        signature = base64.b64encode(key.sign(unsigned.message())).decode("ascii")
        sql = recorder.chain_sql
        curs.execute(
            sql.q(
                f"INSERT INTO {sql.seals} (position, hash, sealed_at, key_id, public_key, "
                "signature, actor) VALUES (?, ?, ?, ?, ?, ?, ?)"
            ),
            (
                position,
                value,
                unsigned.sealed_at,
                unsigned.key_id,
                unsigned.public_key,
                signature,
                actor,
            ),
        )
        curs.execute(sql.q(f"SELECT max(seal_id) AS n FROM {sql.seals}"))
        seal_id = int(curs.fetchone()["n"])
    return Seal(**{**asdict(unsigned), "signature": signature, "seal_id": seal_id})
