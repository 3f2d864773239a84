"""Reporting to constituents (代表述职): record, evaluate, cancel.

- ``deputy.report-to-constituents``: a deputy reported on their duty performance to
  their constituents (staff, or the deputy themselves). The deputy must hold a mandate
  on the day; one deputy's report of one day at one place is recorded once.
- ``deputy.evaluate-report``: the attendees' evaluation (述职评议), once, by staff.
- ``deputy.cancel-report``: a report recorded in error is cancelled with a reason.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    BusinessDate,
    Command,
    LongText,
    Text,
    accepts_labels,
    command,
)
from renda_core.application.permissions import role_kind, role_subject
from renda_core.domain.accountability import (
    MAX_ATTENDEES,
    ConstituentReport,
    Evaluation,
    constituent_report_id,
)
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import Forbidden, RuleViolated
from renda_core.domain.values import Actor

STAFF = {"staff"}
STAFF_OR_DEPUTY = {"staff", "deputy"}
EvaluationField = Annotated[Evaluation, accepts_labels(Evaluation)]


class ReportToConstituents(Command):
    """A deputy reported on their duty performance to their constituents (代表述职)."""

    deputy_id: UUID
    date: BusinessDate = Field(description="business date: the day of the report")
    place: Text = Field(description="where (述职地点), e.g. 代表联络站")
    attendees: int = Field(ge=1, le=MAX_ATTENDEES, description="how many attended")
    audience: Text | None = Field(default=None, description="e.g. 原选区选民, 原选举单位")
    summary: LongText | None = None
    evaluation: EvaluationField | None = Field(
        default=None, description="the attendees' evaluation (评议), if taken at the meeting"
    )


class EvaluateReport(Command):
    """Record the attendees' evaluation of a report to constituents (述职评议)."""

    report_id: UUID
    evaluation: EvaluationField
    date: BusinessDate
    note: LongText | None = None


class CancelReport(Command):
    """Cancel a report to constituents recorded in error (撤销), with the reason."""

    report_id: UUID
    reason: Text
    date: BusinessDate


class AccountabilityCommands(RendaBase):
    """The ConstituentReport part of the application."""

    @command("deputy.report-to-constituents", ReportToConstituents, STAFF_OR_DEPUTY)
    def report_to_constituents(self, cmd: ReportToConstituents, actor: Actor) -> UUID:
        """Record a deputy's report to constituents (述职); returns its id."""
        if role_kind(actor.role) == "deputy" and role_subject(actor.role) != str(cmd.deputy_id):
            raise Forbidden(f"{actor} may record only their own report to constituents")
        deputy = self._load(Deputy, cmd.deputy_id, "deputy")
        if cmd.date < deputy.registered_on:
            raise RuleViolated(
                f"date {cmd.date} is before {deputy.name}'s mandate began ({deputy.registered_on})"
            )
        if deputy.terminated_on is not None and cmd.date > deputy.terminated_on:
            raise RuleViolated(
                f"date {cmd.date} is after {deputy.name}'s mandate ended ({deputy.terminated_on})"
            )
        deputy.check_may_exercise_duties("report to constituents (述职)", cmd.date)
        key = constituent_report_id(str(deputy.id), cmd.date, cmd.place)
        if self._exists(key):
            raise RuleViolated(
                f"{deputy.name}'s report of {cmd.date} at {cmd.place} is already recorded ({key})"
            )
        report = ConstituentReport.report(
            deputy_id=str(deputy.id),
            on=cmd.date,
            place=cmd.place,
            attendees=cmd.attendees,
            audience=cmd.audience,
            summary=cmd.summary,
            evaluation=cmd.evaluation,
            actor=actor,
        )
        self._save(report)
        return report.id

    @command("deputy.evaluate-report", EvaluateReport, STAFF)
    def evaluate_report(self, cmd: EvaluateReport, actor: Actor) -> None:
        """Record the attendees' evaluation of a report to constituents, once."""
        self._change(
            ConstituentReport,
            cmd.report_id,
            "report to constituents",
            lambda r: r.evaluate(
                evaluation=cmd.evaluation, note=cmd.note, on=cmd.date, actor=actor
            ),
        )

    @command("deputy.cancel-report", CancelReport, STAFF)
    def cancel_report(self, cmd: CancelReport, actor: Actor) -> None:
        """Cancel a report to constituents recorded in error (the reason is kept)."""
        self._change(
            ConstituentReport,
            cmd.report_id,
            "report to constituents",
            lambda r: r.cancel(reason=cmd.reason, on=cmd.date, actor=actor),
        )

    # -- queries ----------------------------------------------------------------

    def constituent_report(self, report_id: UUID | str) -> dict[str, Any]:
        """A report to constituents as plain data."""
        return self._load(ConstituentReport, report_id, "report to constituents").to_dict()
