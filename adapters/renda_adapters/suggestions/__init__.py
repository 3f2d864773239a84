"""Suggestion handling figures (代表建议办理): the ``suggestions`` view and report.

``renda report suggestions [--year Y] [--unit U] [--on D] [--as-of T] --json`` gives
``submitted``, ``accepted``, ``assigned``, ``replied``, ``replied_rate`` (办复率),
``on_time_rate``, ``by_class``, ``satisfaction_first`` / ``satisfaction_final``,
``rehandled``, ``overdue``, ``pending_due_dates`` (due dates waiting for a calendar
year, listed separately in ``pending``) and ``by_unit`` (with each unit's own
timeliness, ``unit_replied`` / ``unit_on_time_rate``, counted per part of a split
suggestion, 分办).

Counters are kept by the year of submission (the cohort a work report speaks of), the
lead deputy's area and level, and the lead unit (``key``), so ``--as-of``,
``--area`` and ``--level`` work on them. Rates are computed from counters. What is
overdue depends on a business date, so it is computed from the suggestions' documents
(one per suggestion; as of the ``--as-of`` moment when one is given) for ``--on``
(default: the as-of day, else today). The annual report counts it without the documents,
from ``open_reply_due`` (open reply deadlines by due date, :func:`overdue_on`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click
from eventsourcing.dispatch import singledispatchmethod

from renda_adapters.rollup import drop_key, rolled_up
from renda_core.application.inputs import BUSINESS_TZ
from renda_core.cli.asof import on_params, take_on
from renda_core.domain.reminder import URGE, Reminder
from renda_core.domain.suggestion import POSITIVE, Status, Suggestion, open_deadlines
from renda_core.ports import hookimpl
from renda_core.ports.contracts import Report
from renda_core.projections.reports import ReportContext
from renda_core.projections.unit import ViewUnit

if TYPE_CHECKING:
    from rich.table import Table

KIND = "suggestion"
VIEW = "suggestions"
SEP = "\t"  # class and unit in one counter key
REPLY_DEADLINES = ("reply_due", "rehandle_due")
DUES = "_dues"  # in a document: its contribution to ``open_reply_due`` (not shown)
NONE = "-"  # the area or level of a suggestion without one, in ``open_reply_due``


@rolled_up(
    "submitted",
    "accepted",
    "assigned",
    "replied",
    "replied_on_time",
    "reply_class",
    "evaluated_first",
    "satisfied_first",
    "evaluated_final",
    "satisfied_final",
    "rehandled",
    "open_reply_due",
    # province-wide, the unit left out: the annual report reads totals and classes
    province={
        **dict.fromkeys(
            (
                "submitted",
                "accepted",
                "assigned",
                "replied",
                "replied_on_time",
                "evaluated_first",
                "satisfied_first",
                "evaluated_final",
                "satisfied_final",
                "rehandled",
            ),
            drop_key,
        ),
        "reply_class": lambda key: key.partition(SEP)[0],
        "open_reply_due": None,  # key: the due date
    },
)
class SuggestionView:
    """One document per suggestion plus the handling counters."""

    name = VIEW
    version = 3  # 2: rolled up by prefecture, sections of issue 14; 3: province-wide
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        *(
            f"renda:Suggestion.{e}"
            for e in (
                "Drafted",
                "Revised",
                "Submitted",
                "SessionAssignmentDue",
                "Accepted",
                "NotAccepted",
                "Withdrawn",
                "Assigned",
                "AssignmentObjected",
                "Reassigned",
                "CoOpinionSent",
                "Extended",
                "ExtensionDecided",
                "DueDatesComputed",
                "PartReplied",
                "Replied",
                "Evaluated",
                "RehandlingOrdered",
                "CommitmentMade",
                "CommitmentDelivered",
                "Supervised",
                "Disclosed",
                "DisclosureWithheld",
                "Closed",
                "IncludedInBulletin",
            )
        ),
        "renda:Reminder.Issued",  # the clock's 催办, counted
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events of other kinds are not this adapter's business."""

    @process_event.register(Suggestion.Drafted)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            KIND,
            str(event.originator_id),
            {
                "title": event.title,
                "status": Status.DRAFT.value,
                "channel": event.channel,
                "source": event.source,
                "lead_deputy": event.lead_deputy,
                "lead_name": event.lead_name,
                "area": event.area,
                "level": event.level,
                "year": None,
                "submitted_on": None,
                "assigned_on": None,
                "lead_unit": None,
                "co_units": [],
                "co_opinions": [],
                "assignment_due": None,
                "reply_due": None,
                "rehandle_due": None,
                "disclosure_due": None,
                "disclosed": False,
                "withheld": False,
                "commitments": [],
                "replies": [],
                "evaluations": [],
                "supervised": False,
                "extended": False,
                "bulletin": False,
                "pending": {},
                "co_opinion_dues": {},
                "parts": [],
            },
        )

    @process_event.register(Suggestion.Revised)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        if "title" in event.changes:
            doc["title"] = event.changes["title"]
            self._put(view, event, doc)

    @process_event.register(Suggestion.Submitted)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc.update(
            status=Status.SUBMITTED.value,
            year=event.on.year,
            submitted_on=event.on.isoformat(),
            assignment_due=_iso(event.assignment_due),
        )
        doc.setdefault("pending", {}).update(getattr(event, "pending", None) or {})
        self._add(view, doc, "submitted")
        self._put(view, event, doc)

    @process_event.register(Suggestion.SessionAssignmentDue)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc.update(assignment_due=event.assignment_due.isoformat(), session_id=event.session_id)
        self._put(view, event, doc)

    @process_event.register(Suggestion.Accepted)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc["number"] = event.number
        self._put(view, event, doc)
        self._status(view, event, Status.ACCEPTED, "accepted")

    @process_event.register(Suggestion.NotAccepted)
    def _(self, event: Any, view: ViewUnit) -> None:
        self._status(view, event, Status.CONVERTED, "not_accepted")

    @process_event.register(Suggestion.Withdrawn)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        self._status(view, event, Status.WITHDRAWN, "withdrawn" if doc["year"] else None)

    @process_event.register(Suggestion.Assigned)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        self._assign(doc, event)
        self._add(view, doc, "assigned", doc["lead_unit"])
        if event.via_bulletin:
            self._add(view, doc, "forwarded_by_leaders", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.AssignmentObjected)
    def _(self, event: Any, view: ViewUnit) -> None:
        self._add(view, self._doc(view, event), "objections", event.unit)

    @process_event.register(Suggestion.Reassigned)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        self._add(view, doc, "assigned", doc["lead_unit"], -1)
        restarted = getattr(event, "restarted", None)  # None: an old log, every clock
        lead_restarted = restarted is None or event.lead_unit in restarted
        if doc["extended"] and lead_restarted:
            self._add(view, doc, "extended", doc["lead_unit"], -1)
            doc["extended"] = False
        self._assign(doc, event)
        self._add(view, doc, "assigned", doc["lead_unit"])
        self._add(view, doc, "reassigned", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.CoOpinionSent)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc["co_opinions"].append({"unit": event.unit, "late": event.late})
        self._put(view, event, doc)

    @process_event.register(Suggestion.ExtensionDecided)
    def _(self, event: Any, view: ViewUnit) -> None:
        if event.granted:
            self._extended(view, event)

    @process_event.register(Suggestion.Extended)
    def _(self, event: Any, view: ViewUnit) -> None:
        self._extended(view, event)

    @process_event.register(Suggestion.DueDatesComputed)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        for key, value in event.dates.items():
            name, _, detail = key.partition(":")
            if name == "co_opinion_due":
                doc.setdefault("co_opinion_dues", {})[detail] = value.isoformat()
                doc["co_opinion_due"] = doc.get("co_opinion_due") or value.isoformat()
            elif name == "on_time":
                reply = doc["replies"][int(detail) - 1]
                reply["on_time"] = reply["on"] <= value.isoformat()
                if reply["round"] == 1 and reply["on_time"]:
                    self._add(view, doc, "replied_on_time", doc["lead_unit"])
                    self._add(view, doc, "unit_replied_on_time", reply.get("unit"))
            elif name in ("assignment_due", "reply_due", "rehandle_due", "disclosure_due"):
                doc[name] = value.isoformat()
        doc["pending"] = dict(event.still_pending)
        self._put(view, event, doc)

    @process_event.register(Suggestion.PartReplied)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc.setdefault("parts", []).append({"unit": event.unit, "on_time": event.on_time})
        self._add(view, doc, "unit_replied", event.unit)
        if event.on_time:
            self._add(view, doc, "unit_replied_on_time", event.unit)
        self._put(view, event, doc)

    def _extended(self, view: ViewUnit, event: Any) -> None:
        doc = self._doc(view, event)
        doc["reply_due"] = event.until.isoformat()
        if not doc["extended"]:
            doc["extended"] = True
            self._add(view, doc, "extended", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.Replied)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        unit = doc["lead_unit"]
        if doc["replies"]:
            previous = doc["replies"][-1]["result_class"]
            self._add(view, doc, "reply_class", f"{previous}{SEP}{unit}", -1)
        else:
            self._add(view, doc, "replied", unit)
            if event.on_time:
                self._add(view, doc, "replied_on_time", unit)
            # each unit's own timeliness (the replying part's, for a split suggestion)
            part_on_time = event.on_time
            if doc.get("parts"):  # the last part of a split suggestion: its own timeliness
                part_on_time = event.due is not None and event.on <= event.due
            self._add(view, doc, "unit_replied", event.unit)
            if part_on_time:
                self._add(view, doc, "unit_replied_on_time", event.unit)
        self._add(view, doc, "reply_class", f"{event.result_class}{SEP}{unit}")
        doc["replies"].append(
            {
                "round": event.round,
                "on": event.on.isoformat(),
                "result_class": event.result_class,
                "on_time": event.on_time,
                "unit": event.unit,
            }
        )
        doc.update(
            status=Status.REPLIED.value,
            rehandle_due=None,
            disclosure_due=_iso(event.disclosure_due),
            disclosed=False,
            withheld=False,
        )
        pending = {
            k: v for k, v in doc.get("pending", {}).items() if not k.startswith("disclosure")
        }
        doc["pending"] = {**pending, **(getattr(event, "pending", None) or {})}
        self._put(view, event, doc)

    @process_event.register(Suggestion.Evaluated)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        unit = doc["lead_unit"]
        now = {"result": event.result, "attitude": event.attitude}
        if not doc["evaluations"]:
            self._rating(view, doc, "first", now, +1)
        else:
            self._rating(view, doc, "final", doc["evaluations"][-1], -1)
        self._rating(view, doc, "final", now, +1)
        doc["evaluations"].append({**now, "round": event.round, "on": event.on.isoformat()})
        doc["status"] = Status.EVALUATED.value
        if event.result not in POSITIVE or event.attitude not in POSITIVE:
            self._add(view, doc, "dissatisfied_evaluations", unit)
        self._put(view, event, doc)

    @process_event.register(Suggestion.RehandlingOrdered)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc.update(status=Status.REHANDLING.value, rehandle_due=_iso(event.due))
        doc.setdefault("pending", {}).update(getattr(event, "pending", None) or {})
        doc["rehandlings"] = doc.get("rehandlings", 0) + 1
        self._add(view, doc, "rehandled", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.CommitmentMade)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc["commitments"].append(
            {"number": event.number, "due": event.due.isoformat(), "delivered_on": None}
        )
        self._add(view, doc, "commitments", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.CommitmentDelivered)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc["commitments"][event.number - 1]["delivered_on"] = event.on.isoformat()
        self._add(view, doc, "commitments_delivered", doc["lead_unit"])
        if event.on_time:
            self._add(view, doc, "commitments_delivered_on_time", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.Supervised)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        if not doc["supervised"]:
            doc["supervised"] = True
            self._add(view, doc, "supervised", doc["lead_unit"] or "")
            self._put(view, event, doc)

    @process_event.register(Suggestion.Disclosed)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc["disclosed"] = True
        if event.round == 1:
            self._add(view, doc, "disclosed", doc["lead_unit"])
            if event.on_time:
                self._add(view, doc, "disclosed_on_time", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.DisclosureWithheld)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc["withheld"] = True
        if event.round == 1:
            self._add(view, doc, "disclosure_withheld", doc["lead_unit"])
        self._put(view, event, doc)

    @process_event.register(Suggestion.Closed)
    def _(self, event: Any, view: ViewUnit) -> None:
        self._status(view, event, Status.CLOSED, "closed", unit=True)

    @process_event.register(Suggestion.IncludedInBulletin)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = self._doc(view, event)
        doc["bulletin"] = True
        self._put(view, event, doc)

    # -- helpers --------------------------------------------------------------------

    @process_event.register(Reminder.Issued)
    def _(self, event: Any, view: ViewUnit) -> None:
        """The clock's 催办 (``renda clock tick``): counted per suggestion and unit."""
        if event.kind != URGE:
            return
        doc = view.get(KIND, event.suggestion_id)
        if doc is None:
            return
        doc["urged"] = doc.get("urged", 0) + 1
        self._add(view, doc, "urged", event.owner)
        view.put(KIND, event.suggestion_id, doc)

    @staticmethod
    def _doc(view: ViewUnit, event: Any) -> dict[str, Any]:
        doc = view.get(KIND, str(event.originator_id))
        if doc is None:
            raise LookupError(f"suggestion {event.originator_id} was never drafted")
        return doc

    @staticmethod
    def _put(view: ViewUnit, event: Any, doc: dict[str, Any]) -> None:
        _sync_open_dues(view, doc)
        view.put(KIND, str(event.originator_id), doc)

    @staticmethod
    def _add(
        view: ViewUnit, doc: dict[str, Any], figure: str, key: str | None = "", delta: int = 1
    ) -> None:
        view.add(
            figure,
            delta,
            key=key or "",
            area=doc["area"] or "",
            level=doc["level"] or "",
            year=doc["year"] or 0,
        )

    def _status(
        self,
        view: ViewUnit,
        event: Any,
        status: Status,
        figure: str | None,
        *,
        unit: bool = False,
    ) -> None:
        doc = self._doc(view, event)
        doc["status"] = status.value
        if figure:
            self._add(view, doc, figure, doc["lead_unit"] if unit else "")
        self._put(view, event, doc)

    @staticmethod
    def _assign(doc: dict[str, Any], event: Any) -> None:
        doc.update(
            status=Status.ASSIGNED.value,
            assigned_on=event.on.isoformat(),
            lead_unit=event.lead_unit,
            co_units=list(event.co_units),
            co_opinions=[],
            reply_due=_iso(event.reply_due),
            co_opinion_due=_iso(event.co_opinion_due),
            co_opinion_dues={
                u: _iso(d)
                for u, d in (
                    getattr(event, "co_opinion_dues", None)
                    or {u: event.co_opinion_due for u in event.co_units}
                ).items()
            },
            assignment_due=None,
        )
        kept = {
            k: v
            for k, v in doc.get("pending", {}).items()
            if not k.startswith(("reply_due", "objection_until", "co_opinion_due", "extension"))
        }
        doc["pending"] = {**kept, **(getattr(event, "pending", None) or {})}
        doc["parts"] = []

    def _rating(
        self, view: ViewUnit, doc: dict[str, Any], which: str, rating: dict[str, Any], sign: int
    ) -> None:
        unit = doc["lead_unit"]
        self._add(view, doc, f"evaluated_{which}", unit, sign)
        if rating["result"] in POSITIVE:
            self._add(view, doc, f"satisfied_{which}", unit, sign)
        if rating["attitude"] in POSITIVE:
            self._add(view, doc, f"attitude_satisfied_{which}", unit, sign)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def today() -> date:
    return datetime.now(BUSINESS_TZ).date()


def _sync_open_dues(view: ViewUnit, doc: dict[str, Any]) -> None:
    """Count the suggestion's open reply deadlines (``open_reply_due``, key: the due
    date), so what is overdue on a day is a sum over due dates before it, whatever the
    number of suggestions. The contribution replaces the one kept in ``doc['_dues']``."""
    new: list[list[Any]] = []
    if doc["year"]:
        where = [doc["area"] or NONE, doc["level"] or NONE, doc["year"]]
        new = sorted(
            [entry["due"], *where]
            for entry in open_deadlines(doc)
            if entry["deadline"] in REPLY_DEADLINES
        )
    old = doc.get(DUES, [])
    if new == old:
        return
    for entries, sign in ((old, -1), (new, 1)):
        for due, area, level, year in entries:
            view.add("open_reply_due", sign, key=due, area=area, level=level, year=year)
    if new:
        doc[DUES] = new
    else:
        doc.pop(DUES, None)


def overdue_on(ctx: ReportContext, day: date, year: int) -> int:
    """Reply deadlines of ``year``'s suggestions open and due before ``day`` (what
    ``late_items(..., REPLY_DEADLINES)`` counts), from ``open_reply_due``."""
    before = day.isoformat()
    return sum(
        r.value for r in ctx.figures(["open_reply_due"]) if r.year == year and r.key < before
    )


def rate(numerator: int, denominator: int) -> float | None:
    """A share rounded to four places, or None when nothing was counted."""
    return round(numerator / denominator, 4) if denominator else None


def matching_docs(
    ctx: ReportContext, *, year: int | None = None, unit: str | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """The view's suggestion documents under the report's filters."""
    rows = []
    for key, doc in ctx.entities(KIND):
        if DUES in doc:
            doc = {k: v for k, v in doc.items() if k != DUES}
        if year is not None and doc["year"] != year:
            continue
        if ctx.area and not (doc["area"] or "").startswith(ctx.area):
            continue
        if ctx.level and doc["level"] != ctx.level:
            continue
        if unit is not None and doc["lead_unit"] != unit and unit not in doc["co_units"]:
            continue
        rows.append((key, doc))
    return rows


def late_items(
    docs: list[tuple[str, dict[str, Any]]], on: date, deadlines: tuple[str, ...] | None = None
) -> list[dict[str, Any]]:
    """Every deadline late on ``on`` (due before it and still open)."""
    late = []
    for key, doc in docs:
        for entry in open_deadlines(doc, on):
            if entry["late"] and (deadlines is None or entry["deadline"] in deadlines):
                late.append({"id": key, "title": doc["title"], "status": doc["status"], **entry})
    return sorted(late, key=lambda e: (e["owner"], e["due"], e["id"]))


def pending_items(docs: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Due dates waiting for a calendar year (not overdue, not on time: pending)."""
    out = []
    for key, doc in docs:
        for deadline, entry in sorted((doc.get("pending") or {}).items()):
            name, _, detail = deadline.partition(":")
            if name == "on_time":
                continue  # a reply's timeliness waits with its due date, listed there
            out.append(
                {
                    "id": key,
                    "title": doc["title"],
                    "deadline": name,
                    "unit": detail or doc.get("lead_unit"),
                    "start": entry["start"],
                    "year": entry["year"],
                }
            )
    return sorted(out, key=lambda e: (e["year"], e["start"], e["id"], e["deadline"]))


def build_suggestions(
    ctx: ReportContext,
    year: int | None = None,
    unit: str | None = None,
    on: str | None = None,
    overdue_on: str | None = None,
) -> dict[str, Any]:
    """The handling report: the figures of a work report's suggestion paragraph.

    Overdue is judged on ``on`` (``overdue_on`` is its deprecated name), by default the
    context's business date (the as-of day, else today)."""

    def by_unit(figure: str) -> dict[str, int]:
        return ctx.by(figure, "key", year=year)

    def count(figure: str) -> int:
        return by_unit(figure).get(unit, 0) if unit else ctx.total(figure, year=year)

    on_day = take_on(on, overdue_on, "overdue-on") or ctx.today
    docs = matching_docs(ctx, year=year)
    overdue = late_items(docs, on_day, REPLY_DEADLINES)
    overdue_by_unit: dict[str, int] = {}
    for entry in overdue:
        overdue_by_unit[entry["owner"]] = overdue_by_unit.get(entry["owner"], 0) + 1

    by_class: dict[str, int] = {}
    for key, value in by_unit("reply_class").items():
        cls, _, owner = key.partition(SEP)
        if value and (unit is None or owner == unit):
            by_class[cls] = by_class.get(cls, 0) + value

    units: dict[str, dict[str, Any]] = {}
    figures = {
        name: by_unit(name)
        for name in (
            "assigned",
            "replied",
            "replied_on_time",
            "evaluated_first",
            "satisfied_first",
            "evaluated_final",
            "satisfied_final",
            "rehandled",
            "extended",
            "unit_replied",
            "unit_replied_on_time",
        )
    }
    for name in sorted(
        set(figures["assigned"]) | set(overdue_by_unit) | set(figures["unit_replied"])
    ):
        if unit is not None and name != unit:
            continue
        f = {k: v.get(name, 0) for k, v in figures.items()}
        if not any(f.values()) and name not in overdue_by_unit:
            continue
        units[name] = {
            "assigned": f["assigned"],
            "replied": f["replied"],
            "replied_rate": rate(f["replied"], f["assigned"]),
            "on_time_rate": rate(f["replied_on_time"], f["replied"]),
            "satisfaction_first": rate(f["satisfied_first"], f["evaluated_first"]),
            "satisfaction_final": rate(f["satisfied_final"], f["evaluated_final"]),
            "rehandled": f["rehandled"],
            "extended": f["extended"],
            "overdue": overdue_by_unit.get(name, 0),
            "unit_replied": f["unit_replied"],
            "unit_on_time_rate": rate(f["unit_replied_on_time"], f["unit_replied"]),
        }

    pending = pending_items(docs)
    if unit is not None:
        pending = [p for p in pending if p["unit"] in (unit, None)]
    assigned, replied = count("assigned"), count("replied")
    return {
        "year": year,
        "unit": unit,
        "submitted": ctx.total("submitted", year=year) if unit is None else None,
        "accepted": ctx.total("accepted", year=year) if unit is None else None,
        "not_accepted": ctx.total("not_accepted", year=year) if unit is None else None,
        "withdrawn": ctx.total("withdrawn", year=year) if unit is None else None,
        "assigned": assigned,
        "replied": replied,
        "replied_rate": rate(replied, assigned),
        "replied_on_time": count("replied_on_time"),
        "on_time_rate": rate(count("replied_on_time"), replied),
        "by_class": dict(sorted(by_class.items())),
        "evaluated_first": count("evaluated_first"),
        "satisfaction_first": rate(count("satisfied_first"), count("evaluated_first")),
        "attitude_satisfaction_first": rate(
            count("attitude_satisfied_first"), count("evaluated_first")
        ),
        "evaluated_final": count("evaluated_final"),
        "satisfaction_final": rate(count("satisfied_final"), count("evaluated_final")),
        "attitude_satisfaction_final": rate(
            count("attitude_satisfied_final"), count("evaluated_final")
        ),
        "rehandled": count("rehandled"),
        "extended": count("extended"),
        "reassigned": count("reassigned"),
        "supervised": count("supervised"),
        "urged": count("urged"),
        "forwarded_by_leaders": count("forwarded_by_leaders"),
        "closed": count("closed"),
        "disclosed": count("disclosed"),
        "disclosed_on_time": count("disclosed_on_time"),
        "disclosure_withheld": count("disclosure_withheld"),
        "commitments": count("commitments"),
        "commitments_delivered": count("commitments_delivered"),
        "commitments_delivered_on_time": count("commitments_delivered_on_time"),
        "overdue": len({e["id"] for e in overdue if unit is None or e["owner"] == unit}),
        "overdue_on": on_day.isoformat(),
        "pending_due_dates": len(pending),
        "pending": pending,
        "by_unit": units,
        "as_of": ctx.as_of_label,
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_suggestions(data: dict[str, Any], lang: str = "zh") -> Table:
    from rich.table import Table

    zh = lang == "zh"
    scope = f"{data['year']}年" if data["year"] and zh else (str(data["year"] or ""))
    table = Table(title=f"{scope}代表建议办理情况" if zh else f"Suggestions handled {scope}")
    table.add_column("指标" if zh else "Figure")
    table.add_column("数值" if zh else "Value", justify="right")
    rows = [
        ("提交建议", "Submitted", data["submitted"]),
        ("立案", "Accepted", data["accepted"]),
        ("交办", "Assigned", data["assigned"]),
        ("已答复", "Replied", data["replied"]),
        ("办复率", "Reply rate", _pct(data["replied_rate"])),
        ("按期答复率", "On time", _pct(data["on_time_rate"])),
        ("首次满意率", "Satisfied (first)", _pct(data["satisfaction_first"])),
        ("最终满意率", "Satisfied (final)", _pct(data["satisfaction_final"])),
        ("重新办理", "Re-handled", data["rehandled"]),
        ("重点督办", "Supervised", data["supervised"]),
        ("已催办（次）", "Urgings (催办)", data["urged"]),
        ("逾期未复", "Overdue", data["overdue"]),
        ("待定期限（缺节假日安排）", "Pending due dates", data["pending_due_dates"]),
    ]
    for zh_label, en_label, value in rows:
        if value is not None:
            table.add_row(zh_label if zh else en_label, str(value))
    for cls, value in data["by_class"].items():
        table.add_row(f"{cls}类答复" if zh else f"Class {cls}", str(value))
    for name, u in data["by_unit"].items():
        table.add_row(
            f"  {name}",
            f"{u['replied']}/{u['assigned']} · {_pct(u['on_time_rate'])}"
            + (f" · 逾期{u['overdue']}" if u["overdue"] else ""),
        )
    table.caption = ("逾期计算日 " if zh else "overdue on ") + data["overdue_on"]
    return table


SUGGESTION_OPTIONS = (
    click.Option(["--year"], type=int, help="Only suggestions submitted in this year."),
    click.Option(["--unit"], help="Only this lead handling unit (主办单位)."),
    *on_params(old_name="overdue-on"),
)


@hookimpl
def renda_register_projections(register: Any) -> None:
    register(SuggestionView())


@hookimpl
def renda_register_reports(register: Any) -> None:
    register(
        Report(
            name="suggestions",
            title="代表建议办理情况 Suggestions handled",
            projection=VIEW,
            build=build_suggestions,
            render=render_suggestions,
            options=SUGGESTION_OPTIONS,
        )
    )
    from .handling import HANDLING

    register(HANDLING)


@hookimpl
def renda_register_commands(cli: click.Group) -> None:
    """``renda report handling`` with its formats (csv, html) and ``--output``."""
    from .handling import report_handling

    report_group = cli.commands.get("report")
    if isinstance(report_group, click.Group):
        report_group.add_command(report_handling)


__all__ = ["SuggestionView", "build_suggestions", "late_items", "matching_docs", "pending_items"]
