"""``renda audit history ID``: one record's timeline, read through the index on the
originator (the events table's primary key), never a scan of the log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from renda_core.application.base import RendaBase, store_errors, to_uuid
from renda_core.domain.errors import NotFound

#: (Chinese, English) label of each aggregate, by the first part of its event topics
AGGREGATES: dict[str, tuple[str, str]] = {
    "Deputy": ("代表", "deputy"),
    "Station": ("代表家站", "station"),
    "Opinion": ("社情民意", "opinion"),
    "Suggestion": ("代表建议", "suggestion"),
    "DeputyGroup": ("代表小组", "deputy group"),
    "Bulletin": ("《人大代表之声》专刊", "bulletin"),
    "TrainingCourse": ("培训班", "training course"),
    "CalendarYear": ("工作日历", "calendar year"),
    "Division": ("行政区划", "division"),
    "Operation": ("运维操作", "operation"),
    "ActorRegistry": ("操作人登记", "actor registry"),
}

#: (Chinese, English) label of each event, by its topic without ``renda:``
EVENTS: dict[str, tuple[str, str]] = {
    "Bulletin.Opened": ("专刊开编", "issue opened"),
    "Bulletin.ItemIncluded": ("收录事项", "item included"),
    "Bulletin.ItemRemoved": ("移出事项", "item removed"),
    "Bulletin.Published": ("报送领导", "published to the leaders"),
    "Bulletin.InstructionRecorded": ("记录领导批示", "leader's instruction recorded"),
    "Bulletin.ItemForwarded": ("批转办理", "item forwarded for handling"),
    "CalendarYear.Added": ("添加年度日历", "calendar year added"),
    "CalendarYear.Revised": ("修订年度日历", "calendar year revised"),
    "Operation.Performed": ("执行运维操作", "operation performed"),
    "ActorRegistry.Started": ("建立操作人登记", "registry started"),
    "ActorRegistry.ActorAdded": ("登记操作人", "actor added"),
    "ActorRegistry.RoleGranted": ("授予角色", "role granted"),
    "ActorRegistry.RoleRevoked": ("撤销角色", "role revoked"),
    "ActorRegistry.ActorRevoked": ("撤销操作人", "actor revoked"),
    "Deputy.Registered": ("代表登记", "registered"),
    "Deputy.DetailsCorrected": ("更正信息", "details corrected"),
    "Deputy.ContactRecorded": ("记录联系", "contact recorded"),
    "Deputy.LiaisonAssigned": ("确定双联系", "liaison assigned"),
    "Deputy.LiaisonEnded": ("结束双联系", "liaison ended"),
    "Deputy.MandateTerminated": ("代表资格终止", "mandate terminated"),
    "DeputyGroup.Formed": ("组建代表小组", "group formed"),
    "DeputyGroup.MemberAdded": ("加入成员", "member added"),
    "DeputyGroup.MemberRemoved": ("移出成员", "member removed"),
    "DeputyGroup.LeaderAppointed": ("任命组长", "leader appointed"),
    "DeputyGroup.ActivityHeld": ("开展小组活动", "activity held"),
    "DeputyGroup.Dissolved": ("撤销代表小组", "group dissolved"),
    "Division.Recorded": ("登记区划", "division recorded"),
    "Division.Corrected": ("更正区划", "division corrected"),
    "Opinion.Collected": ("收集", "collected"),
    "Opinion.Screened": ("汇总筛选", "screened"),
    "Opinion.AnsweredOnTheSpot": ("当场答复", "answered on the spot"),
    "Opinion.DuplicateMerged": ("合并重复", "duplicate merged"),
    "Opinion.Referred": ("转交办理", "referred"),
    "Opinion.ResultRecorded": ("记录办理结果", "result recorded"),
    "Opinion.FedBack": ("反馈", "fed back"),
    "Opinion.Evaluated": ("评价", "evaluated"),
    "Opinion.Escalated": ("转为代表建议", "escalated to a suggestion"),
    "Opinion.Closed": ("办结", "closed"),
    "Station.Established": ("设立家站", "established"),
    "Station.DeputyEntered": ("代表进站", "deputy entered"),
    "Station.DeputyLeft": ("代表离站", "deputy left"),
    "Station.ActivityHeld": ("开展进站活动", "activity held"),
    "Station.Closed": ("撤销家站", "closed"),
    "Suggestion.Drafted": ("起草", "drafted"),
    "Suggestion.CosignerInvited": ("邀请附议", "co-signer invited"),
    "Suggestion.Cosigned": ("附议", "co-signed"),
    "Suggestion.CosignDeclined": ("拒绝附议", "co-signing declined"),
    "Suggestion.Revised": ("修改", "revised"),
    "Suggestion.Presubmitted": ("预提交", "pre-submitted"),
    "Suggestion.Reviewed": ("预审", "reviewed"),
    "Suggestion.Submitted": ("提交", "submitted"),
    "Suggestion.Withdrawn": ("撤回", "withdrawn"),
    "Suggestion.Accepted": ("立案", "accepted"),
    "Suggestion.NotAccepted": ("不予立案", "not accepted"),
    "Suggestion.Assigned": ("交办", "assigned"),
    "Suggestion.AssignmentObjected": ("申请调整", "assignment objected"),
    "Suggestion.ObjectionDenied": ("驳回调整申请", "objection denied"),
    "Suggestion.Reassigned": ("重新交办", "reassigned"),
    "Suggestion.CoOpinionSent": ("协办意见", "co-handling opinion sent"),
    "Suggestion.ContactRecorded": ("记录沟通", "contact recorded"),
    "Suggestion.Extended": ("延期", "extended"),
    "Suggestion.Replied": ("答复", "replied"),
    "Suggestion.Evaluated": ("代表评价", "evaluated"),
    "Suggestion.RehandlingOrdered": ("重新办理", "re-handling ordered"),
    "Suggestion.HandledTogether": ("并案办理", "handled together"),
    "Suggestion.Supervised": ("督办", "supervised"),
    "Suggestion.CommitmentMade": ("作出承诺", "commitment made"),
    "Suggestion.CommitmentDelivered": ("兑现承诺", "commitment delivered"),
    "Suggestion.Disclosed": ("公开答复", "disclosed"),
    "Suggestion.IncludedInBulletin": ("收入专刊", "included in the bulletin"),
    "Suggestion.OpinionLinked": ("关联社情民意", "opinion linked"),
    "Suggestion.Closed": ("办结", "closed"),
    "TrainingCourse.Planned": ("计划培训班", "course planned"),
    "TrainingCourse.DeputyEnrolled": ("代表报名", "deputy enrolled"),
    "TrainingCourse.AttendanceRecorded": ("记录出勤", "attendance recorded"),
    "TrainingCourse.DeputyCompleted": ("代表结业", "deputy completed"),
}

ROLES: dict[str, tuple[str, str]] = {
    "staff": ("工作人员", "staff"),
    "auditor": ("审计", "auditor"),
    "editor": ("编辑", "editor"),
    "deputy": ("代表", "deputy"),
    "unit": ("承办单位", "handling unit"),
    "leader": ("领导", "leader"),
}


def event_label(topic: str, lang: str = "zh") -> str:
    """The label of an event topic (the topic itself when it has none)."""
    key = topic.removeprefix("renda:")
    found = EVENTS.get(key)
    if found is None:
        return topic
    return found[0] if lang == "zh" else found[1]


def role_label(role: str, lang: str = "zh") -> str:
    kind, _, rest = role.partition(":")
    found = ROLES.get(kind)
    if found is None:
        return role
    label = found[0] if lang == "zh" else found[1]
    return f"{label}:{rest}" if rest else label


def notifications_of(
    app: RendaBase, record_id: UUID | str, label: str = "record"
) -> list[tuple[int, Any]]:
    """(position, domain event) of one record's events, in version order."""
    uid = to_uuid(record_id, label)
    recorder: Any = app.recorder
    with store_errors("cannot read the record's events"):
        return [(n.id, app.mapper.to_domain_event(n)) for n in recorder.select_originator(uid)]


def record_history(app: RendaBase, record_id: UUID | str, lang: str = "zh") -> list[dict[str, Any]]:
    """One record's timeline: what happened, by whom in which role, business date,
    recorded time, log position."""
    rows = []
    for position, event in notifications_of(app, record_id):
        topic = str(getattr(type(event), "TOPIC", type(event).__qualname__))
        actor = getattr(event, "actor", None)
        role = getattr(actor, "role", "")
        on = getattr(event, "on", None)
        rows.append(
            {
                "position": position,
                "version": event.originator_version,
                "topic": topic,
                "what": event_label(topic, lang),
                "actor": getattr(actor, "id", ""),
                "role": role,
                "role_label": role_label(role, lang) if role else "",
                "os_user": getattr(actor, "os_user", None),  # who ran the CLI, if recorded
                "business_date": on.isoformat() if on is not None else None,
                "recorded_at": event.timestamp.isoformat(),
            }
        )
    if not rows:
        raise NotFound(f"no record with id {to_uuid(record_id, 'record')}")
    return rows
