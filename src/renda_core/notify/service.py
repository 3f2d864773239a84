"""The notifier: derive the outbox from the log, tick the clock, deliver.

``Notifier(app, pm)`` is what ``renda deliver`` / ``renda clock`` / ``renda inbox`` /
``renda contact`` drive, and what an embedding system runs in its own process.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pluggy
import tenacity
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from renda_core.application.app import Renda, store_errors
from renda_core.application.outage import LONGEST, OutagePauses, Unavailable
from renda_core.domain.calendar import CalendarYearUnknown
from renda_core.domain.contact import Contact, check_recipient, contact_id
from renda_core.domain.deadlines import DEADLINE_LABELS
from renda_core.domain.errors import (
    ConcurrentModification,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolated,
    StoreUnavailable,
)
from renda_core.domain.reminder import URGE, Reminder, reminder_id
from renda_core.domain.suggestion import OFFICE, open_deadlines
from renda_core.domain.values import Actor
from renda_core.notify import clock
from renda_core.notify.channels import (
    AppriseChannel,
    InboxChannel,
    SmtpChannel,
    WebhookChannel,
    scrub,
)
from renda_core.notify.messages import Channel, DeliveryFailed, Message
from renda_core.notify.outbox import DEAD, PENDING, SENT, Outbox
from renda_core.notify.rules import BUILTIN_RULES, Draft, Rule
from renda_core.notify.templates import record_url, render
from renda_core.projections.runner import ProjectionRunner

ENDED = {"closed", "withdrawn", "not_accepted"}
#: the office's own deadlines (assignment) in the digest
DIGEST_OFFICE = ("代表工作机构（交办）", "the office (assignment)")
#: an apprise URL template with ``{phone}`` for texting citizens who opted in
CITIZEN_SMS_ENV = "RENDA_CITIZEN_SMS"


def message_key(rule: str, source: str, recipient: str, address: str) -> str:
    """The idempotency key: rule, the event (record id/version; a clock reminder is an
    event too) and a digest of recipient and address — ASCII, to travel in headers."""
    digest = hashlib.sha256(f"{recipient}\n{address}".encode()).hexdigest()[:16]
    return f"{rule}:{source}:{digest}"


def collect_channels(pm: pluggy.PluginManager | None) -> list[Channel]:
    found: list[Channel] = []
    if pm is not None:
        pm.hook.renda_register_channels(register=found.append)
    return found


def collect_rules(pm: pluggy.PluginManager | None) -> list[Rule]:
    rules: list[Rule] = list(BUILTIN_RULES)
    if pm is not None:
        pm.hook.renda_register_notification_rules(register=rules.append)
    names = [r.name for r in rules]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"two notification rules are named {twice[0]!r}")
    return rules


@dataclass
class DeliveryRun:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    keys: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sent": self.sent, "retried": self.retried, "dead": self.dead}


def urgings_by_unit(app: Renda, suggestion_id: str) -> dict[str, int]:
    """How many 催办 the clock issued for a suggestion, by the unit urged ("已催办 2 次"),
    read from the recorded ``Reminder.Issued`` events."""
    counts: dict[str, int] = {}
    pos = 0
    with store_errors("cannot read the event log"):
        while True:
            notes = app.recorder.select_notifications(
                pos, 1000, inclusive_of_start=False, topics=("renda:Reminder.Issued",)
            )
            if not notes:
                return dict(sorted(counts.items()))
            for n in notes:
                ev: Any = app.mapper.to_domain_event(n)
                if str(ev.suggestion_id) == str(suggestion_id) and ev.kind == URGE:
                    counts[ev.owner] = counts.get(ev.owner, 0) + 1
            pos = notes[-1].id


def _tracking(n: Any, track: list[str], untrack: list[str]) -> None:
    """The suggestions whose running deadlines the clock watches: from their events."""
    if n.topic.startswith("renda:Suggestion."):
        sid = str(n.originator_id)
        ended = n.topic.rsplit(".", 1)[1] in ("Closed", "Withdrawn", "NotAccepted")
        (untrack if ended else track).append(sid)


class _Context:
    def __init__(self, app: Renda) -> None:
        self.app = app
        self._cache: dict[tuple[str, int], dict[str, Any]] = {}

    def suggestion(self, event: Any) -> dict[str, Any]:
        key = (str(event.originator_id), int(event.originator_version))
        if key not in self._cache:
            with store_errors("cannot load"):
                agg: Any = self.app.repository.get(
                    event.originator_id, version=event.originator_version
                )
            self._cache[key] = agg.to_dict()
        return self._cache[key]

    def suggestion_of(self, suggestion_id: str) -> dict[str, Any]:
        return self.app.suggestion(suggestion_id)

    def record(self, event: Any) -> Any:
        with store_errors("cannot load"):
            return self.app.repository.get(event.originator_id, version=event.originator_version)


class Notifier:
    """Rules, outbox, clock and channels over one opened store."""

    def __init__(
        self,
        app: Renda,
        pm: pluggy.PluginManager | None = None,
        *,
        lang: str = "zh",
        channels: Sequence[Channel] | None = None,
        now: Callable[[], datetime] | None = None,
        max_attempts: int = 8,
        backoff: float = 30.0,
        backoff_max: float = 6 * 3600.0,
        lease: float = 300.0,
        runner: ProjectionRunner | None = None,
    ) -> None:
        self.app = app
        self._runner = runner
        self.pm = pm
        self.lang = lang
        self.outbox = Outbox(app)
        self.rules = collect_rules(pm)
        plugged = list(channels) if channels is not None else collect_channels(pm)
        builtin: list[Channel] = [
            InboxChannel(lambda m: self.outbox.put_inbox(m, self.now())),
            SmtpChannel(),
            WebhookChannel(),
            AppriseChannel(),
        ]
        self.channels = [*plugged, *builtin]
        self.now = now or (lambda: datetime.now(UTC))
        self.max_attempts = max_attempts
        self.wait = tenacity.wait_exponential(multiplier=backoff, max=backoff_max)
        self.lease = lease

    # -- recipients -----------------------------------------------------------------

    def addresses(self, recipient: str) -> list[str]:
        """Where a recipient's messages go: the inbox, then every recorded address."""
        out = [f"inbox:{recipient}"]
        contact = self._contact(recipient)
        if contact is not None:
            out += contact.routes()
        return out

    def _contact(self, recipient: str) -> Contact | None:
        if not recipient.startswith(("unit:", "deputy:")):
            return None
        try:
            with store_errors("cannot load"):
                found: Any = self.app.repository.get(contact_id(recipient))
        except AggregateNotFoundError:
            return None
        return cast(Contact, found)

    def contact(self, recipient: str, *, reveal: bool = False) -> dict[str, Any]:
        check_recipient(recipient)
        found = self._contact(recipient)
        if found is None:
            raise NotFound(f"no contact addresses recorded for {recipient}")
        return found.to_dict(reveal=reveal)

    def set_contact(
        self, recipient: str, kind: str, value: str | None, *, on: date, actor: Actor
    ) -> bool:
        """Record or correct (``None``: remove) one address; False if unchanged."""
        if actor.role != "staff":
            raise Forbidden(f"recording contact addresses needs the role staff, not {actor.role}")
        check_recipient(recipient)
        contact = self._contact(recipient) or Contact(recipient=recipient, on=on, actor=actor)
        contact.set(kind=kind, value=value, on=on, actor=actor)
        if not contact.pending_events:
            return False
        try:
            self.app._save(contact)
        except ConcurrentModification:
            raise
        return True

    # -- deriving -------------------------------------------------------------------

    def head(self) -> int:
        with store_errors("cannot read the event log"):
            return int(self.app.recorder.max_notification_id() or 0)

    def start_at(self, since: str) -> dict[str, Any]:
        """Start a fresh outbox at ``since`` (``now``: the log's head, or a position):
        the events up to it derive no messages — the past is not sent — but the clock
        still watches their running deadlines. Refused once the outbox has started."""
        head = self.head()
        if since == "now":
            position = head
        elif since.isdigit() and int(since) <= head:
            position = int(since)
        else:
            raise InvalidInput(
                f"--since '{since}' is not 'now' or a log position from 0 to {head}",
                [{"field": "since", "message": f"'now' or 0–{head}"}],
            )
        started = self.outbox.started()
        if started is None:
            track: list[str] = []
            untrack: list[str] = []
            pos = 0
            while pos < position:
                with store_errors("cannot read the event log"):
                    notes = self.app.recorder.select_notifications(
                        pos, 1000, inclusive_of_start=False
                    )
                notes = [n for n in notes if n.id <= position]
                if not notes:
                    break
                for n in notes:
                    _tracking(n, track, untrack)
                pos = notes[-1].id
            ended = set(untrack)
            if self.outbox.start(
                position, now=self.now(), track=sorted(set(track) - ended), untrack=sorted(ended)
            ):
                return self.outbox.started() or {}
            started = self.outbox.started() or {}
        raise RuleViolated(
            f"the outbox started at log position {started.get('position', 0)} already: "
            "--since applies only to the first run"
        )

    def derive(self, batch: int = 500) -> int:
        """Add the messages of every event after the outbox's position; returns how
        many messages were new."""
        by_topic: dict[str, list[Rule]] = {}
        for rule in self.rules:
            for topic in rule.topics:
                by_topic.setdefault(topic, []).append(rule)
        total = 0
        while True:
            since = self.outbox.derived_position()
            with store_errors("cannot read the event log"):
                notes = self.app.recorder.select_notifications(
                    since, batch, inclusive_of_start=False
                )
            if not notes:
                return total
            ctx = _Context(self.app)
            messages: list[Message] = []
            track: list[str] = []
            untrack: list[str] = []
            for n in notes:
                _tracking(n, track, untrack)
                rules = by_topic.get(n.topic)
                if not rules:
                    continue
                event = self.app.mapper.to_domain_event(n)
                for rule in rules:
                    for draft in rule.drafts(event, n.topic, ctx):
                        messages += self._messages(
                            rule.name, str(n.originator_id), n.originator_version, n.id, draft
                        )
            untracked = set(untrack)
            added = self.outbox.add(
                messages,
                since=since,
                upto=notes[-1].id,
                now=self.now(),
                track=sorted(set(track) - untracked),
                untrack=sorted(untracked),
            )
            total += max(added, 0)

    def _messages(
        self, rule: str, originator: str, version: int, position: int, draft: Draft
    ) -> list[Message]:
        source = f"{originator}/{version}" if version else originator
        values = {**draft.values, "record_id": draft.record_id, "recipient": draft.recipient}
        subject, body, link = render(self.pm, draft.template, self.lang, values)
        out = []
        kind, _, name = draft.recipient.partition(":")
        data = {"recipient_name": name} if kind == "unit" else {}  # e-mail display name
        addresses = self.addresses(draft.recipient)
        sms = os.environ.get(CITIZEN_SMS_ENV, "")
        if draft.recipient.startswith("citizen:") and sms and draft.values.get("phone"):
            addresses.append("apprise:" + sms.replace("{phone}", str(draft.values["phone"])))
        for address in addresses:
            if draft.via and not address.startswith(draft.via):
                continue
            out.append(
                Message(
                    key=message_key(rule, source, draft.recipient, address),
                    rule=rule,
                    recipient=draft.recipient,
                    address=address,
                    subject=subject,
                    body=body,
                    record_id=draft.record_id,
                    link=link,
                    position=position,
                    data=data,
                )
            )
        return out

    # -- the clock ------------------------------------------------------------------

    def tick(self, on: date, actor: Actor) -> list[dict[str, Any]]:
        """Issue the reminders and 催办 due on ``on`` as events (each at most once);
        returns what was issued now."""
        self.derive()
        calendar = self.app.work_calendar()
        issued: list[Reminder] = []
        for sid in self.outbox.tracked():
            try:
                doc = self.app.suggestion(sid)
            except NotFound:
                continue
            if doc["status"] in ENDED:
                continue
            for entry in open_deadlines(doc):
                due = date.fromisoformat(entry["due"])
                try:
                    reached = clock.latest(calendar, due, on)
                except CalendarYearUnknown:
                    continue  # never guess: the year's arrangement is not known yet
                if reached is None:
                    continue
                threshold, kind, number = reached
                owner, deadline = str(entry["owner"]), str(entry["deadline"])
                if entry.get("commitment") is not None:
                    deadline = f"{deadline}#{entry['commitment']}"
                rid = reminder_id(sid, deadline, owner, due, threshold)
                if rid in self.app.existing_aggregates([rid]):
                    continue
                if kind == URGE:  # which 催办 of this deadline this is (missed weeks not counted)
                    earlier = [
                        reminder_id(sid, deadline, owner, due, f"overdue:{k}")
                        for k in range(1, number)
                    ]
                    number = 1 + len(self.app.existing_aggregates(earlier))
                issued.append(
                    Reminder(
                        suggestion_id=sid,
                        deadline=deadline,
                        owner=owner,
                        due=due,
                        threshold=threshold,
                        kind=kind,
                        number=number,
                        on=on,
                        actor=actor,
                    )
                )
        saved = []
        for reminder in issued:  # one write each: a concurrent tick's duplicate is skipped
            try:
                with store_errors("cannot save"):
                    self.app.save(reminder)
            except (ConcurrentModification, IntegrityError):
                continue
            saved.append(reminder)
        self.derive()
        return [
            {
                "suggestion": r.suggestion_id,
                "deadline": r.deadline,
                "owner": r.owner,
                "due": r.due.isoformat(),
                "threshold": r.threshold,
                "kind": r.kind,
            }
            for r in saved
        ]

    def digest(self, on: date) -> dict[str, Any] | None:
        """The staff's daily digest of ``on``: every running deadline overdue, or due
        within the first reminder's reach (10 working days), by the unit that owes it.
        Put in the outbox once per day (key ``staff.digest:digest/<day>``); None when
        nothing is due or overdue."""
        self.derive()  # the suggestions to look at are tracked while deriving
        calendar = self.app.work_calendar()
        reach = max(clock.BEFORE)
        units: dict[str, dict[str, Any]] = {}
        for sid in self.outbox.tracked():
            try:
                doc = self.app.suggestion(sid)
            except NotFound:
                continue
            if doc["status"] in ENDED:
                continue
            for entry in open_deadlines(doc):
                due = date.fromisoformat(entry["due"])
                if due < on:
                    which, days = "overdue", (on - due).days
                else:
                    try:
                        if clock.back_working_days(calendar, due, reach) > on:
                            continue
                    except CalendarYearUnknown:
                        continue
                    which, days = "due", (due - on).days
                owner = str(entry["owner"])
                unit = units.setdefault(
                    owner,
                    {
                        "name": DIGEST_OFFICE[0] if owner == OFFICE else owner,
                        "name_en": DIGEST_OFFICE[1] if owner == OFFICE else owner,
                        "overdue": [],
                        "due": [],
                    },
                )
                unit[which].append(
                    {
                        "id": doc["id"],
                        "number": doc.get("number"),
                        "title": doc["title"],
                        "deadline": entry["deadline"],
                        "label": DEADLINE_LABELS.get(entry["deadline"], entry["deadline"]),
                        "due": entry["due"],
                        "days": days,
                        "url": record_url(doc["id"]),
                    }
                )
        if not units:
            return None
        for unit in units.values():
            unit["overdue"].sort(key=lambda i: (i["due"], i["id"]))
            unit["due"].sort(key=lambda i: (i["due"], i["id"]))
        ordered = [units[k] for k in sorted(units, key=lambda k: (k == OFFICE, k))]
        values = {
            "on": on.isoformat(),
            "units": ordered,
            "overdue_count": sum(len(u["overdue"]) for u in ordered),
            "due_count": sum(len(u["due"]) for u in ordered),
        }
        draft = Draft("staff", "staff_digest", values, "")
        messages = self._messages("staff.digest", f"digest/{on.isoformat()}", 0, 0, draft)
        self.outbox.put(messages, now=self.now())
        counts = {u["name"]: {"overdue": len(u["overdue"]), "due": len(u["due"])} for u in ordered}
        return {k: values[k] for k in ("on", "overdue_count", "due_count")} | {"units": counts}

    def runner(self) -> ProjectionRunner | None:
        """The projections to watch (the given runner, else the plugins' projections)."""
        if self._runner is None and self.pm is not None:
            from renda_core.ports.plugins import collect_projections

            self._runner = ProjectionRunner(self.app, collect_projections(self.pm))
        return self._runner

    def notice_failures(self) -> int:
        """A notice to staff for each projection whose last catch-up failed (exit 9):
        once per view and error (key ``staff.projection:projection/<view>/<digest>``);
        returns how many notices are new. The error is recorded by whoever ran the
        catch-up (a report, ``projections catch-up``); this reads it."""
        runner = self.runner()
        if runner is None:
            return 0
        messages: list[Message] = []
        for st in runner.status():
            if not st.error:
                continue
            digest = hashlib.sha256(st.error.encode()).hexdigest()[:16]
            values = {"view": st.name, "position": st.position, "error": st.error}
            draft = Draft("staff", "projection_failed", values, "")
            source = f"projection/{st.name}/{digest}"
            messages += self._messages("staff.projection", source, 0, st.position, draft)
        return self.outbox.put(messages, now=self.now()) if messages else 0

    def urgings(self, suggestion_id: str) -> int:
        """How many 催办 were issued for a suggestion (from the log)."""
        return sum(urgings_by_unit(self.app, suggestion_id).values())

    # -- delivering -----------------------------------------------------------------

    def channel_for(self, address: str) -> Channel | None:
        for channel in self.channels:
            if address.startswith(tuple(channel.addresses)):
                return channel
        return None

    def backoff(self, attempt: int) -> float:
        state = SimpleNamespace(attempt_number=attempt)
        return float(self.wait(cast(Any, state)))

    def deliver(self, *, limit: int = 100) -> DeliveryRun:
        """Send every message due now once (failed ones are due again later)."""
        run = DeliveryRun()
        while True:
            rows = self.outbox.due(self.now(), limit)
            if not rows:
                return run
            for row in rows:
                self._send(row.message, row.attempts, row.next_at, run)

    def _send(self, m: Message, attempts: int, next_at: str, run: DeliveryRun) -> None:
        from renda_core.notify.outbox import OutboxRow

        row = OutboxRow(m, PENDING, attempts, next_at, None, None)
        if not self.outbox.claim(row, self.now() + timedelta(seconds=self.lease)):
            return
        attempt = attempts + 1
        channel = self.channel_for(m.address)
        try:
            if channel is None:
                raise DeliveryFailed(f"no channel takes the address {m.address}", permanent=True)
            receipt = channel.send(m)
        except DeliveryFailed as exc:
            exc = DeliveryFailed(
                scrub(str(exc), m.address), permanent=exc.permanent, retry_after=exc.retry_after
            )
            now = self.now()
            if exc.permanent or attempt >= self.max_attempts:
                self.outbox.outcome(
                    m.key, attempt=attempt, status=DEAD, outcome="dead", detail=str(exc), now=now
                )
                run.dead += 1
                return
            delay = self.backoff(attempt)
            if exc.retry_after is not None:
                delay = max(delay, exc.retry_after)
            self.outbox.outcome(
                m.key,
                attempt=attempt,
                status=PENDING,
                outcome="retry",
                detail=str(exc),
                now=now,
                next_at=now + timedelta(seconds=delay),
            )
            run.retried += 1
            return
        except Exception as exc:  # a channel's bug: retried, then a dead letter
            now = self.now()
            detail = scrub(f"{type(exc).__name__}: {exc}", m.address)
            dead = attempt >= self.max_attempts
            self.outbox.outcome(
                m.key,
                attempt=attempt,
                status=DEAD if dead else PENDING,
                outcome="dead" if dead else "retry",
                detail=detail,
                now=now,
                next_at=now + timedelta(seconds=self.backoff(attempt)),
            )
            run.dead += dead
            run.retried += not dead
            return
        self.outbox.outcome(
            m.key,
            attempt=attempt,
            status=SENT,
            outcome="sent",
            detail=receipt.detail,
            now=self.now(),
        )
        run.sent += 1
        run.keys.append(m.key)

    #: the longest pause between passes while the store is unavailable (seconds)
    MAX_OUTAGE_PAUSE = LONGEST

    def follow(
        self,
        *,
        actor: Actor,
        poll: float = 5.0,
        today: Callable[[], date],
        stop: Callable[[], bool] = lambda: False,
        wait: Callable[[float], object] = time.sleep,
        unavailable: Unavailable | None = None,
    ) -> None:
        """Derive, tick once a day, deliver, ``wait(poll)``: until ``stop()`` (checked
        after each pass; a ``wait`` that returns early, such as a stop event's
        :meth:`threading.Event.wait`, ends the pause at once).

        A pass the store cannot serve (:class:`StoreUnavailable`: the database server
        restarting, the network down, the disk full) does not end the loop: it is tried
        again after a pause that doubles from ``poll`` (at least a second) up to
        :attr:`MAX_OUTAGE_PAUSE` (:class:`~renda_core.application.outage.OutagePauses`),
        and ``unavailable(error, pause)`` is told of each failure. Every part of a pass
        may run again (each reminder, digest and message is put once, a message sent is
        marked so). Any other error ends the loop."""
        ticked: date | None = None
        pauses = OutagePauses(poll, self.MAX_OUTAGE_PAUSE)
        while not stop():
            try:
                day = today()
                if ticked != day:
                    self.tick(day, actor)
                    self.digest(day)
                    ticked = day
                self.derive()
                self.notice_failures()
                self.deliver()
            except StoreUnavailable as error:
                pause = pauses.next()
                if unavailable is not None:
                    unavailable(error, pause)
                if not stop():
                    wait(pause)
                continue
            pauses.reset()
            if not stop():
                wait(poll)


__all__ = [
    "DEAD",
    "PENDING",
    "SENT",
    "DeliveryRun",
    "InvalidInput",
    "Notifier",
    "urgings_by_unit",
]
