"""Suggestion (代表建议): from draft to closure, with its statutory clock.

Lifecycle (see ``docs/suggestions.md`` for the diagram)::

    draft ⇄ presubmitted → submitted → accepted → assigned → replied → evaluated → closed
                               ↘ converted (不予立案, 转来信)      ↖ rehandling ↙
    draft / presubmitted / submitted / accepted → withdrawn

Command methods check the rules and raise :class:`RuleViolated`; only then do they
call the event-decorated methods, whose bodies are replayed on load and stay
deterministic. Due dates are computed by the command from the :class:`Clock` it is
given and recorded in the event, so replay never consults a policy or a calendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.calendar import CalendarYearUnknown, WorkCalendar
from renda_core.domain.deadlines import Clock, PendingDue, Period
from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, ContactForm, Labelled


class Status(Labelled):
    """Where a suggestion is in its lifecycle."""

    DRAFT = "draft", "草稿"
    PRESUBMITTED = "presubmitted", "预提交审查中"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已立案"
    CONVERTED = "converted", "不予立案（转来信处理）"
    WITHDRAWN = "withdrawn", "已撤回"
    ASSIGNED = "assigned", "已交办办理中"
    REPLIED = "replied", "已答复"
    EVALUATED = "evaluated", "已评价"
    REHANDLING = "rehandling", "重新办理中"
    CLOSED = "closed", "已办结"


class Channel(Labelled):
    """When the suggestion was raised."""

    SESSION = "session", "大会期间"
    RECESS = "recess", "闭会期间"


class Source(Labelled):
    """Where the suggestion came from."""

    SESSION = "session", "代表大会"
    FORUM = "forum", "列席代表座谈会"
    STATION = "station", "代表家站"
    BULLETIN = "bulletin", "《人大代表之声》"
    RESEARCH = "research", "视察调研"
    OTHER = "other", "其他"


class ExclusionReason(Labelled):
    """Why a submission is not accepted as a suggestion (不予立案), and becomes a letter."""

    PERSONAL = "personal", "涉及个人私事"
    COURT_CASE = "court_case", "具体司法案件"
    OUTSIDE_JURISDICTION = "outside_jurisdiction", "不属于本级职权范围"
    NO_CONTENT = "no_content", "无实质内容"
    DUPLICATE = "duplicate", "与已立案建议重复"
    OTHER = "other", "其他"


class Rating(Labelled):
    """A deputy's rating of a reply (attitude and result are rated separately)."""

    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class ReviewOutcome(Labelled):
    """What pre-submission review (预提交审查) says."""

    RETURNED = "returned", "退回修改"
    CLEARED = "cleared", "可以提交"


POSITIVE = frozenset({Rating.SATISFIED.value, Rating.BASICALLY_SATISFIED.value})
OFFICE = "office"  # deadlines owed by the deputy-affairs office (代表工作机构)

BEFORE_ASSIGNMENT = frozenset(
    {Status.DRAFT, Status.PRESUBMITTED, Status.SUBMITTED, Status.ACCEPTED}
)
EDITABLE = frozenset({Status.DRAFT, Status.PRESUBMITTED})
HANDLING = frozenset(
    {Status.ASSIGNED, Status.REPLIED, Status.EVALUATED, Status.REHANDLING, Status.CLOSED}
)
AFTER_REPLY = frozenset({Status.REPLIED, Status.EVALUATED, Status.REHANDLING, Status.CLOSED})
OPEN_CASE = frozenset(
    {Status.ACCEPTED, Status.ASSIGNED, Status.REPLIED, Status.EVALUATED, Status.REHANDLING}
)


class Suggestion(Aggregate):
    """A deputy's suggestion, criticism or opinion (代表建议、批评和意见)."""

    TOPIC = "renda:Suggestion"

    class Event(Aggregate.Event):
        TOPIC = "renda:Suggestion.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Suggestion.Created"

    #: decisions not to disclose a reply (不宜公开), by round; a class default, so
    #: suggestions recorded (and snapshots taken) before the decision existed load too
    withholdings: tuple[dict[str, Any], ...] = ()
    #: the congress session (``domain/session.py``) whose close set the assignment due date
    session_id: str | None = None
    #: the motion (议案, ``domain/motion.py``) not put on the agenda and handled as this
    motion_id: str | None = None

    if TYPE_CHECKING:  # defined by the @event decorators below
        Drafted: ClassVar[type[Aggregate.Event]]
        Revised: ClassVar[type[Aggregate.Event]]
        CosignerInvited: ClassVar[type[Aggregate.Event]]
        Cosigned: ClassVar[type[Aggregate.Event]]
        CosignDeclined: ClassVar[type[Aggregate.Event]]
        Presubmitted: ClassVar[type[Aggregate.Event]]
        Reviewed: ClassVar[type[Aggregate.Event]]
        Submitted: ClassVar[type[Aggregate.Event]]
        Accepted: ClassVar[type[Aggregate.Event]]
        NotAccepted: ClassVar[type[Aggregate.Event]]
        Assigned: ClassVar[type[Aggregate.Event]]
        AssignmentObjected: ClassVar[type[Aggregate.Event]]
        Reassigned: ClassVar[type[Aggregate.Event]]
        ObjectionDenied: ClassVar[type[Aggregate.Event]]
        CoOpinionSent: ClassVar[type[Aggregate.Event]]
        Extended: ClassVar[type[Aggregate.Event]]
        ExtensionRequested: ClassVar[type[Aggregate.Event]]
        ExtensionDecided: ClassVar[type[Aggregate.Event]]
        DueDatesComputed: ClassVar[type[Aggregate.Event]]
        PartReplied: ClassVar[type[Aggregate.Event]]
        ContactRecorded: ClassVar[type[Aggregate.Event]]
        Replied: ClassVar[type[Aggregate.Event]]
        Evaluated: ClassVar[type[Aggregate.Event]]
        RehandlingOrdered: ClassVar[type[Aggregate.Event]]
        CommitmentMade: ClassVar[type[Aggregate.Event]]
        CommitmentDelivered: ClassVar[type[Aggregate.Event]]
        Supervised: ClassVar[type[Aggregate.Event]]
        OpinionLinked: ClassVar[type[Aggregate.Event]]
        MotionLinked: ClassVar[type[Aggregate.Event]]
        Disclosed: ClassVar[type[Aggregate.Event]]
        DisclosureWithheld: ClassVar[type[Aggregate.Event]]
        SessionAssignmentDue: ClassVar[type[Aggregate.Event]]
        Withdrawn: ClassVar[type[Aggregate.Event]]
        Closed: ClassVar[type[Aggregate.Event]]
        HandledTogether: ClassVar[type[Aggregate.Event]]
        IncludedInBulletin: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        """A random id, or the one an importer assigned (see ``domain/ids.py``)."""
        return new_id()

    # -- commands: drafting -------------------------------------------------------

    @classmethod
    def draft(
        cls,
        *,
        title: str,
        body: str,
        category: str | None,
        channel: Channel,
        source: Source,
        lead_deputy: str | None,
        lead_name: str | None,
        area: str,
        level: str,
        on: date,
        actor: Actor,
        session: str | None = None,
    ) -> Suggestion:
        """Draft a suggestion led by ``lead_deputy`` (领衔代表)."""
        if source is Source.SESSION and channel is not Channel.SESSION:
            raise RuleViolated("a suggestion from the congress session is a session suggestion")
        return cls(
            title=title,
            body=body,
            category=category,
            channel=Channel.of(channel).value,
            source=Source.of(source).value,
            lead_deputy=lead_deputy,
            lead_name=lead_name,
            area=area,
            level=level,
            session=session,
            on=on,
            actor=actor,
        )

    def revise(
        self,
        *,
        title: str | None,
        body: str | None,
        category: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        """Revise the text before submission (e.g. after review comments)."""
        self._check_status(EDITABLE, "revise the text")
        self._check_on(on)
        changes = {
            k: v
            for k, v in {"title": title, "body": body, "category": category}.items()
            if v is not None and getattr(self, k) != v
        }
        if not changes:
            raise RuleViolated("nothing to revise: the text is already as given")
        self._revised(changes=changes, on=on, actor=actor)

    def invite(self, *, deputy_id: str, name: str | None, on: date, actor: Actor) -> None:
        """Invite a deputy to co-sign (附议); only active deputies (checked by the caller)."""
        self._check_status(EDITABLE, "invite a co-signer")
        self._check_on(on)
        if deputy_id == self.lead_deputy:
            raise RuleViolated("the lead deputy cannot co-sign their own suggestion")
        if deputy_id in self.cosigners:
            state = self.cosigners[deputy_id]["state"]
            raise RuleViolated(f"deputy {deputy_id} is already {state} as co-signer")
        self._cosigner_invited(deputy_id=deputy_id, name=name, on=on, actor=actor)

    def cosign(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        """The invited deputy confirms co-signing (附议)."""
        self._check_status(EDITABLE, "co-sign")
        self._check_invited(deputy_id)
        self._check_on(on)
        self._cosigned(deputy_id=deputy_id, on=on, actor=actor)

    def decline(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        """The invited deputy declines to co-sign."""
        self._check_status(EDITABLE, "decline co-signing")
        self._check_invited(deputy_id)
        self._check_on(on)
        self._cosign_declined(deputy_id=deputy_id, on=on, actor=actor)

    def presubmit(self, *, on: date, actor: Actor) -> None:
        """Send the draft for pre-submission review (预提交)."""
        self._check_status({Status.DRAFT}, "send for pre-submission review")
        self._check_on(on)
        self._presubmitted(on=on, actor=actor)

    def review(
        self, *, outcome: ReviewOutcome, comment: str, reviewer: str, on: date, actor: Actor
    ) -> None:
        """Record reviewers' comments; the draft goes back to the deputy."""
        self._check_status({Status.PRESUBMITTED}, "review")
        self._check_on(on)
        self._reviewed(
            outcome=ReviewOutcome.of(outcome).value,
            comment=comment,
            reviewer=reviewer,
            on=on,
            actor=actor,
        )

    def submit(self, *, on: date, clock: Clock, actor: Actor) -> None:
        """Formally submit; invitations not confirmed lapse."""
        self._check_status({Status.DRAFT}, "submit")
        self._check_on(on)
        if self.reviews and self.reviews[-1]["outcome"] == ReviewOutcome.RETURNED.value:
            last = self.reviews[-1]["on"]
            if not any(r["on"] >= last for r in self.revisions):
                raise RuleViolated(
                    f"the review of {last} returned the draft for revision; revise it first"
                )
        dues: dict[str, date | None] = {}
        pending: dict[str, Any] = {}
        if self.channel == Channel.RECESS:
            _attempt(dues, pending, "assignment_due", clock, clock.policy.assignment, on)
        lapsed = sorted(d for d, c in self.cosigners.items() if c["state"] == "invited")
        self._submitted(
            assignment_due=dues.get("assignment_due"),
            lapsed=lapsed,
            policy=clock.policy.name,
            pending=pending,
            on=on,
            actor=actor,
        )

    # -- commands: acceptance and assignment --------------------------------------

    def accept(self, *, number: str | None, on: date, actor: Actor) -> None:
        """Accept (立案)."""
        self._check_status({Status.SUBMITTED}, "accept")
        self._check_on(on)
        self._accepted(number=number, on=on, actor=actor)

    def reject(self, *, reason: ExclusionReason, explanation: str, on: date, actor: Actor) -> None:
        """Do not accept (不予立案): it is handled as a letter from then on."""
        self._check_status({Status.SUBMITTED}, "decide not to accept")
        self._check_on(on)
        if not explanation.strip():
            raise RuleViolated("not accepting a suggestion needs an explanation to the deputy")
        self._not_accepted(
            reason=ExclusionReason.of(reason).value, explanation=explanation, on=on, actor=actor
        )

    def assign(
        self,
        *,
        lead_unit: str,
        co_units: Sequence[str],
        complex_: bool,
        on: date,
        clock: Clock,
        actor: Actor,
        via_bulletin: str | None = None,
        parts: Sequence[str] = (),
    ) -> None:
        """Assign (交办) to a lead unit (主办) and any co-handling units (协办).

        With ``parts`` (分办), the suggestion is split between the lead unit and those
        further lead units, each replying for its part."""
        self._check_status({Status.ACCEPTED}, "assign")
        self._check_on(on)
        units = self._check_units(lead_unit, co_units, parts)
        dues, pending = self._clock_dates(on, clock, complex_, units)
        self._assigned(
            lead_unit=lead_unit,
            co_units=units,
            complex=complex_,
            **dues,
            policy=clock.policy.name,
            via_bulletin=via_bulletin,
            pending=pending,
            parts=list(parts),
            on=on,
            actor=actor,
        )

    def object_to_assignment(self, *, unit: str, reason: str, on: date, actor: Actor) -> None:
        """A unit asks for the assignment to be adjusted (申请调整), within its window."""
        self._check_status({Status.ASSIGNED}, "object to the assignment")
        self._check_unit(unit)
        self._check_on(on)
        if self.objection_until is not None and on > self.objection_until:
            raise RuleViolated(
                f"the objection window closed on {self.objection_until}: the assignment is locked"
            )
        if unit in self.objections:
            state = self.objections[unit]["state"]
            raise RuleViolated(f"{unit} has already objected to this assignment ({state})")
        if not reason.strip():
            raise RuleViolated("an objection needs a reason")
        self._objected(unit=unit, reason=reason, on=on, actor=actor)

    def reassign(
        self,
        *,
        lead_unit: str,
        co_units: Sequence[str],
        complex_: bool,
        note: str | None,
        on: date,
        clock: Clock,
        actor: Actor,
        parts: Sequence[str] = (),
    ) -> None:
        """Grant the pending objections: assign anew. The clock restarts only for the
        units whose part changed: when only co-units change, the lead unit's due date
        (and its extensions) stay."""
        self._check_status({Status.ASSIGNED}, "reassign")
        pending = self.pending_objections
        if not pending:
            raise RuleViolated("reassignment answers an objection; no objection is pending")
        self._check_on(on)
        units = self._check_units(lead_unit, co_units, parts)
        same_parts = sorted(parts) == sorted(u for u in self.parts if u != self.lead_unit)
        if (
            lead_unit == self.lead_unit
            and units == self.co_units
            and complex_ == self.complex
            and same_parts
        ):
            raise RuleViolated("the new assignment is the same as the current one")
        lead_kept = lead_unit == self.lead_unit and complex_ == self.complex and same_parts
        kept_co = [u for u in units if u in self.co_units]
        dues, waiting = self._clock_dates(on, clock, complex_, units)
        if lead_kept:
            # only co-units changed: the lead unit's clock runs on (issue 10, item 6)
            dues.update(reply_due=self.reply_due, extension_limit=self.extension_limit)
            for key in ("reply_due", "extension_limit"):
                waiting.pop(key, None)
                if key in self.pending_dues:
                    waiting[key] = self.pending_dues[key]
        co_dues = dict(dues.pop("co_opinion_dues"))
        for unit in kept_co:  # a co-unit whose part did not change keeps its due date
            co_dues[unit] = self.co_opinion_dues.get(unit, self.co_opinion_due)
            waiting.pop(f"co_opinion_due:{unit}", None)
            if f"co_opinion_due:{unit}" in self.pending_dues:
                waiting[f"co_opinion_due:{unit}"] = self.pending_dues[f"co_opinion_due:{unit}"]
        restarted = ([] if lead_kept else [lead_unit]) + [u for u in units if u not in kept_co]
        self._reassigned(
            lead_unit=lead_unit,
            co_units=units,
            complex=complex_,
            granted=pending,
            note=note,
            **dues,
            co_opinion_dues=co_dues,
            restarted=restarted,
            policy=clock.policy.name,
            pending=waiting,
            parts=list(parts),
            on=on,
            actor=actor,
        )

    def deny_objection(self, *, unit: str, note: str, on: date, actor: Actor) -> None:
        """Deny a unit's objection: the assignment stands, the clock runs on."""
        self._check_status({Status.ASSIGNED}, "deny an objection")
        if unit not in self.pending_objections:
            raise RuleViolated(f"{unit} has no pending objection")
        self._check_on(on)
        if not note.strip():
            raise RuleViolated("denying an objection needs a note to the unit")
        self._objection_denied(unit=unit, note=note, on=on, actor=actor)

    def send_co_opinion(self, *, unit: str, text: str, on: date, actor: Actor) -> None:
        """A co-handling unit sends its opinion to the lead unit (协办意见)."""
        self._check_status({Status.ASSIGNED}, "send a co-handling opinion")
        if unit not in self.co_units:
            raise RuleViolated(f"{unit} is not a co-handling unit of this suggestion")
        if unit in self.co_opinions:
            raise RuleViolated(f"{unit} has already sent its opinion")
        self._check_on(on)
        due = self.co_opinion_dues.get(unit, self.co_opinion_due)
        # a due date still pending (calendar year missing) is not yet passed
        late = due is not None and on > due
        self._co_opinion_sent(unit=unit, text=text, late=late, on=on, actor=actor)

    def request_extension(
        self, *, unit: str, until: date, reason: str, on: date, clock: Clock, actor: Actor
    ) -> None:
        """The lead unit asks for more time (申请延期), with its reasons, before the due
        date; the office decides (:meth:`decide_extension`)."""
        self._check_status({Status.ASSIGNED}, "request an extension")
        if unit != self.lead_unit:
            raise RuleViolated(f"only the lead unit {self.lead_unit} requests an extension")
        self._check_on(on)
        if self.extension_request is not None:
            raise RuleViolated(
                f"an extension request of {self.extension_request['on']} awaits a decision"
            )
        self._check_extension(until, reason, on, clock, "requested")
        self._extension_requested(unit=unit, until=until, reason=reason, on=on, actor=actor)

    def decide_extension(
        self, *, grant: bool, note: str | None, on: date, clock: Clock, actor: Actor
    ) -> None:
        """The office grants or refuses the pending request (批准/不批准延期). A grant
        after the due date is refused: the reply is late and counted late."""
        self._check_status({Status.ASSIGNED}, "decide on an extension")
        request = self.extension_request
        if request is None:
            raise RuleViolated("no extension request awaits a decision")
        self._check_on(on)
        if grant:
            self._check_extension(request["until"], request["reason"], on, clock, "granted")
        elif not (note and note.strip()):
            raise RuleViolated("refusing an extension needs a note to the unit")
        self._extension_decided(
            granted=grant,
            until=request["until"] if grant else None,
            previous=self.reply_due,
            note=note,
            notify=self.addressees if grant else [],
            on=on,
            actor=actor,
        )

    def extend(self, *, until: date, reason: str, on: date, clock: Clock, actor: Actor) -> None:
        """The office extends the reply deadline on its own record (the deputy is told):
        the same rules as a granted request — before the due date, within the cap."""
        self._check_status({Status.ASSIGNED}, "extend the reply deadline")
        self._check_on(on)
        if self.extension_request is not None:
            raise RuleViolated("an extension request awaits a decision: decide it instead")
        self._check_extension(until, reason, on, clock, "granted")
        self._extended(
            until=until,
            previous=self.reply_due,
            reason=reason,
            notify=self.addressees,
            on=on,
            actor=actor,
        )

    def _check_extension(
        self, until: date, reason: str, on: date, clock: Clock, what: RefusalPhrase
    ) -> None:
        """Before the due date, past it, within the policy's total cap (Art. 51)."""
        if not reason.strip():
            raise RuleViolated("an extension needs a reason")
        due = self.reply_due
        if due is not None and on > due:
            raise RuleViolated(
                f"the reply was due on {due}: an extension cannot be {what} after the due "
                "date; the reply is late and counted late"
            )
        if due is not None and until <= due:
            raise RuleViolated(f"an extension must end after the current due date {due}")
        limit = self.extension_cap(clock)
        if limit is not None and until > limit:
            raise RuleViolated(
                f"an extension may run to {limit} at most (policy {clock.policy.name}: "
                f"{clock.policy.max_total} from 交办 on {self.assigned_on} in total, "
                "Deputies Law Art. 51); "
                f"{until} is past it"
            )

    def extension_cap(self, clock: Clock) -> date | None:
        """The last day an extension may reach: the recorded limit, the policy's total
        from 交办 and one extension's cap after the assigned due date, whichever is
        first (None while a calendar year it needs is missing)."""
        assert self.assigned_on is not None
        limits = [self.extension_limit] if self.extension_limit is not None else []
        for period, start in (
            (clock.policy.max_total, self.assigned_on),
            (clock.policy.extension_cap, self.reply_due_assigned),
        ):
            if start is not None:
                found, _ = clock.attempt(period, start)
                if found is not None:
                    limits.append(found)
        return min(limits) if limits else None

    def record_contact(
        self, *, unit: str, form: ContactForm, note: str | None, on: date, actor: Actor
    ) -> None:
        """A contact between a handling unit and the deputy (沟通联系)."""
        self._check_status(HANDLING - {Status.CLOSED}, "record a contact")
        self._check_unit(unit)
        self._check_on(on)
        self._contact_recorded(
            unit=unit, form=ContactForm.of(form).value, note=note, on=on, actor=actor
        )

    def reply(
        self, *, unit: str, result_class: str, text: str, on: date, clock: Clock, actor: Actor
    ) -> None:
        """The lead unit replies in writing to the lead deputy and every co-signer."""
        self._check_status({Status.ASSIGNED, Status.REHANDLING}, "reply")
        split = self.status is Status.ASSIGNED and bool(self.parts)
        if split:
            if unit not in self.parts:
                raise RuleViolated(
                    f"only the lead units {', '.join(self.parts)} reply; {unit} is not one"
                )
            if self.parts[unit]["replied_on"] is not None:
                raise RuleViolated(f"{unit} has already replied for its part")
        elif unit != self.lead_unit:
            raise RuleViolated(f"only the lead unit {self.lead_unit} replies; {unit} is not it")
        if self.pending_objections:
            units = ", ".join(self.pending_objections)
            raise RuleViolated(f"an objection to the assignment is pending: {units}")
        self._check_on(on)
        classes = clock.policy.result_classes
        if result_class not in classes:
            raise RuleViolated(
                f"result class '{result_class}' is not one of {', '.join(classes)} "
                f"(policy {clock.policy.name})"
            )
        if not text.strip():
            raise RuleViolated("a reply needs its text")
        round_ = len(self.replies) + 1
        if clock.policy.contact_before_reply and not any(
            c["on"] >= self.state_since and c["unit"] == unit for c in self.contacts
        ):
            raise RuleViolated(
                f"policy {clock.policy.name} needs a contact with the deputy before the reply"
            )
        due = self.reply_due if self.status is Status.ASSIGNED else self.rehandle_due
        dues: dict[str, date | None] = {}
        pending: dict[str, Any] = {}
        _attempt(dues, pending, "disclosure_due", clock, clock.policy.disclosure, on)
        on_time = None if due is None else on <= due
        if split:
            open_parts = [u for u, p in self.parts.items() if p["replied_on"] is None]
            if open_parts != [unit]:  # another part still owes its reply (分办)
                self._part_replied(
                    unit=unit,
                    result_class=result_class,
                    text=text,
                    due=due,
                    on_time=on_time,
                    on=on,
                    actor=actor,
                )
                return
            # the last part: the suggestion is replied; on time only if every part was
            others = [p["on_time"] for u, p in self.parts.items() if u != unit]
            if on_time is not None and all(o is not None for o in others):
                on_time = on_time and all(others)
        if due is None:  # the due date waits for a calendar year: so does on_time
            key = "reply_due" if self.status is Status.ASSIGNED else "rehandle_due"
            pending[f"on_time:{round_}"] = self.pending_dues[key]
        self._replied(
            unit=unit,
            round=round_,
            result_class=result_class,
            text=text,
            addressees=self.addressees,
            due=due,
            on_time=on_time,
            disclosure_due=dues["disclosure_due"],
            co_opinions_missing=[u for u in self.co_units if u not in self.co_opinions],
            pending=pending,
            on=on,
            actor=actor,
        )

    def evaluate(
        self,
        *,
        attitude: Rating,
        result: Rating,
        reason: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        """The lead deputy rates the handling attitude and the result separately."""
        self._check_status({Status.REPLIED}, "evaluate")
        if self.lead_deputy is None:
            raise RuleViolated("this suggestion has no lead deputy to evaluate it")
        self._check_on(on)
        dissatisfied = Rating.DISSATISFIED in (attitude, result)
        if dissatisfied and not (reason and reason.strip()):
            raise RuleViolated("an evaluation of 不满意 needs the reasons")
        self._evaluated(
            round=len(self.replies),
            attitude=Rating.of(attitude).value,
            result=Rating.of(result).value,
            reason=reason,
            on=on,
            actor=actor,
        )

    def rehandle(self, *, reason: str | None, on: date, clock: Clock, actor: Actor) -> None:
        """Order re-handling after a 不满意 evaluation (重新办理)."""
        self._check_status({Status.EVALUATED}, "order re-handling")
        last = self.evaluations[-1]
        if Rating.DISSATISFIED.value not in (last["attitude"], last["result"]):
            raise RuleViolated("re-handling follows a 不满意 evaluation; the last was not")
        if last["result"] != Rating.DISSATISFIED.value and not clock.policy.rehandle_on_attitude:
            raise RuleViolated(
                "re-handling is ordered on a 不满意 result; the deputy was dissatisfied with "
                "the attitude only: the unit contacts the deputy instead (suggestion contact) "
                f"(policy {clock.policy.name}: rehandle_on_attitude is off)"
            )
        if len(self.rehandlings) >= clock.policy.max_rehandlings:
            raise RuleViolated(
                f"policy {clock.policy.name} allows {clock.policy.max_rehandlings} "
                "re-handling(s); none is left"
            )
        self._check_on(on)
        dues: dict[str, date | None] = {}
        pending: dict[str, Any] = {}
        _attempt(dues, pending, "rehandle_due", clock, clock.policy.rehandling, on)
        self._rehandling_ordered(
            due=dues["rehandle_due"], reason=reason, pending=pending, on=on, actor=actor
        )

    def commit(self, *, text: str, due: date, on: date, clock: Clock, actor: Actor) -> None:
        """Record a dated commitment (承诺事项) of a B/C reply, tracked until delivered."""
        self._check_status(AFTER_REPLY, "record a commitment")
        result_class = self.replies[-1]["result_class"]
        if result_class not in clock.policy.commitment_classes:
            raise RuleViolated(
                f"commitments follow a reply of class "
                f"{'/'.join(sorted(clock.policy.commitment_classes))}; the reply is {result_class}"
            )
        if on < self.replies[-1]["on"]:
            raise RuleViolated(f"date {on} is before the reply ({self.replies[-1]['on']})")
        if due <= on:
            raise RuleViolated("a commitment's due date must be after the day it is made")
        self._commitment_made(
            number=len(self.commitments) + 1, text=text, due=due, on=on, actor=actor
        )

    def deliver(self, *, number: int, note: str | None, on: date, actor: Actor) -> None:
        """Record that a commitment was delivered (also after closure: across terms)."""
        if not 1 <= number <= len(self.commitments):
            raise RuleViolated(f"there is no commitment number {number}")
        commitment = self.commitments[number - 1]
        if commitment["delivered_on"] is not None:
            raise RuleViolated(
                f"commitment {number} was already delivered on {commitment['delivered_on']}"
            )
        if on < commitment["on"]:
            raise RuleViolated(f"date {on} is before the commitment ({commitment['on']})")
        self._commitment_delivered(
            number=number, note=note, on_time=on <= commitment["due"], on=on, actor=actor
        )

    def supervise(self, *, leader: str, note: str | None, on: date, actor: Actor) -> None:
        """Mark for priority supervision (重点督办) by a named leader."""
        self._check_status(OPEN_CASE, "put under priority supervision")
        if any(s["leader"] == leader for s in self.supervision):
            raise RuleViolated(f"{leader} already supervises this suggestion")
        self._check_on(on)
        self._supervised(leader=leader, note=note, on=on, actor=actor)

    def link_opinion(self, *, opinion_id: str, on: date, actor: Actor) -> None:
        """Record that a station opinion (社情民意) was escalated into this suggestion,
        the suggestion's side of the link (the opinion records the other)."""
        if opinion_id in self.opinions:
            raise RuleViolated(f"opinion {opinion_id} is already linked to this suggestion")
        self._check_since_draft(on)
        self._opinion_linked(opinion_id=opinion_id, on=on, actor=actor)

    def link_motion(self, *, motion_id: str, on: date, actor: Actor) -> None:
        """Record that this suggestion handles a motion (议案) the presidium did not put
        on the agenda: the suggestion's side of the link (the motion records the other)."""
        if self.motion_id is not None:
            raise RuleViolated(f"this suggestion already handles motion {self.motion_id}")
        self._check_since_draft(on)
        self._motion_linked(motion_id=motion_id, on=on, actor=actor)

    def disclose(self, *, text: str | None, on: date, actor: Actor) -> None:
        """Publish the latest reply, with contact details and secrets redacted."""
        self._check_status(AFTER_REPLY, "disclose the reply")
        reply = self.replies[-1]
        if any(d["round"] == reply["round"] for d in self.disclosures):
            raise RuleViolated(f"reply {reply['round']} is already disclosed")
        self._check_not_withheld(reply["round"])
        if on < reply["on"]:
            raise RuleViolated(f"date {on} is before the reply ({reply['on']})")
        published, redactions = redact(text if text is not None else reply["text"])
        due = reply["disclosure_due"]  # None while a calendar year is missing
        self._disclosed(
            round=reply["round"],
            text=published,
            redactions=redactions,
            on_time=on <= due if due is not None else None,
            on=on,
            actor=actor,
        )

    def set_session_assignment_due(
        self, *, session_id: str, due: date, policy: str, on: date, actor: Actor
    ) -> None:
        """The congress session it was submitted in closed on ``on``: it is to be
        assigned by ``due`` (the policy's ``session_assignment`` after the close)."""
        self._check_status({Status.SUBMITTED, Status.ACCEPTED}, "set a session assignment date")
        assert self.submitted_on is not None
        if on < self.submitted_on:
            raise RuleViolated(f"date {on} is before the submission ({self.submitted_on})")
        if due <= on:
            raise RuleViolated("the assignment due date must be after the session's close")
        self._session_assignment_due(
            session_id=session_id, assignment_due=due, policy=policy, on=on, actor=actor
        )

    def withhold_disclosure(self, *, reason: str, on: date, actor: Actor) -> None:
        """Decide that the latest reply is not to be disclosed (不宜公开), with the reason.

        The reply then never owes a disclosure (``open_deadlines`` drops it); a later
        reply (after re-handling) needs its own decision.
        """
        self._check_status(AFTER_REPLY, "decide not to disclose the reply")
        reply = self.replies[-1]
        if any(d["round"] == reply["round"] for d in self.disclosures):
            raise RuleViolated(f"reply {reply['round']} is already disclosed")
        self._check_not_withheld(reply["round"])
        if on < reply["on"]:
            raise RuleViolated(f"date {on} is before the reply ({reply['on']})")
        if not reason.strip():
            raise RuleViolated("a decision not to disclose (不宜公开) needs the reason")
        self._disclosure_withheld(round=reply["round"], reason=reason, on=on, actor=actor)

    def _check_not_withheld(self, round_: int) -> None:
        for w in self.withholdings:
            if w["round"] == round_:
                raise RuleViolated(f"reply {round_} was decided not to be disclosed on {w['on']}")

    def withdraw(self, *, consents: Iterable[str], statement: str, on: date, actor: Actor) -> None:
        """Withdraw in writing before assignment; a joint one needs every co-signer."""
        self._check_status(BEFORE_ASSIGNMENT, "withdraw (only before assignment)")
        self._check_on(on)
        if not statement.strip():
            raise RuleViolated("a withdrawal is made in writing: give the statement")
        given = set(consents)
        missing = [d for d in self.confirmed_cosigners if d not in given]
        if missing:
            raise RuleViolated(
                "a joint suggestion is withdrawn only with every co-signer's consent; "
                f"missing: {', '.join(missing)}"
            )
        strangers = sorted(given - set(self.confirmed_cosigners))
        if strangers:
            raise RuleViolated(f"not co-signers of this suggestion: {', '.join(strangers)}")
        self._withdrawn(
            consents=sorted(given),
            statement=statement,
            previous=self.status.value,
            on=on,
            actor=actor,
        )

    def close(self, *, note: str | None, on: date, actor: Actor) -> None:
        """Close the case (办结)."""
        self._check_status({Status.REPLIED, Status.EVALUATED}, "close")
        self._check_on(on)
        self._closed(note=note, on=on, actor=actor)

    def handle_together(self, *, others: Sequence[str], on: date, actor: Actor) -> None:
        """Handle with similar suggestions (并案); each still gets its own reply."""
        self._check_status(OPEN_CASE, "handle together with others")
        new = sorted(set(others) - set(self.handled_with) - {str(self.id)})
        if not new:
            raise RuleViolated("already handled together with those suggestions")
        self._check_on(on)
        self._handled_together(others=new, on=on, actor=actor)

    def note_bulletin(self, *, bulletin_id: str, item: int, on: date, actor: Actor) -> None:
        """Record that the bulletin carried this suggestion (linked both ways)."""
        if self.channel != Channel.RECESS:
            raise RuleViolated("the bulletin carries inter-session (闭会期间) suggestions only")
        self._check_status(
            {Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED}, "include it in a bulletin"
        )
        if any(b["bulletin_id"] == bulletin_id for b in self.bulletins):
            raise RuleViolated("this bulletin already carries the suggestion")
        self._check_since_draft(on)
        self._included_in_bulletin(bulletin_id=bulletin_id, item=item, on=on, actor=actor)

    # -- guards -----------------------------------------------------------------

    def _check_status(self, allowed: Iterable[Status], what: RefusalPhrase) -> None:
        if self.status not in set(allowed):
            raise RuleViolated(
                f"cannot {what}: the suggestion is {self.status.label} ({self.status})"
            )

    def _check_on(self, on: date) -> None:
        if on < self.state_since:
            raise RuleViolated(
                f"date {on} is before the suggestion became {self.status.label} "
                f"({self.state_since})"
            )

    def _check_since_draft(self, on: date) -> None:
        if on < self.drafted_on:
            raise RuleViolated(
                f"date {on} is before the suggestion was drafted ({self.drafted_on})"
            )

    def _check_invited(self, deputy_id: str) -> None:
        entry = self.cosigners.get(deputy_id)
        if entry is None:
            raise RuleViolated(f"deputy {deputy_id} was not invited to co-sign")
        if entry["state"] != "invited":
            raise RuleViolated(f"deputy {deputy_id} has already {entry['state']}")

    def _check_unit(self, unit: str) -> None:
        if not self.involves_unit(unit):
            raise RuleViolated(f"{unit} is not a handling unit of this suggestion")

    @staticmethod
    def _check_units(
        lead_unit: str, co_units: Sequence[str], parts: Sequence[str] = ()
    ) -> list[str]:
        units = list(dict.fromkeys(co_units))
        if lead_unit in units:
            raise RuleViolated(f"{lead_unit} cannot be both lead and co-handling unit")
        if len(units) != len(co_units):
            raise RuleViolated("a co-handling unit is named twice")
        if len(set(parts)) != len(parts) or lead_unit in parts:
            raise RuleViolated("a lead unit of a split suggestion (分办) is named twice")
        both = sorted(set(parts) & set(units))
        if both:
            raise RuleViolated(f"{', '.join(both)} cannot be both lead and co-handling unit")
        return units

    @staticmethod
    def _clock_dates(
        on: date, clock: Clock, complex_: bool, co_units: Sequence[str]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The due dates an assignment starts, and those waiting for a calendar year.

        The extension limit is the policy's total from 交办 (Deputies Law Art. 51)."""
        dues: dict[str, Any] = {}
        pending: dict[str, Any] = {}
        policy = clock.policy
        _attempt(dues, pending, "reply_due", clock, clock.reply_period(complex_), on)
        _attempt(dues, pending, "objection_until", clock, policy.objection, on)
        _attempt(dues, pending, "extension_limit", clock, policy.max_total, on)
        co_dues: dict[str, Any] = {}
        for unit in co_units:
            _attempt(co_dues, pending, f"co_opinion_due:{unit}", clock, policy.co_opinion, on)
        dues["co_opinion_dues"] = {k.split(":", 1)[1]: v for k, v in co_dues.items()}
        first = next(iter(dues["co_opinion_dues"].values()), None)
        dues["co_opinion_due"] = first
        return dues, pending

    # -- due dates waiting for a calendar year ------------------------------------

    def waiting_years(self) -> list[int]:
        """The calendar years this suggestion's pending due dates wait for."""
        return sorted({int(p["year"]) for p in self.pending_dues.values()})

    def compute_pending(self, calendar: WorkCalendar, *, on: date, actor: Actor) -> bool:
        """Compute the pending due dates the calendar now can (after ``calendar add``)
        and record them in one event; returns whether anything was computed."""
        computed: dict[str, date] = {}
        still: dict[str, Any] = {}
        for key, entry in self.pending_dues.items():
            try:
                computed[key] = PendingDue.from_dict(entry).compute(calendar)
            except CalendarYearUnknown as missing:
                still[key] = {**entry, "year": missing.year}
        if not computed:
            return False
        self._due_dates_computed(dates=computed, still_pending=still, on=on, actor=actor)
        return True

    # -- reading helpers ----------------------------------------------------------

    @property
    def confirmed_cosigners(self) -> list[str]:
        return [d for d, c in self.cosigners.items() if c["state"] == "confirmed"]

    @property
    def addressees(self) -> list[str]:
        """Who a reply goes to: the lead deputy and every co-signer."""
        lead = [self.lead_deputy] if self.lead_deputy else []
        return lead + self.confirmed_cosigners

    @property
    def pending_objections(self) -> list[str]:
        return [u for u, o in self.objections.items() if o["state"] == "pending"]

    def involves_unit(self, unit: str) -> bool:
        return unit == self.lead_unit or unit in self.co_units or unit in self.parts

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Drafted", topic="renda:Suggestion.Drafted")
    def __init__(
        self,
        *,
        title: str,
        body: str,
        category: str | None,
        channel: str,
        source: str,
        lead_deputy: str | None,
        lead_name: str | None,
        area: str,
        level: str,
        session: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.title = title
        self.body = body
        self.category = category
        self.channel = channel
        self.source = source
        self.lead_deputy = lead_deputy
        self.lead_name = lead_name
        self.area = area
        self.level = level
        self.session = session
        self.drafted_on = on
        self.status = Status.DRAFT
        self.state_since = on
        self.number: str | None = None
        self.cosigners: dict[str, dict[str, Any]] = {}
        self.revisions: list[dict[str, Any]] = []
        self.reviews: list[dict[str, Any]] = []
        self.submitted_on: date | None = None
        self.assignment_due: date | None = None
        self.accepted_on: date | None = None
        self.exclusion: dict[str, Any] | None = None
        self.lead_unit: str | None = None
        self.co_units: list[str] = []
        self.complex = False
        self.assigned_on: date | None = None
        self.assignments: list[dict[str, Any]] = []
        self.reply_due: date | None = None
        self.reply_due_assigned: date | None = None
        self.extension_limit: date | None = None
        self.objection_until: date | None = None
        self.co_opinion_due: date | None = None
        self.co_opinion_dues: dict[str, date | None] = {}
        self.extension_request: dict[str, Any] | None = None
        self.extension_decisions: list[dict[str, Any]] = []
        self.pending_dues: dict[str, Any] = {}
        self.parts: dict[str, dict[str, Any]] = {}
        self.objections: dict[str, dict[str, Any]] = {}
        self.co_opinions: dict[str, dict[str, Any]] = {}
        self.extensions: list[dict[str, Any]] = []
        self.contacts: list[dict[str, Any]] = []
        self.replies: list[dict[str, Any]] = []
        self.evaluations: list[dict[str, Any]] = []
        self.rehandlings: list[dict[str, Any]] = []
        self.rehandle_due: date | None = None
        self.commitments: list[dict[str, Any]] = []
        self.supervision: list[dict[str, Any]] = []
        self.opinions: list[str] = []
        self.disclosures: list[dict[str, Any]] = []
        self.handled_with: list[str] = []
        self.bulletins: list[dict[str, Any]] = []
        self.withdrawal: dict[str, Any] | None = None
        self.closed_on: date | None = None
        self.closing_note: str | None = None
        self.policy: str | None = None

    def _enter(self, status: Status, on: date) -> None:
        self.status = status
        self.state_since = on

    @event("Revised", topic="renda:Suggestion.Revised")
    def _revised(self, *, changes: dict[str, Any], on: date, actor: Actor) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
        self.revisions.append({"on": on, "fields": sorted(changes)})

    @event("CosignerInvited", topic="renda:Suggestion.CosignerInvited")
    def _cosigner_invited(
        self, *, deputy_id: str, name: str | None, on: date, actor: Actor
    ) -> None:
        self.cosigners[deputy_id] = {"name": name, "state": "invited", "since": on}

    @event("Cosigned", topic="renda:Suggestion.Cosigned")
    def _cosigned(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.cosigners[deputy_id].update(state="confirmed", since=on)

    @event("CosignDeclined", topic="renda:Suggestion.CosignDeclined")
    def _cosign_declined(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.cosigners[deputy_id].update(state="declined", since=on)

    @event("Presubmitted", topic="renda:Suggestion.Presubmitted")
    def _presubmitted(self, *, on: date, actor: Actor) -> None:
        self._enter(Status.PRESUBMITTED, on)

    @event("Reviewed", topic="renda:Suggestion.Reviewed")
    def _reviewed(
        self, *, outcome: str, comment: str, reviewer: str, on: date, actor: Actor
    ) -> None:
        self.reviews.append(
            {"outcome": outcome, "comment": comment, "reviewer": reviewer, "on": on}
        )
        self._enter(Status.DRAFT, on)

    @event("Submitted", topic="renda:Suggestion.Submitted")
    def _submitted(
        self,
        *,
        assignment_due: date | None,
        lapsed: list[str],
        policy: str,
        on: date,
        actor: Actor,
        pending: dict[str, Any] | None = None,
    ) -> None:
        self.pending_dues.update(pending or {})
        for deputy_id in lapsed:
            self.cosigners[deputy_id].update(state="lapsed", since=on)
        self.submitted_on = on
        self.assignment_due = assignment_due
        self.policy = policy
        self._enter(Status.SUBMITTED, on)

    @event("Accepted", topic="renda:Suggestion.Accepted")
    def _accepted(self, *, number: str | None, on: date, actor: Actor) -> None:
        self.number = number
        self.accepted_on = on
        self._enter(Status.ACCEPTED, on)

    @event("NotAccepted", topic="renda:Suggestion.NotAccepted")
    def _not_accepted(self, *, reason: str, explanation: str, on: date, actor: Actor) -> None:
        self.exclusion = {"reason": reason, "explanation": explanation, "on": on}
        self._enter(Status.CONVERTED, on)

    def _set_assignment(
        self,
        *,
        lead_unit: str,
        co_units: list[str],
        complex: bool,
        reply_due: date | None,
        objection_until: date | None,
        co_opinion_due: date | None,
        extension_limit: date | None,
        policy: str,
        on: date,
        pending: dict[str, Any] | None,
        co_opinion_dues: dict[str, Any] | None = None,
        restart_lead: bool = True,
        parts: list[str] | None = None,
    ) -> None:
        self.parts = (
            {
                u: {"unit": u, "replied_on": None, "on_time": None, "result_class": None}
                for u in [lead_unit, *parts]
            }
            if parts
            else {}
        )
        self.pending_dues = {
            k: v
            for k, v in self.pending_dues.items()
            if not k.startswith(("reply_due", "objection_until", "co_opinion_due", "extension"))
        }
        self.pending_dues.update(pending or {})
        self.lead_unit = lead_unit
        self.co_units = list(co_units)
        self.complex = complex
        self.reply_due = reply_due
        self.extension_limit = extension_limit
        if restart_lead:
            self.assigned_on = on
            self.reply_due_assigned = reply_due
            self.extensions = []
            self.extension_request = None
        self.objection_until = objection_until
        self.co_opinion_due = co_opinion_due
        if co_opinion_dues is None:  # an event of an old log: one date for every co-unit
            co_opinion_dues = {u: co_opinion_due for u in co_units}
        self.co_opinion_dues = dict(co_opinion_dues)
        self.objections = {}
        self.co_opinions = {u: o for u, o in self.co_opinions.items() if u in co_opinion_dues}
        if restart_lead:
            self.co_opinions = {}
        self.policy = policy
        self.assignments.append(
            {"lead_unit": lead_unit, "co_units": list(co_units), "complex": complex, "on": on}
        )
        self._enter(Status.ASSIGNED, on)

    @event("Assigned", topic="renda:Suggestion.Assigned")
    def _assigned(
        self,
        *,
        lead_unit: str,
        co_units: list[str],
        complex: bool,
        reply_due: date | None,
        objection_until: date | None,
        co_opinion_due: date | None,
        extension_limit: date | None,
        policy: str,
        via_bulletin: str | None,
        on: date,
        actor: Actor,
        co_opinion_dues: dict[str, Any] | None = None,
        pending: dict[str, Any] | None = None,
        parts: list[str] | None = None,
    ) -> None:
        self._set_assignment(
            lead_unit=lead_unit,
            co_units=co_units,
            complex=complex,
            reply_due=reply_due,
            objection_until=objection_until,
            co_opinion_due=co_opinion_due,
            extension_limit=extension_limit,
            policy=policy,
            on=on,
            pending=pending,
            co_opinion_dues=co_opinion_dues,
            parts=parts,
        )

    @event("AssignmentObjected", topic="renda:Suggestion.AssignmentObjected")
    def _objected(self, *, unit: str, reason: str, on: date, actor: Actor) -> None:
        self.objections[unit] = {"reason": reason, "on": on, "state": "pending", "note": None}

    @event("Reassigned", topic="renda:Suggestion.Reassigned")
    def _reassigned(
        self,
        *,
        lead_unit: str,
        co_units: list[str],
        complex: bool,
        granted: list[str],
        note: str | None,
        reply_due: date | None,
        objection_until: date | None,
        co_opinion_due: date | None,
        extension_limit: date | None,
        policy: str,
        on: date,
        actor: Actor,
        co_opinion_dues: dict[str, Any] | None = None,
        restarted: list[str] | None = None,
        pending: dict[str, Any] | None = None,
        parts: list[str] | None = None,
    ) -> None:
        self._set_assignment(
            lead_unit=lead_unit,
            co_units=co_units,
            complex=complex,
            reply_due=reply_due,
            objection_until=objection_until,
            co_opinion_due=co_opinion_due,
            extension_limit=extension_limit,
            policy=policy,
            on=on,
            pending=pending,
            co_opinion_dues=co_opinion_dues,
            # an old log's Reassigned (no ``restarted``) restarted every clock
            restart_lead=restarted is None or lead_unit in restarted,
            parts=parts,
        )
        self.assignments[-1]["granted"] = list(granted)
        self.assignments[-1]["restarted"] = list(restarted) if restarted is not None else None

    @event("ObjectionDenied", topic="renda:Suggestion.ObjectionDenied")
    def _objection_denied(self, *, unit: str, note: str, on: date, actor: Actor) -> None:
        self.objections[unit].update(state="denied", note=note)

    @event("CoOpinionSent", topic="renda:Suggestion.CoOpinionSent")
    def _co_opinion_sent(self, *, unit: str, text: str, late: bool, on: date, actor: Actor) -> None:
        self.co_opinions[unit] = {"text": text, "on": on, "late": late}

    @event("Extended", topic="renda:Suggestion.Extended")
    def _extended(
        self,
        *,
        until: date,
        previous: date | None,
        reason: str,
        notify: list[str],
        on: date,
        actor: Actor,
    ) -> None:
        self.reply_due = until
        self.extensions.append({"until": until, "previous": previous, "reason": reason, "on": on})

    @event("ExtensionRequested", topic="renda:Suggestion.ExtensionRequested")
    def _extension_requested(
        self, *, unit: str, until: date, reason: str, on: date, actor: Actor
    ) -> None:
        self.extension_request = {
            "unit": unit,
            "until": until,
            "reason": reason,
            "on": on,
            "by": actor.id,
        }

    @event("ExtensionDecided", topic="renda:Suggestion.ExtensionDecided")
    def _extension_decided(
        self,
        *,
        granted: bool,
        until: date | None,
        previous: date | None,
        note: str | None,
        notify: list[str],
        on: date,
        actor: Actor,
    ) -> None:
        request = self.extension_request or {}
        self.extension_request = None
        decision = {"granted": granted, "note": note, "on": on, "by": actor.id}
        self.extension_decisions.append({**request, "decision": decision})
        if granted and until is not None:
            self.reply_due = until
            self.extensions.append(
                {"until": until, "previous": previous, "reason": request.get("reason"), "on": on}
            )

    @event("PartReplied", topic="renda:Suggestion.PartReplied")
    def _part_replied(
        self,
        *,
        unit: str,
        result_class: str,
        text: str,
        due: date | None,
        on_time: bool | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.parts[unit].update(
            replied_on=on, on_time=on_time, result_class=result_class, text=text, due=due
        )

    @event("DueDatesComputed", topic="renda:Suggestion.DueDatesComputed")
    def _due_dates_computed(
        self, *, dates: dict[str, date], still_pending: dict[str, Any], on: date, actor: Actor
    ) -> None:
        for key, value in dates.items():
            self._set_due(key, value)
        self.pending_dues = dict(still_pending)

    def _set_due(self, key: str, value: date) -> None:
        name, _, detail = key.partition(":")
        if name == "co_opinion_due":
            self.co_opinion_dues[detail] = value
            self.co_opinion_due = self.co_opinion_due or value
        elif name == "on_time":
            reply = self.replies[int(detail) - 1]
            reply.update(due=value, on_time=reply["on"] <= value)
        elif name == "disclosure_due":
            self.replies[-1]["disclosure_due"] = value
        else:
            if name == "reply_due" and self.reply_due_assigned is None:
                self.reply_due_assigned = value
            setattr(self, name, value)

    @event("ContactRecorded", topic="renda:Suggestion.ContactRecorded")
    def _contact_recorded(
        self, *, unit: str, form: str, note: str | None, on: date, actor: Actor
    ) -> None:
        self.contacts.append({"unit": unit, "form": form, "note": note, "on": on})

    @event("Replied", topic="renda:Suggestion.Replied")
    def _replied(
        self,
        *,
        unit: str,
        round: int,
        result_class: str,
        text: str,
        addressees: list[str],
        due: date | None,
        on_time: bool | None,
        disclosure_due: date | None,
        co_opinions_missing: list[str],
        on: date,
        actor: Actor,
        pending: dict[str, Any] | None = None,
    ) -> None:
        self.pending_dues = {
            k: v for k, v in self.pending_dues.items() if not k.startswith("disclosure_due")
        }
        self.pending_dues.update(pending or {})
        if unit in self.parts and self.parts[unit]["replied_on"] is None:
            self.parts[unit].update(
                replied_on=on,
                on_time=on <= due if due is not None else None,
                result_class=result_class,
                due=due,
            )
        self.replies.append(
            {
                "round": round,
                "unit": unit,
                "result_class": result_class,
                "text": text,
                "addressees": list(addressees),
                "due": due,
                "on_time": on_time,
                "disclosure_due": disclosure_due,
                "on": on,
            }
        )
        self.rehandle_due = None
        self._enter(Status.REPLIED, on)

    @event("Evaluated", topic="renda:Suggestion.Evaluated")
    def _evaluated(
        self,
        *,
        round: int,
        attitude: str,
        result: str,
        reason: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.evaluations.append(
            {"round": round, "attitude": attitude, "result": result, "reason": reason, "on": on}
        )
        self._enter(Status.EVALUATED, on)

    @event("RehandlingOrdered", topic="renda:Suggestion.RehandlingOrdered")
    def _rehandling_ordered(
        self,
        *,
        due: date | None,
        reason: str | None,
        on: date,
        actor: Actor,
        pending: dict[str, Any] | None = None,
    ) -> None:
        self.pending_dues.update(pending or {})
        self.rehandlings.append({"due": due, "reason": reason, "on": on})
        self.rehandle_due = due
        self._enter(Status.REHANDLING, on)

    @event("CommitmentMade", topic="renda:Suggestion.CommitmentMade")
    def _commitment_made(
        self, *, number: int, text: str, due: date, on: date, actor: Actor
    ) -> None:
        self.commitments.append(
            {
                "number": number,
                "text": text,
                "due": due,
                "on": on,
                "delivered_on": None,
                "note": None,
                "on_time": None,
            }
        )

    @event("CommitmentDelivered", topic="renda:Suggestion.CommitmentDelivered")
    def _commitment_delivered(
        self, *, number: int, note: str | None, on_time: bool, on: date, actor: Actor
    ) -> None:
        self.commitments[number - 1].update(delivered_on=on, note=note, on_time=on_time)

    @event("Supervised", topic="renda:Suggestion.Supervised")
    def _supervised(self, *, leader: str, note: str | None, on: date, actor: Actor) -> None:
        self.supervision.append({"leader": leader, "note": note, "on": on})

    @event("OpinionLinked", topic="renda:Suggestion.OpinionLinked")
    def _opinion_linked(self, *, opinion_id: str, on: date, actor: Actor) -> None:
        self.opinions.append(opinion_id)

    @event("MotionLinked", topic="renda:Suggestion.MotionLinked")
    def _motion_linked(self, *, motion_id: str, on: date, actor: Actor) -> None:
        self.motion_id = motion_id

    @event("Disclosed", topic="renda:Suggestion.Disclosed")
    def _disclosed(
        self,
        *,
        round: int,
        text: str,
        redactions: int,
        on_time: bool | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.disclosures.append(
            {"round": round, "text": text, "redactions": redactions, "on_time": on_time, "on": on}
        )

    @event("SessionAssignmentDue", topic="renda:Suggestion.SessionAssignmentDue")
    def _session_assignment_due(
        self, *, session_id: str, assignment_due: date, policy: str, on: date, actor: Actor
    ) -> None:
        self.session_id = session_id
        self.assignment_due = assignment_due

    @event("DisclosureWithheld", topic="renda:Suggestion.DisclosureWithheld")
    def _disclosure_withheld(self, *, round: int, reason: str, on: date, actor: Actor) -> None:
        # a new tuple each time: the class default serves logs and snapshots from before
        self.withholdings = (*self.withholdings, {"round": round, "reason": reason, "on": on})

    @event("Withdrawn", topic="renda:Suggestion.Withdrawn")
    def _withdrawn(
        self, *, consents: list[str], statement: str, previous: str, on: date, actor: Actor
    ) -> None:
        self.withdrawal = {
            "consents": list(consents),
            "statement": statement,
            "from": previous,
            "on": on,
        }
        self._enter(Status.WITHDRAWN, on)

    @event("Closed", topic="renda:Suggestion.Closed")
    def _closed(self, *, note: str | None, on: date, actor: Actor) -> None:
        self.closed_on = on
        self.closing_note = note
        self._enter(Status.CLOSED, on)

    @event("HandledTogether", topic="renda:Suggestion.HandledTogether")
    def _handled_together(self, *, others: list[str], on: date, actor: Actor) -> None:
        self.handled_with = sorted({*self.handled_with, *others})

    @event("IncludedInBulletin", topic="renda:Suggestion.IncludedInBulletin")
    def _included_in_bulletin(self, *, bulletin_id: str, item: int, on: date, actor: Actor) -> None:
        self.bulletins.append({"bulletin_id": bulletin_id, "item": item, "on": on})

    # -- reading ----------------------------------------------------------------

    @property
    def disclosure_due(self) -> date | None:
        return self.replies[-1]["disclosure_due"] if self.replies else None

    @property
    def disclosed(self) -> bool:
        return bool(self.replies) and any(
            d["round"] == self.replies[-1]["round"] for d in self.disclosures
        )

    @property
    def withheld(self) -> bool:
        """The latest reply was decided not to be disclosed (不宜公开)."""
        return bool(self.replies) and any(
            w["round"] == self.replies[-1]["round"] for w in self.withholdings
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for queries and ``--json`` output, every current due date included."""
        data: dict[str, Any] = {
            "id": str(self.id),
            "number": self.number,
            "title": self.title,
            "body": self.body,
            "category": self.category,
            "channel": self.channel,
            "source": self.source,
            "session": self.session,
            "session_id": self.session_id,
            "lead_deputy": self.lead_deputy,
            "lead_name": self.lead_name,
            "area": self.area,
            "level": self.level,
            "status": self.status.value,
            "status_label": self.status.label,
            "status_since": self.state_since,
            "drafted_on": self.drafted_on,
            "submitted_on": self.submitted_on,
            "accepted_on": self.accepted_on,
            "assigned_on": self.assigned_on,
            "closed_on": self.closed_on,
            "closing_note": self.closing_note,
            "cosigners": [{"deputy": d, **c} for d, c in self.cosigners.items()],
            "addressees": self.addressees,
            "reviews": self.reviews,
            "revisions": self.revisions,
            "exclusion": self.exclusion,
            "lead_unit": self.lead_unit,
            "co_units": self.co_units,
            "complex": self.complex,
            "assignments": self.assignments,
            "policy": self.policy,
            "assignment_due": self.assignment_due,
            "reply_due": self.reply_due,
            "reply_due_assigned": self.reply_due_assigned,
            "extension_limit": self.extension_limit,
            "objection_until": self.objection_until,
            "co_opinion_due": self.co_opinion_due,
            "rehandle_due": self.rehandle_due,
            "disclosure_due": self.disclosure_due,
            "disclosed": self.disclosed,
            "withheld": self.withheld,
            "withholdings": list(self.withholdings),
            "objections": [{"unit": u, **o} for u, o in self.objections.items()],
            "co_opinions": [{"unit": u, **o} for u, o in self.co_opinions.items()],
            "extensions": self.extensions,
            "extension_request": self.extension_request,
            "extension_decisions": self.extension_decisions,
            "co_opinion_dues": self.co_opinion_dues,
            "parts": [{**p, "due": p.get("due", self.reply_due)} for p in self.parts.values()],
            "pending_due_dates": [
                {"deadline": k, **v} for k, v in sorted(self.pending_dues.items())
            ],
            "contacts": self.contacts,
            "replies": self.replies,
            "evaluations": self.evaluations,
            "rehandlings": self.rehandlings,
            "commitments": self.commitments,
            "supervision": self.supervision,
            "opinions": self.opinions,
            "motion_id": self.motion_id,
            "disclosures": self.disclosures,
            "handled_with": self.handled_with,
            "bulletins": self.bulletins,
            "withdrawal": self.withdrawal,
            "version": self.version,
        }
        result: dict[str, Any] = plain(data)
        result["open_deadlines"] = open_deadlines(result)
        return result


def _attempt(
    dues: dict[str, Any],
    pending: dict[str, Any],
    key: str,
    clock: Clock,
    period: Period,
    start: date,
) -> None:
    """Put the due date in ``dues``, or None there and its recipe in ``pending``."""
    found, waiting = clock.attempt(period, start)
    dues[key] = found
    if waiting is not None:
        pending[key] = waiting.to_dict()


def open_deadlines(doc: Mapping[str, Any], as_of: date | None = None) -> list[dict[str, Any]]:
    """The deadlines still running for a suggestion, with who owes each.

    ``doc`` is the plain form (ISO dates) of :meth:`Suggestion.to_dict`, or a projection's
    document with the same keys. With ``as_of``, each entry says whether it is late
    then (due before ``as_of``).
    """
    status = doc["status"]
    out: list[dict[str, Any]] = []

    def add(name: str, due: str | None, owner: str | None, **extra: Any) -> None:
        if due is None or owner is None:
            return
        entry = {"deadline": name, "due": due, "owner": owner, **extra}
        if as_of is not None:
            late = (as_of - date.fromisoformat(due)).days
            entry["late"] = late > 0
            entry["days_late"] = max(late, 0)
        out.append(entry)

    if status in (Status.SUBMITTED, Status.ACCEPTED):
        add("assignment_due", doc.get("assignment_due"), OFFICE)
    if status == Status.ASSIGNED:
        add("reply_due", doc.get("reply_due"), doc.get("lead_unit"))
        received = {o["unit"] for o in doc.get("co_opinions", [])}
        per_unit = doc.get("co_opinion_dues") or {}
        for unit in doc.get("co_units", []):
            if unit not in received:
                add("co_opinion_due", per_unit.get(unit, doc.get("co_opinion_due")), unit)
    if status == Status.REHANDLING:
        add("rehandle_due", doc.get("rehandle_due"), doc.get("lead_unit"))
    if doc.get("disclosure_due") and not doc.get("disclosed") and not doc.get("withheld"):
        add("disclosure_due", doc.get("disclosure_due"), doc.get("lead_unit"))
    for c in doc.get("commitments", []):
        if c.get("delivered_on") is None:
            add("commitment_due", c["due"], doc.get("lead_unit"), commitment=c["number"])
    return out


_SECRET = re.compile(r"【(?:涉密|秘密|机密|内部)】.*?【/(?:涉密|秘密|机密|内部)】", re.S)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The check character of a resident ID number (GB 11643, ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_resident_id(text: str) -> bool:
    """An 18-character resident ID number whose last character is its check digit."""
    return (
        len(text) == 18
        and text[:17].isdigit()
        and text[:17].isascii()
        and text[17].upper() == id_check_digit(text[:17])
    )


def _redact_ids(text: str) -> tuple[str, int]:
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if not is_resident_id(match.group()):
            return match.group()
        count += 1
        return "[身份证号已隐去]"

    return _ID_CANDIDATE.sub(replace, text), count


def _redact_phones(text: str) -> tuple[str, int]:
    """Phone numbers as people write them (``138 1234 5678``, ``+86-138-1234-5678``,
    ``0431-88886666``, ``(0431)8888 6666``), found by libphonenumber for region CN.
    A mobile number is ``[手机号已隐去]``, any other ``[电话已隐去]``."""
    import phonenumbers  # imported when a text is redacted: a fast start

    matches = list(phonenumbers.PhoneNumberMatcher(text, "CN"))
    for match in reversed(matches):
        kind = phonenumbers.number_type(match.number)
        label = "[手机号已隐去]" if kind == phonenumbers.PhoneNumberType.MOBILE else "[电话已隐去]"
        text = text[: match.start] + label + text[match.end :]
    return text, len(matches)


def redact(text: str) -> tuple[str, int]:
    """Redact contact details (phones, ID numbers, e-mail) and marked secrets.

    Secrets are whatever the unit marks ``【涉密】…【/涉密】`` (or 秘密/机密/内部).
    ID numbers are the 18-character resident ID numbers with a valid check digit (an
    18-digit figure that fails the check is left as it is); phone numbers are what
    ``phonenumbers`` recognises as a valid number for region CN.
    Returns the redacted text and the number of redactions.
    """
    text, secrets = _SECRET.subn("[涉密内容已隐去]", text)
    text, ids = _redact_ids(text)
    text, emails = _EMAIL.subn("[邮箱已隐去]", text)
    text, phones = _redact_phones(text)
    return text, secrets + ids + emails + phones


def plain(value: Any) -> Any:
    """Plain JSON-able data: dates as ISO strings, enums as their values."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Labelled):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
