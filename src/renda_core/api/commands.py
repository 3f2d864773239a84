"""The commands of the public API: one typed method per application command.

Each takes the command's pydantic model (or a mapping that validates into it) and the
actor (default: the one given to :func:`renda_core.open`), and returns what the
application returns. A test checks that every application command has its method here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from renda_core.application.app import Renda
from renda_core.application.areas import ImportDivisions
from renda_core.application.bulletins import (
    ForwardItem,
    IncludeItem,
    InstructItem,
    OpenBulletin,
    PublishBulletin,
    RemoveItem,
)
from renda_core.application.calendar import AddCalendarYear
from renda_core.application.deputies import (
    AssignLiaison,
    CorrectDeputy,
    EndLiaison,
    RecordContact,
    RegisterDeputy,
    TerminateDeputy,
)
from renda_core.application.groups import DissolveGroup, FormGroup, GroupMember, HoldGroupActivity
from renda_core.application.opinions import (
    AnswerOpinion,
    CloseOpinion,
    CollectOpinion,
    EscalateOpinion,
    EvaluateOpinion,
    FeedBackOpinion,
    RecordOpinionResult,
    ReferOpinion,
    ScreenOpinion,
)
from renda_core.application.stations import (
    CloseStation,
    EnterStation,
    EstablishStation,
    HoldStationActivity,
    LeaveStation,
)
from renda_core.application.suggestions import (
    AcceptSuggestion,
    AssignSuggestion,
    CloseSuggestion,
    CommitSuggestion,
    CosignSuggestion,
    DeliverCommitment,
    DenyObjection,
    DiscloseSuggestion,
    DraftSuggestion,
    EvaluateSuggestion,
    ExtendSuggestion,
    InviteCosigner,
    MergeSuggestions,
    ObjectAssignment,
    Presubmit,
    ReassignSuggestion,
    RehandleSuggestion,
    RejectSuggestion,
    ReplySuggestion,
    ReviewSuggestion,
    ReviseSuggestion,
    SendCoOpinion,
    SubmitSuggestion,
    SuggestionContact,
    SuperviseSuggestion,
    WithdrawSuggestion,
)
from renda_core.application.training import CourseDeputies, PlanCourse
from renda_core.domain.values import Actor


class CommandMethods:
    """Mixin: the application commands, each checked, validated and recorded by the
    internal application."""

    _application: Renda

    def _acting(self, actor: Actor | None) -> Actor:
        raise NotImplementedError

    def import_divisions(
        self, command: ImportDivisions | Mapping[str, Any], actor: Actor | None = None
    ) -> dict[str, int]:
        """Import divisions atomically; returns counts of recorded/corrected/unchanged.

        Command ``area.import``.
        """
        return self._application.import_divisions(command, self._acting(actor))

    def add_calendar_year(
        self, command: AddCalendarYear | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Record a year's holiday arrangement so working-day periods can use it.

        Command ``calendar.add``.
        """
        return self._application.add_calendar_year(command, self._acting(actor))

    def draft_suggestion(
        self, command: DraftSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Draft a suggestion; returns its id.

        Command ``suggestion.draft``.
        """
        return self._application.draft_suggestion(command, self._acting(actor))

    def revise_suggestion(
        self, command: ReviseSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Revise the text before submission.

        Command ``suggestion.revise``.
        """
        return self._application.revise_suggestion(command, self._acting(actor))

    def invite_cosigner(
        self, command: InviteCosigner | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Invite an active deputy to co-sign.

        Command ``suggestion.invite``.
        """
        return self._application.invite_cosigner(command, self._acting(actor))

    def cosign_suggestion(
        self, command: CosignSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Confirm co-signing (附议); the co-signer must still be an active deputy.

        Command ``suggestion.cosign``.
        """
        return self._application.cosign_suggestion(command, self._acting(actor))

    def decline_cosign(
        self, command: CosignSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Decline an invitation to co-sign.

        Command ``suggestion.decline``.
        """
        return self._application.decline_cosign(command, self._acting(actor))

    def presubmit_suggestion(
        self, command: Presubmit | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Send the draft for pre-submission review.

        Command ``suggestion.presubmit``.
        """
        return self._application.presubmit_suggestion(command, self._acting(actor))

    def review_suggestion(
        self, command: ReviewSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record reviewers' comments; the draft goes back to the deputy.

        Command ``suggestion.review``.
        """
        return self._application.review_suggestion(command, self._acting(actor))

    def submit_suggestion(
        self, command: SubmitSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Formally submit; unconfirmed invitations lapse.

        Command ``suggestion.submit``.
        """
        return self._application.submit_suggestion(command, self._acting(actor))

    def accept_suggestion(
        self, command: AcceptSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Accept (立案).

        Command ``suggestion.accept``.
        """
        return self._application.accept_suggestion(command, self._acting(actor))

    def reject_suggestion(
        self, command: RejectSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Do not accept; the submission is handled as a letter.

        Command ``suggestion.reject``.
        """
        return self._application.reject_suggestion(command, self._acting(actor))

    def assign_suggestion(
        self, command: AssignSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Assign to a lead unit and co-units; the statutory clock starts.

        Command ``suggestion.assign``.
        """
        return self._application.assign_suggestion(command, self._acting(actor))

    def object_assignment(
        self, command: ObjectAssignment | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """A unit objects to its assignment, within its window.

        Command ``suggestion.object``.
        """
        return self._application.object_assignment(command, self._acting(actor))

    def reassign_suggestion(
        self, command: ReassignSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Grant pending objections: assign anew with a new clock.

        Command ``suggestion.reassign``.
        """
        return self._application.reassign_suggestion(command, self._acting(actor))

    def deny_objection(
        self, command: DenyObjection | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Deny a unit's objection; the assignment stands.

        Command ``suggestion.deny-objection``.
        """
        return self._application.deny_objection(command, self._acting(actor))

    def send_co_opinion(
        self, command: SendCoOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """A co-handling unit sends its opinion to the lead unit.

        Command ``suggestion.co-opinion``.
        """
        return self._application.send_co_opinion(command, self._acting(actor))

    def extend_suggestion(
        self, command: ExtendSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Extend the reply deadline (the deputy is told).

        Command ``suggestion.extend``.
        """
        return self._application.extend_suggestion(command, self._acting(actor))

    def contact_deputy(
        self, command: SuggestionContact | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record a contact between the unit and the deputy.

        Command ``suggestion.contact``.
        """
        return self._application.contact_deputy(command, self._acting(actor))

    def reply_suggestion(
        self, command: ReplySuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """The lead unit replies to the lead deputy and every co-signer.

        Command ``suggestion.reply``.
        """
        return self._application.reply_suggestion(command, self._acting(actor))

    def evaluate_suggestion(
        self, command: EvaluateSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """The lead deputy evaluates the reply.

        Command ``suggestion.evaluate``.
        """
        return self._application.evaluate_suggestion(command, self._acting(actor))

    def rehandle_suggestion(
        self, command: RehandleSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Order re-handling after a 不满意 evaluation.

        Command ``suggestion.rehandle``.
        """
        return self._application.rehandle_suggestion(command, self._acting(actor))

    def commit_suggestion(
        self, command: CommitSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record a dated commitment of a B/C reply.

        Command ``suggestion.commit``.
        """
        return self._application.commit_suggestion(command, self._acting(actor))

    def deliver_commitment(
        self, command: DeliverCommitment | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record that a commitment was delivered.

        Command ``suggestion.deliver``.
        """
        return self._application.deliver_commitment(command, self._acting(actor))

    def supervise_suggestion(
        self, command: SuperviseSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Put under priority supervision by a named leader.

        Command ``suggestion.supervise``.
        """
        return self._application.supervise_suggestion(command, self._acting(actor))

    def disclose_suggestion(
        self, command: DiscloseSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Publish the latest reply with contact details and secrets redacted.

        Command ``suggestion.disclose``.
        """
        return self._application.disclose_suggestion(command, self._acting(actor))

    def withdraw_suggestion(
        self, command: WithdrawSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Withdraw before assignment; a joint suggestion needs every co-signer.

        Command ``suggestion.withdraw``.
        """
        return self._application.withdraw_suggestion(command, self._acting(actor))

    def close_suggestion(
        self, command: CloseSuggestion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Close the case.

        Command ``suggestion.close``.
        """
        return self._application.close_suggestion(command, self._acting(actor))

    def merge_suggestions(
        self, command: MergeSuggestions | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Handle similar suggestions together (all saved in one transaction).

        Command ``suggestion.merge``.
        """
        return self._application.merge_suggestions(command, self._acting(actor))

    def open_bulletin(
        self, command: OpenBulletin | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Open an issue; returns its id (one per year and number).

        Command ``bulletin.open``.
        """
        return self._application.open_bulletin(command, self._acting(actor))

    def include_item(
        self, command: IncludeItem | Mapping[str, Any], actor: Actor | None = None
    ) -> int:
        """Include an item; a suggestion is linked both ways. Returns the item number.

        Command ``bulletin.include``.
        """
        return self._application.include_item(command, self._acting(actor))

    def remove_item(
        self, command: RemoveItem | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Take an item out before publication.

        Command ``bulletin.remove``.
        """
        return self._application.remove_item(command, self._acting(actor))

    def publish_bulletin(
        self, command: PublishBulletin | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Publish the issue to its recipients (省委, 省政府, …).

        Command ``bulletin.publish``.
        """
        return self._application.publish_bulletin(command, self._acting(actor))

    def instruct_item(
        self, command: InstructItem | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record the acting leader's instruction (批示) on an item.

        Command ``bulletin.instruct``.
        """
        return self._application.instruct_item(command, self._acting(actor))

    def forward_item(
        self, command: ForwardItem | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Forward an item for handling; returns the id of the suggestion assigned.

        Command ``bulletin.forward``.
        """
        return self._application.forward_item(command, self._acting(actor))

    def register_deputy(
        self, command: RegisterDeputy | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Register a deputy; returns the new deputy's id.

        Command ``deputy.register``.
        """
        return self._application.register_deputy(command, self._acting(actor))

    def correct_deputy(
        self, command: CorrectDeputy | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Correct recorded details of a deputy.

        Command ``deputy.correct``.
        """
        return self._application.correct_deputy(command, self._acting(actor))

    def liaise_deputy(
        self, command: AssignLiaison | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Assign a standing-committee member as the deputy's liaison.

        Command ``deputy.liaise``.
        """
        return self._application.liaise_deputy(command, self._acting(actor))

    def unliaise_deputy(
        self, command: EndLiaison | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """End the deputy's current liaison.

        Command ``deputy.unliaise``.
        """
        return self._application.unliaise_deputy(command, self._acting(actor))

    def record_contact(
        self, command: RecordContact | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record a contact between the liaison member and the deputy.

        Command ``deputy.contact``.
        """
        return self._application.record_contact(command, self._acting(actor))

    def terminate_deputy(
        self, command: TerminateDeputy | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Terminate a deputy's mandate.

        Command ``deputy.terminate``.
        """
        return self._application.terminate_deputy(command, self._acting(actor))

    def establish_station(
        self, command: EstablishStation | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Establish a station in a recorded township or street; returns its id.

        Command ``station.establish``.
        """
        return self._application.establish_station(command, self._acting(actor))

    def enter_station(
        self, command: EnterStation | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """A deputy (of any of the five levels) enters a station.

        Command ``station.enter``.
        """
        return self._application.enter_station(command, self._acting(actor))

    def leave_station(
        self, command: LeaveStation | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """A deputy leaves a station.

        Command ``station.leave``.
        """
        return self._application.leave_station(command, self._acting(actor))

    def hold_station_activity(
        self, command: HoldStationActivity | Mapping[str, Any], actor: Actor | None = None
    ) -> int:
        """Record an activity; the deputies present must be on the roster. Returns its number.

        Command ``station.activity``.
        """
        return self._application.hold_station_activity(command, self._acting(actor))

    def close_station(
        self, command: CloseStation | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Close a station.

        Command ``station.close``.
        """
        return self._application.close_station(command, self._acting(actor))

    def form_group(
        self, command: FormGroup | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Form a deputy group; returns its id.

        Command ``group.form``.
        """
        return self._application.form_group(command, self._acting(actor))

    def add_group_member(
        self, command: GroupMember | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Add an active deputy of the group's congress (level and term).

        Command ``group.add``.
        """
        return self._application.add_group_member(command, self._acting(actor))

    def remove_group_member(
        self, command: GroupMember | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Remove a member (a leader who leaves leaves the group leaderless).

        Command ``group.remove``.
        """
        return self._application.remove_group_member(command, self._acting(actor))

    def appoint_group_leader(
        self, command: GroupMember | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Appoint a member as the group's leader (组长).

        Command ``group.lead``.
        """
        return self._application.appoint_group_leader(command, self._acting(actor))

    def hold_group_activity(
        self, command: HoldGroupActivity | Mapping[str, Any], actor: Actor | None = None
    ) -> int:
        """Record a group activity; participants must be members. Returns its number.

        Command ``group.activity``.
        """
        return self._application.hold_group_activity(command, self._acting(actor))

    def dissolve_group(
        self, command: DissolveGroup | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Dissolve a group (at term end).

        Command ``group.dissolve``.
        """
        return self._application.dissolve_group(command, self._acting(actor))

    def collect_opinion(
        self, command: CollectOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Collect an item at an open station from deputies on its roster; returns its id.

        Command ``opinion.collect``.
        """
        return self._application.collect_opinion(command, self._acting(actor))

    def screen_opinion(
        self, command: ScreenOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Screen an item (duplicates are merged into another item: 汇总).

        Command ``opinion.screen``.
        """
        return self._application.screen_opinion(command, self._acting(actor))

    def answer_opinion(
        self, command: AnswerOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Answer an accepted item on the spot: routed and handled at once.

        Command ``opinion.answer``.
        """
        return self._application.answer_opinion(command, self._acting(actor))

    def refer_opinion(
        self, command: ReferOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Refer an accepted item to a local body or a department.

        Command ``opinion.refer``.
        """
        return self._application.refer_opinion(command, self._acting(actor))

    def escalate_opinion(
        self, command: EscalateOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> str:
        """Escalate an accepted item into a suggestion or a bulletin item; returns the target's id
        (a new draft suggestion when none is given).

        Command ``opinion.escalate``.
        """
        return self._application.escalate_opinion(command, self._acting(actor))

    def record_opinion_result(
        self, command: RecordOpinionResult | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record the handling result of a referred or escalated item.

        Command ``opinion.result``.
        """
        return self._application.record_opinion_result(command, self._acting(actor))

    def feed_back_opinion(
        self, command: FeedBackOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Feed the handling result back (only after a result is recorded).

        Command ``opinion.feedback``.
        """
        return self._application.feed_back_opinion(command, self._acting(actor))

    def evaluate_opinion(
        self, command: EvaluateOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record the citizen's evaluation: closes the item or reopens it.

        Command ``opinion.evaluate``.
        """
        return self._application.evaluate_opinion(command, self._acting(actor))

    def close_opinion(
        self, command: CloseOpinion | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Close an item (never without feedback).

        Command ``opinion.close``.
        """
        return self._application.close_opinion(command, self._acting(actor))

    def plan_course(
        self, command: PlanCourse | Mapping[str, Any], actor: Actor | None = None
    ) -> UUID:
        """Plan a training course; returns its id.

        Command ``training.plan``.
        """
        return self._application.plan_course(command, self._acting(actor))

    def enrol_deputies(
        self, command: CourseDeputies | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Enrol active deputies (of the course's target level, if it has one).

        Command ``training.enrol``.
        """
        return self._application.enrol_deputies(command, self._acting(actor))

    def record_attendance(
        self, command: CourseDeputies | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record that enrolled deputies attended on a day of the course.

        Command ``training.attend``.
        """
        return self._application.record_attendance(command, self._acting(actor))

    def complete_course(
        self, command: CourseDeputies | Mapping[str, Any], actor: Actor | None = None
    ) -> None:
        """Record that enrolled deputies who attended completed the course (结业).

        Command ``training.complete``.
        """
        return self._application.complete_course(command, self._acting(actor))
