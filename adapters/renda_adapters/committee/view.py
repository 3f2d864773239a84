"""The ``committee`` view: standing-committee members with their 双联系 ledger, bodies,
and the year's deputy-work plans.

Documents: ``member`` (the member, the deputies he liaises with since/until, his
contacts and the last contact per deputy), ``deputy`` (name, the members liaising),
``body``, ``plan`` (tasks with progress and completion). Figures by business year:
``member_contacts``, ``body_contacts``, ``participations`` (by kind); ``plan_tasks``
and ``plan_tasks_completed`` by the plan's level and year (the annual report's plan
completion).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.dispatch import singledispatchmethod

from renda_core.domain.committee import CommitteeBody, CommitteeMember
from renda_core.domain.deputy import Deputy
from renda_core.domain.plan import Campaign, WorkPlan
from renda_core.projections.unit import ViewUnit

MEMBER, DEPUTY, BODY, PLAN, CAMPAIGN = "member", "deputy", "body", "plan", "campaign"


class CommitteeProjection:
    name = "committee"
    version = 2  # figures for the annual report: rolled up by prefecture, sections of issue 14
    pure = True  # changes nothing but its view: no undo copies (see Projection)
    topics = (
        "renda:Deputy.Registered",
        "renda:Deputy.LiaisonAssigned",
        "renda:Deputy.LiaisonEnded",
        "renda:Deputy.ContactRecorded",
        "renda:Deputy.MandateTerminated",
        "renda:CommitteeMember.Appointed",
        "renda:CommitteeMember.LeftOffice",
        "renda:CommitteeBody.Established",
        "renda:CommitteeBody.MemberJoined",
        "renda:CommitteeBody.MemberLeft",
        "renda:CommitteeBody.ContactRecorded",
        "renda:CommitteeBody.ParticipationRecorded",
        "renda:WorkPlan.Adopted",
        "renda:WorkPlan.TaskAdded",
        "renda:WorkPlan.ProgressReported",
        "renda:WorkPlan.TaskCompleted",
        "renda:Campaign.Launched",
        "renda:Campaign.TaskLinked",
        "renda:Campaign.Concluded",
    )

    @singledispatchmethod
    def process_event(self, event: Any, view: ViewUnit) -> None:
        """Events of other kinds are not this adapter's business."""

    # -- members and the ledger ---------------------------------------------------

    @process_event.register(CommitteeMember.Appointed)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            MEMBER,
            str(event.originator_id),
            {
                "name": event.name,
                "position": event.position,
                "level": event.level,
                "term": event.term,
                "since": event.on.isoformat(),
                "left_on": None,
                "deputies": [],
                "contacts": [],
                "bodies": [],
            },
        )

    @process_event.register(CommitteeMember.LeftOffice)
    def _(self, event: Any, view: ViewUnit) -> None:
        doc = _get(view, MEMBER, str(event.originator_id))
        doc["left_on"] = event.on.isoformat()
        view.put(MEMBER, str(event.originator_id), doc)

    @process_event.register(Deputy.Registered)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(DEPUTY, str(event.originator_id), {"name": event.name, "members": []})

    @process_event.register(Deputy.LiaisonAssigned)
    def _(self, event: Any, view: ViewUnit) -> None:
        member = view.get(MEMBER, event.member)
        if member is None:  # a free-text liaison (before members were records)
            return
        deputy_id = str(event.originator_id)
        deputy = _get(view, DEPUTY, deputy_id)
        earlier = [c["on"] for c in member["contacts"] if c["deputy_id"] == deputy_id]
        member["deputies"].append(
            {
                "deputy_id": deputy_id,
                "name": deputy["name"],
                "since": event.on.isoformat(),
                "until": None,
                "contacts": len(earlier),  # every contact of this member with the deputy
                "last_contact": max(earlier, default=None),
            }
        )
        deputy["members"].append(event.member)
        view.put(MEMBER, event.member, member)
        view.put(DEPUTY, deputy_id, deputy)

    @process_event.register(Deputy.LiaisonEnded)
    def _(self, event: Any, view: ViewUnit) -> None:
        if event.member is None or view.get(MEMBER, event.member) is None:
            return
        self._end(view, event.member, str(event.originator_id), event.on.isoformat())

    @process_event.register(Deputy.MandateTerminated)
    def _(self, event: Any, view: ViewUnit) -> None:
        deputy = view.get(DEPUTY, str(event.originator_id))
        for member_id in list(deputy["members"]) if deputy else ():
            self._end(view, member_id, str(event.originator_id), event.on.isoformat())

    def _end(self, view: ViewUnit, member_id: str, deputy_id: str, on: str) -> None:
        member = _get(view, MEMBER, member_id)
        for entry in member["deputies"]:
            if entry["deputy_id"] == deputy_id and entry["until"] is None:
                entry["until"] = on
        view.put(MEMBER, member_id, member)
        deputy = _get(view, DEPUTY, deputy_id)
        if member_id in deputy["members"]:
            deputy["members"].remove(member_id)
        view.put(DEPUTY, deputy_id, deputy)

    @process_event.register(Deputy.ContactRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        member = view.get(MEMBER, event.member)
        if member is None:
            return
        deputy_id = str(event.originator_id)
        on = event.on.isoformat()
        member["contacts"].append(
            {"deputy_id": deputy_id, "form": event.form, "note": event.note, "on": on}
        )
        for entry in member["deputies"]:
            if entry["deputy_id"] == deputy_id:
                entry["contacts"] += 1
                entry["last_contact"] = max(entry["last_contact"] or on, on)
        view.put(MEMBER, event.member, member)
        view.add("member_contacts", key=event.form, level=member["level"], year=event.on.year)

    # -- bodies -----------------------------------------------------------------

    @process_event.register(CommitteeBody.Established)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            BODY,
            str(event.originator_id),
            {
                "name": event.name,
                "kind": event.kind,
                "level": event.level,
                "members": [],
                "contacts": 0,
                "participations": 0,
            },
        )

    @process_event.register(CommitteeBody.MemberJoined)
    def _(self, event: Any, view: ViewUnit) -> None:
        body = _get(view, BODY, str(event.originator_id))
        body["members"].append(event.member_id)
        view.put(BODY, str(event.originator_id), body)
        member = _get(view, MEMBER, event.member_id)
        member["bodies"].append(str(event.originator_id))
        view.put(MEMBER, event.member_id, member)

    @process_event.register(CommitteeBody.MemberLeft)
    def _(self, event: Any, view: ViewUnit) -> None:
        body = _get(view, BODY, str(event.originator_id))
        body["members"].remove(event.member_id)
        view.put(BODY, str(event.originator_id), body)
        member = _get(view, MEMBER, event.member_id)
        member["bodies"].remove(str(event.originator_id))
        view.put(MEMBER, event.member_id, member)

    @process_event.register(CommitteeBody.ContactRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        body = _get(view, BODY, str(event.originator_id))
        body["contacts"] += 1
        view.put(BODY, str(event.originator_id), body)
        view.add("body_contacts", key=body["kind"], level=body["level"], year=event.on.year)

    @process_event.register(CommitteeBody.ParticipationRecorded)
    def _(self, event: Any, view: ViewUnit) -> None:
        body = _get(view, BODY, str(event.originator_id))
        body["participations"] += 1
        view.put(BODY, str(event.originator_id), body)
        view.add("participations", key=event.kind, level=body["level"], year=event.on.year)
        view.add(
            "participating_deputies",
            len(event.deputies),
            key=event.kind,
            level=body["level"],
            year=event.on.year,
        )

    # -- plans and campaigns -----------------------------------------------------

    @process_event.register(WorkPlan.Adopted)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            PLAN,
            str(event.originator_id),
            {
                "title": event.title,
                "level": event.level,
                "year": event.year,
                "adopted_on": event.on.isoformat(),
                "tasks": [],
            },
        )

    @process_event.register(WorkPlan.TaskAdded)
    def _(self, event: Any, view: ViewUnit) -> None:
        plan = _get(view, PLAN, str(event.originator_id))
        plan["tasks"].append(
            {
                "number": event.number,
                "title": event.title,
                "owner": event.owner,
                "due": event.due.isoformat(),
                "percent": 0,
                "completed_on": None,
                "campaigns": [],
            }
        )
        view.put(PLAN, str(event.originator_id), plan)
        view.add("plan_tasks", level=plan["level"], year=plan["year"])

    @process_event.register(WorkPlan.ProgressReported)
    def _(self, event: Any, view: ViewUnit) -> None:
        plan = _get(view, PLAN, str(event.originator_id))
        plan["tasks"][event.number - 1]["percent"] = event.percent
        view.put(PLAN, str(event.originator_id), plan)

    @process_event.register(WorkPlan.TaskCompleted)
    def _(self, event: Any, view: ViewUnit) -> None:
        plan = _get(view, PLAN, str(event.originator_id))
        task = plan["tasks"][event.number - 1]
        if task["completed_on"] is None:
            view.add("plan_tasks_completed", level=plan["level"], year=plan["year"])
        task["percent"] = 100
        task["completed_on"] = event.on.isoformat()
        view.put(PLAN, str(event.originator_id), plan)

    @process_event.register(Campaign.Launched)
    def _(self, event: Any, view: ViewUnit) -> None:
        view.put(
            CAMPAIGN,
            str(event.originator_id),
            {"title": event.title, "launched_on": event.on.isoformat(), "concluded_on": None},
        )

    @process_event.register(Campaign.TaskLinked)
    def _(self, event: Any, view: ViewUnit) -> None:
        campaign = _get(view, CAMPAIGN, str(event.originator_id))
        plan = _get(view, PLAN, event.plan_id)
        plan["tasks"][event.number - 1]["campaigns"].append(campaign["title"])
        view.put(PLAN, event.plan_id, plan)

    @process_event.register(Campaign.Concluded)
    def _(self, event: Any, view: ViewUnit) -> None:
        campaign = _get(view, CAMPAIGN, str(event.originator_id))
        campaign["concluded_on"] = event.on.isoformat()
        view.put(CAMPAIGN, str(event.originator_id), campaign)


def _get(view: ViewUnit, kind: str, key: str) -> dict[str, Any]:
    doc = view.get(kind, key)
    if doc is None:
        raise LookupError(f"{kind} {key} is not in the committee view")
    return doc
