"""Suggestion (代表建议) commands: drafting to closure, under the permission policy.

Role kinds are checked by ``@command``; the subject of a role is checked here: a
``deputy:<id>`` acts only on suggestions they lead (or, to co-sign, were invited to),
a ``unit:<name>`` only on suggestions assigned to that unit. A forbidden command
raises :class:`Forbidden` and records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar
from uuid import UUID

from pydantic import AfterValidator, Field

from renda_core.application.calendar import CalendarCommands
from renda_core.application.commands import (
    BusinessDate,
    Command,
    ContactFormField,
    LongText,
    PlannedDate,
    Text,
    accepts_labels,
    command,
)
from renda_core.application.field_errors import NOT_BLANK
from renda_core.application.permissions import role_kind, role_subject
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import Forbidden, InvalidInput, RefusalPhrase, RuleViolated
from renda_core.domain.suggestion import (
    Channel,
    ExclusionReason,
    Rating,
    ReviewOutcome,
    Source,
    Suggestion,
)
from renda_core.domain.values import Actor

T = TypeVar("T")

STAFF = {"staff"}
DEPUTY = {"deputy", "staff"}
UNIT = {"unit"}
UNIT_OR_STAFF = {"unit", "staff"}

ChannelField = Annotated[Channel, accepts_labels(Channel)]
SourceField = Annotated[Source, accepts_labels(Source)]
ExclusionField = Annotated[ExclusionReason, accepts_labels(ExclusionReason)]
RatingField = Annotated[Rating, accepts_labels(Rating)]
OutcomeField = Annotated[ReviewOutcome, accepts_labels(ReviewOutcome)]
Body = Annotated[str, Field(min_length=1, max_length=20000, pattern=NOT_BLANK)]


def _upper(value: str) -> str:
    return value.strip().upper()


ResultClass = Annotated[str, Field(min_length=1, max_length=8), AfterValidator(_upper)]


class SuggestionRef(Command):
    suggestion_id: UUID
    date: BusinessDate


class DraftSuggestion(Command):
    """Draft a suggestion (起草代表建议) led by a deputy (领衔代表)."""

    title: Text
    body: Body
    channel: ChannelField
    source: SourceField
    date: BusinessDate
    lead_deputy: UUID | None = Field(default=None, description="default: the acting deputy")
    category: Text | None = None
    session: Text | None = Field(default=None, description="e.g. 十四届人大二次会议")


class ReviseSuggestion(SuggestionRef):
    """Revise the title, body or category before submission."""

    title: Text | None = None
    body: Body | None = None
    category: Text | None = None


class InviteCosigner(SuggestionRef):
    """Invite an active deputy to co-sign (邀请附议)."""

    deputy_id: UUID


class CosignSuggestion(SuggestionRef):
    """Confirm (or decline) co-signing (附议)."""

    deputy_id: UUID | None = Field(default=None, description="default: the acting deputy")


class Presubmit(SuggestionRef):
    """Send the draft for pre-submission review (预提交)."""


class ReviewSuggestion(SuggestionRef):
    """Record reviewers' comments on a pre-submitted draft (预提交审查意见)."""

    outcome: OutcomeField
    comment: LongText = Field(min_length=1)
    reviewer: Text | None = None


class SubmitSuggestion(SuggestionRef):
    """Formally submit (正式提交)."""


class AcceptSuggestion(SuggestionRef):
    """Accept (立案), optionally with the registration number (建议编号)."""

    number: Text | None = None


class RejectSuggestion(SuggestionRef):
    """Do not accept (不予立案): handled as a letter (转来信处理)."""

    reason: ExclusionField
    explanation: LongText = Field(min_length=1)


class AssignSuggestion(SuggestionRef):
    """Assign (交办) to a lead unit (主办) and co-handling units (协办)."""

    lead_unit: Text
    co_units: list[Text] = Field(default_factory=list, max_length=20)
    complex: bool = Field(default=False, description="complex: the longer reply period")
    parts: list[Text] = Field(
        default_factory=list,
        max_length=20,
        description="further lead units, each replying for its part (分办)",
    )


class ObjectAssignment(SuggestionRef):
    """A unit asks for the assignment to be adjusted (申请调整交办)."""

    reason: LongText = Field(min_length=1)
    unit: Text | None = Field(default=None, description="default: the acting unit")


class ReassignSuggestion(AssignSuggestion):
    """Grant the pending objections and assign anew (调整交办)."""

    note: LongText | None = None


class DenyObjection(SuggestionRef):
    """Deny a unit's objection: the assignment stands."""

    unit: Text
    note: LongText = Field(min_length=1)


class SendCoOpinion(SuggestionRef):
    """A co-handling unit sends its opinion to the lead unit (协办意见)."""

    text: LongText = Field(min_length=1)
    unit: Text | None = None


class ExtendSuggestion(SuggestionRef):
    """Extend the reply deadline (延期办理), within the policy's cap."""

    until: PlannedDate
    reason: LongText = Field(min_length=1)


class RequestExtension(SuggestionRef):
    """The lead unit asks for a later reply date (申请延期), before the due date."""

    until: PlannedDate
    reason: LongText = Field(min_length=1)
    unit: Text | None = Field(default=None, description="default: the acting unit")


class DecideExtension(SuggestionRef):
    """The office grants or refuses the pending extension request (延期审批)."""

    grant: bool
    note: LongText | None = Field(default=None, description="required when refusing")


class SuggestionContact(SuggestionRef):
    """A contact between a handling unit and the deputy (沟通联系)."""

    form: ContactFormField
    note: LongText | None = None
    unit: Text | None = None


class ReplySuggestion(SuggestionRef):
    """The lead unit's written reply (书面答复) with its result class."""

    result_class: ResultClass
    text: Body
    unit: Text | None = None


class EvaluateSuggestion(SuggestionRef):
    """The deputy's evaluation (代表评价): attitude and result rated separately."""

    attitude: RatingField
    result: RatingField
    reason: LongText | None = None


class RehandleSuggestion(SuggestionRef):
    """Order re-handling after 不满意 (重新办理)."""

    reason: LongText | None = None


class CommitSuggestion(SuggestionRef):
    """Record a dated commitment of a B/C reply (承诺事项)."""

    text: LongText = Field(min_length=1)
    due: PlannedDate


class DeliverCommitment(SuggestionRef):
    """Record that commitment ``number`` was delivered (承诺兑现)."""

    number: int = Field(ge=1)
    note: LongText | None = None


class SuperviseSuggestion(SuggestionRef):
    """Put under priority supervision (重点督办) by a named leader."""

    leader: Text
    note: LongText | None = None


class DiscloseSuggestion(SuggestionRef):
    """Publish the latest reply, redacted (答复公开)."""

    text: LongText | None = Field(default=None, description="default: the reply text")


class WithholdDisclosure(SuggestionRef):
    """Decide the latest reply is not to be disclosed (不宜公开), with the reason."""

    reason: LongText = Field(min_length=1)


class WithdrawSuggestion(SuggestionRef):
    """Withdraw in writing before assignment (撤回)."""

    statement: LongText = Field(min_length=1)
    consents: list[UUID] = Field(default_factory=list, description="co-signers who agreed")


class CloseSuggestion(SuggestionRef):
    """Close the case (办结)."""

    note: LongText | None = None


class MergeSuggestions(SuggestionRef):
    """Handle similar suggestions together (并案办理); each keeps its own reply."""

    others: list[UUID] = Field(min_length=1, max_length=50)


class SuggestionCommands(CalendarCommands):
    """The Suggestion part of the application."""

    # -- drafting -------------------------------------------------------------------

    @command("suggestion.draft", DraftSuggestion, DEPUTY)
    def draft_suggestion(self, cmd: DraftSuggestion, actor: Actor) -> UUID:
        """Draft a suggestion; returns its id."""
        lead_id = cmd.lead_deputy
        if role_kind(actor.role) == "deputy":
            own = _deputy_subject(actor)
            if lead_id is None:
                lead_id = own
            elif lead_id != own:
                raise Forbidden(f"{actor} may draft only as the lead deputy ({own})")
        if lead_id is None:
            raise InvalidInput(
                "lead_deputy: the lead deputy (领衔代表) is required",
                [{"field": "lead_deputy", "message": "required when staff drafts"}],
            )
        lead = self._active_deputy(lead_id, "lead a suggestion", cmd.date)
        suggestion = Suggestion.draft(
            title=cmd.title,
            body=cmd.body,
            category=cmd.category,
            channel=cmd.channel,
            source=cmd.source,
            lead_deputy=str(lead.id),
            lead_name=lead.name,
            area=lead.area,
            level=lead.level,
            session=cmd.session,
            on=cmd.date,
            actor=actor,
        )
        self._save(suggestion)
        return suggestion.id

    @command("suggestion.revise", ReviseSuggestion, DEPUTY)
    def revise_suggestion(self, cmd: ReviseSuggestion, actor: Actor) -> None:
        """Revise the text before submission."""
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.revise(
                title=cmd.title, body=cmd.body, category=cmd.category, on=cmd.date, actor=actor
            ),
            lead_only=True,
        )

    @command("suggestion.invite", InviteCosigner, DEPUTY)
    def invite_cosigner(self, cmd: InviteCosigner, actor: Actor) -> None:
        """Invite an active deputy to co-sign."""
        invitee = self._active_deputy(cmd.deputy_id, "co-sign", cmd.date)
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.invite(
                deputy_id=str(invitee.id), name=invitee.name, on=cmd.date, actor=actor
            ),
            lead_only=True,
        )

    @command("suggestion.cosign", CosignSuggestion, DEPUTY)
    def cosign_suggestion(self, cmd: CosignSuggestion, actor: Actor) -> None:
        """Confirm co-signing (附议); the co-signer must still be an active deputy."""
        deputy_id = self._cosigner_id(cmd, actor)
        self._active_deputy(deputy_id, "co-sign", cmd.date)
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.cosign(deputy_id=str(deputy_id), on=cmd.date, actor=actor),
        )

    @command("suggestion.decline", CosignSuggestion, DEPUTY)
    def decline_cosign(self, cmd: CosignSuggestion, actor: Actor) -> None:
        """Decline an invitation to co-sign."""
        deputy_id = self._cosigner_id(cmd, actor)
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.decline(deputy_id=str(deputy_id), on=cmd.date, actor=actor),
        )

    @command("suggestion.presubmit", Presubmit, DEPUTY)
    def presubmit_suggestion(self, cmd: Presubmit, actor: Actor) -> None:
        """Send the draft for pre-submission review."""
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.presubmit(on=cmd.date, actor=actor),
            lead_only=True,
        )

    @command("suggestion.review", ReviewSuggestion, STAFF)
    def review_suggestion(self, cmd: ReviewSuggestion, actor: Actor) -> None:
        """Record reviewers' comments; the draft goes back to the deputy."""
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.review(
                outcome=cmd.outcome,
                comment=cmd.comment,
                reviewer=cmd.reviewer or actor.id,
                on=cmd.date,
                actor=actor,
            ),
        )

    @command("suggestion.submit", SubmitSuggestion, DEPUTY)
    def submit_suggestion(self, cmd: SubmitSuggestion, actor: Actor) -> None:
        """Formally submit; unconfirmed invitations lapse."""
        clock = self.clock()

        def submit(s: Suggestion) -> None:
            if s.lead_deputy is not None:
                lead = self._load(Deputy, s.lead_deputy, "deputy")
                lead.check_may_exercise_duties("submit a suggestion", cmd.date)
            s.submit(on=cmd.date, clock=clock, actor=actor)

        self._on_suggestion(cmd.suggestion_id, actor, submit, lead_only=True)

    # -- acceptance and assignment (the office) ----------------------------------

    @command("suggestion.accept", AcceptSuggestion, STAFF)
    def accept_suggestion(self, cmd: AcceptSuggestion, actor: Actor) -> None:
        """Accept (立案)."""
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.accept(number=cmd.number, on=cmd.date, actor=actor),
        )

    @command("suggestion.reject", RejectSuggestion, STAFF)
    def reject_suggestion(self, cmd: RejectSuggestion, actor: Actor) -> None:
        """Do not accept; the submission is handled as a letter."""
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.reject(
                reason=cmd.reason, explanation=cmd.explanation, on=cmd.date, actor=actor
            ),
        )

    @command("suggestion.assign", AssignSuggestion, STAFF)
    def assign_suggestion(self, cmd: AssignSuggestion, actor: Actor) -> None:
        """Assign to a lead unit and co-units; the statutory clock starts."""
        clock = self.clock()
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.assign(
                lead_unit=cmd.lead_unit,
                co_units=cmd.co_units,
                complex_=cmd.complex,
                on=cmd.date,
                clock=clock,
                actor=actor,
                parts=cmd.parts,
            ),
        )

    @command("suggestion.object", ObjectAssignment, UNIT)
    def object_assignment(self, cmd: ObjectAssignment, actor: Actor) -> None:
        """A unit objects to its assignment, within its window."""
        unit = self._unit(cmd.unit, actor)
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.object_to_assignment(
                unit=unit, reason=cmd.reason, on=cmd.date, actor=actor
            ),
        )

    @command("suggestion.reassign", ReassignSuggestion, STAFF)
    def reassign_suggestion(self, cmd: ReassignSuggestion, actor: Actor) -> None:
        """Grant pending objections: assign anew with a new clock."""
        clock = self.clock()
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.reassign(
                lead_unit=cmd.lead_unit,
                co_units=cmd.co_units,
                complex_=cmd.complex,
                note=cmd.note,
                on=cmd.date,
                clock=clock,
                actor=actor,
                parts=cmd.parts,
            ),
        )

    @command("suggestion.deny-objection", DenyObjection, STAFF)
    def deny_objection(self, cmd: DenyObjection, actor: Actor) -> None:
        """Deny a unit's objection; the assignment stands."""
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.deny_objection(unit=cmd.unit, note=cmd.note, on=cmd.date, actor=actor),
        )

    @command("suggestion.co-opinion", SendCoOpinion, UNIT)
    def send_co_opinion(self, cmd: SendCoOpinion, actor: Actor) -> None:
        """A co-handling unit sends its opinion to the lead unit."""
        unit = self._unit(cmd.unit, actor)
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.send_co_opinion(unit=unit, text=cmd.text, on=cmd.date, actor=actor),
        )

    @command("suggestion.extend", ExtendSuggestion, STAFF)
    def extend_suggestion(self, cmd: ExtendSuggestion, actor: Actor) -> None:
        """The office extends the reply deadline (the deputy is told), by the same rules
        as a granted request: before the due date, within the policy's total cap."""
        clock = self.clock()
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.extend(
                until=cmd.until, reason=cmd.reason, on=cmd.date, clock=clock, actor=actor
            ),
        )

    @command("suggestion.request-extension", RequestExtension, UNIT)
    def request_extension(self, cmd: RequestExtension, actor: Actor) -> None:
        """The lead unit requests an extension, with its reasons, before the due date."""
        unit = self._unit(cmd.unit, actor)
        clock = self.clock()
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.request_extension(
                unit=unit, until=cmd.until, reason=cmd.reason, on=cmd.date, clock=clock, actor=actor
            ),
            lead_unit_only=True,
        )

    @command("suggestion.decide-extension", DecideExtension, STAFF)
    def decide_extension(self, cmd: DecideExtension, actor: Actor) -> None:
        """The office grants or refuses the pending extension request."""
        clock = self.clock()
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.decide_extension(
                grant=cmd.grant, note=cmd.note, on=cmd.date, clock=clock, actor=actor
            ),
        )

    @command("suggestion.contact", SuggestionContact, UNIT)
    def contact_deputy(self, cmd: SuggestionContact, actor: Actor) -> None:
        """Record a contact between the unit and the deputy."""
        unit = self._unit(cmd.unit, actor)
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.record_contact(
                unit=unit, form=cmd.form, note=cmd.note, on=cmd.date, actor=actor
            ),
        )

    @command("suggestion.reply", ReplySuggestion, UNIT)
    def reply_suggestion(self, cmd: ReplySuggestion, actor: Actor) -> None:
        """The lead unit replies to the lead deputy and every co-signer."""
        unit = self._unit(cmd.unit, actor)
        clock = self.clock()
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.reply(
                unit=unit,
                result_class=cmd.result_class,
                text=cmd.text,
                on=cmd.date,
                clock=clock,
                actor=actor,
            ),
        )

    @command("suggestion.evaluate", EvaluateSuggestion, DEPUTY)
    def evaluate_suggestion(self, cmd: EvaluateSuggestion, actor: Actor) -> None:
        """The lead deputy evaluates the reply."""
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.evaluate(
                attitude=cmd.attitude,
                result=cmd.result,
                reason=cmd.reason,
                on=cmd.date,
                actor=actor,
            ),
            lead_only=True,
        )

    @command("suggestion.rehandle", RehandleSuggestion, STAFF)
    def rehandle_suggestion(self, cmd: RehandleSuggestion, actor: Actor) -> None:
        """Order re-handling after a 不满意 evaluation."""
        clock = self.clock()
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.rehandle(reason=cmd.reason, on=cmd.date, clock=clock, actor=actor),
        )

    @command("suggestion.commit", CommitSuggestion, UNIT_OR_STAFF)
    def commit_suggestion(self, cmd: CommitSuggestion, actor: Actor) -> None:
        """Record a dated commitment of a B/C reply."""
        clock = self.clock()
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.commit(text=cmd.text, due=cmd.due, on=cmd.date, clock=clock, actor=actor),
            lead_unit_only=True,
        )

    @command("suggestion.deliver", DeliverCommitment, UNIT_OR_STAFF)
    def deliver_commitment(self, cmd: DeliverCommitment, actor: Actor) -> None:
        """Record that a commitment was delivered."""
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.deliver(number=cmd.number, note=cmd.note, on=cmd.date, actor=actor),
            lead_unit_only=True,
        )

    @command("suggestion.supervise", SuperviseSuggestion, STAFF)
    def supervise_suggestion(self, cmd: SuperviseSuggestion, actor: Actor) -> None:
        """Put under priority supervision by a named leader."""
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.supervise(leader=cmd.leader, note=cmd.note, on=cmd.date, actor=actor),
        )

    @command("suggestion.disclose", DiscloseSuggestion, UNIT_OR_STAFF)
    def disclose_suggestion(self, cmd: DiscloseSuggestion, actor: Actor) -> None:
        """Publish the latest reply with contact details and secrets redacted."""
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.disclose(text=cmd.text, on=cmd.date, actor=actor),
            lead_unit_only=True,
        )

    @command("suggestion.withhold", WithholdDisclosure, STAFF)
    def withhold_disclosure(self, cmd: WithholdDisclosure, actor: Actor) -> None:
        """Decide the latest reply is not to be disclosed (不宜公开); it owes no disclosure."""
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.withhold_disclosure(reason=cmd.reason, on=cmd.date, actor=actor),
        )

    @command("suggestion.withdraw", WithdrawSuggestion, DEPUTY)
    def withdraw_suggestion(self, cmd: WithdrawSuggestion, actor: Actor) -> None:
        """Withdraw before assignment; a joint suggestion needs every co-signer."""
        self._on_suggestion(
            cmd.suggestion_id,
            actor,
            lambda s: s.withdraw(
                consents=[str(c) for c in cmd.consents],
                statement=cmd.statement,
                on=cmd.date,
                actor=actor,
            ),
            lead_only=True,
        )

    @command("suggestion.close", CloseSuggestion, STAFF)
    def close_suggestion(self, cmd: CloseSuggestion, actor: Actor) -> None:
        """Close the case."""
        self._change(
            Suggestion,
            cmd.suggestion_id,
            "suggestion",
            lambda s: s.close(note=cmd.note, on=cmd.date, actor=actor),
        )

    @command("suggestion.merge", MergeSuggestions, STAFF)
    def merge_suggestions(self, cmd: MergeSuggestions, actor: Actor) -> None:
        """Handle similar suggestions together (all saved in one transaction)."""
        ids = list(dict.fromkeys([cmd.suggestion_id, *cmd.others]))
        if len(ids) < 2:
            raise InvalidInput(
                "others: name at least one other suggestion",
                [{"field": "others", "message": "needs another suggestion"}],
            )
        group = [self._load(Suggestion, i, "suggestion") for i in ids]
        for suggestion in group:
            suggestion.handle_together(
                others=[str(i) for i in ids if i != suggestion.id], on=cmd.date, actor=actor
            )
        self._save(*group)

    # -- queries --------------------------------------------------------------------

    def get_suggestion(self, suggestion_id: UUID | str) -> Suggestion:
        return self._load(Suggestion, suggestion_id, "suggestion")

    def suggestion(self, suggestion_id: UUID | str) -> dict[str, Any]:
        """A suggestion as plain data, with every current due date and its status."""
        return self.get_suggestion(suggestion_id).to_dict()

    # -- helpers --------------------------------------------------------------------

    def _active_deputy(
        self, deputy_id: UUID | str, what: RefusalPhrase, on: date | None = None
    ) -> Deputy:
        """The deputy, whose mandate holds and (given ``on``) whose duties are not
        suspended on that day."""
        deputy = self._load(Deputy, deputy_id, "deputy")
        if not deputy.is_active:
            raise RuleViolated(
                f"{deputy.name} ({deputy.id}) cannot {what}: "
                f"the mandate ended on {deputy.terminated_on}"
            )
        if on is not None:
            deputy.check_may_exercise_duties(what, on)
        return deputy

    def _on_suggestion(
        self,
        suggestion_id: UUID,
        actor: Actor,
        change: Callable[[Suggestion], T],
        *,
        lead_only: bool = False,
        lead_unit_only: bool = False,
    ) -> T:
        """Load, check the actor's subject, change, save."""

        def checked(suggestion: Suggestion) -> T:
            _check_subject(suggestion, actor, lead_only=lead_only, lead_unit_only=lead_unit_only)
            return change(suggestion)

        return self._change(Suggestion, suggestion_id, "suggestion", checked)

    @staticmethod
    def _unit(unit: str | None, actor: Actor) -> str:
        own = role_subject(actor.role)
        assert own is not None  # a unit role always names its unit
        if unit is not None and unit != own:
            raise Forbidden(f"{actor} may act only for {own}, not for {unit}")
        return own

    @staticmethod
    def _cosigner_id(cmd: CosignSuggestion, actor: Actor) -> UUID:
        if role_kind(actor.role) == "deputy":
            own = _deputy_subject(actor)
            if cmd.deputy_id is not None and cmd.deputy_id != own:
                raise Forbidden(f"{actor} may co-sign only for themselves")
            return own
        if cmd.deputy_id is None:
            raise InvalidInput(
                "deputy_id: name the co-signing deputy",
                [{"field": "deputy_id", "message": "required when staff records it"}],
            )
        return cmd.deputy_id


def _deputy_subject(actor: Actor) -> UUID:
    subject = role_subject(actor.role) or ""
    try:
        return UUID(subject)
    except ValueError:
        raise Forbidden(f"{actor}: a deputy role names the deputy's id (deputy:<id>)") from None


def _check_subject(
    suggestion: Suggestion,
    actor: Actor,
    *,
    lead_only: bool = False,
    lead_unit_only: bool = False,
) -> None:
    """A deputy acts on their own suggestions; a unit on those assigned to it."""
    kind = role_kind(actor.role)
    if kind == "deputy" and lead_only:
        if str(_deputy_subject(actor)) != suggestion.lead_deputy:
            raise Forbidden(f"{actor} is not the lead deputy of suggestion {suggestion.id}")
    elif kind == "unit":
        unit = role_subject(actor.role) or ""
        if not suggestion.involves_unit(unit):
            raise Forbidden(f"{actor}: suggestion {suggestion.id} is not assigned to {unit}")
        if lead_unit_only and unit != suggestion.lead_unit:
            raise Forbidden(f"{actor}: only the lead unit {suggestion.lead_unit} may do this")
