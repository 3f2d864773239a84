"""The annual work report's JSON: stable snake_case figure names, one key per section.

The pydantic models are the published schema (``renda report annual --schema``); every
figure carries its Chinese and English label and, where the seed quotes it, the seed's
sentence (``docs/reports.md`` is written from the same table).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Rate = float | None


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Classes(_Section):
    total: int
    initial: int
    duty: int
    topical: int


class ByKindTraining(_Section):
    initial: int
    duty: int
    topical: int


class Coverage(_Section):
    national: Rate
    provincial: Rate
    municipal: Rate
    county: Rate
    township: Rate


class Training(_Section):
    classes: Classes
    classes_by_target: dict[str, dict[str, int]] = Field(
        description="classes by kind, then by the level they were held for ('all': open to "
        "deputies of every level); only counts above zero"
    )
    topics: list[str] = Field(description="topics of the year's topical classes, by date")
    deputies_trained: ByKindTraining
    duty_coverage: Coverage = Field(
        description="share of active deputies with duty training, for the levels the year's "
        "duty training reached (a class held for the level, or a deputy of it trained); "
        "null for the other levels"
    )


class Entered(_Section):
    total: int
    national: int
    provincial: int
    municipal: int
    county: int
    township: int


class Activities(_Section):
    total: int
    by_kind: dict[str, int]
    by_month: dict[str, int]


class PrefectureCoverage(_Section):
    name: str
    divisions_total: int
    divisions_covered: int
    coverage_rate: Rate


class Stations(_Section):
    divisions_total: int
    divisions_covered: int
    coverage_rate: float | None = Field(ge=0, le=1, description="null without divisions")
    stations_open: int
    deputies_entered: Entered
    activities: Activities
    people_received: int
    opinions_collected: int
    items_pushed: int
    closed_loop_rate: Rate
    median_days_to_feedback: float | None
    coverage_by_prefecture: dict[str, PrefectureCoverage]


class Liaison(_Section):
    deputies_contacted: int
    deputies_contacted_by_level: dict[str, int]
    liaison_deputies: int
    contacts: int
    contacts_by_form: dict[str, int]


class Suggestions(_Section):
    submitted: int
    accepted: int
    assigned: int
    handled: int
    replied_rate: Rate
    on_time_rate: Rate
    by_class: dict[str, int]
    satisfaction_first: Rate
    satisfaction_final: Rate
    rehandled: int
    overdue: int


class GroupActivities(_Section):
    total: int
    by_kind: dict[str, int]


class Groups(_Section):
    groups: int
    groups_by_level: dict[str, int]
    activities: GroupActivities
    disputes_handled: int
    disputes_resolved: int


class ItemsByKind(_Section):
    suggestion: int
    opinion: int
    text: int


class Bulletin(_Section):
    issues: int
    items: int
    items_by_kind: ItemsByKind
    instructed: int
    forwarded: int
    forwarded_replied: int


class ByAttendance(_Section):
    present: int
    leave: int
    absent: int


class ByMeetingKind(_Section):
    sc_meeting: int
    forum: int


class Sessions(_Section):
    """Sessions and attendance, from the ``meetings`` view (issue 14)."""

    sessions_held: int = Field(description="congress sessions opened in the year")
    attendance: ByAttendance = Field(
        description="deputies' attendance of the year's sessions (人次), by status"
    )
    attendance_rate: Rate
    meetings_held: ByMeetingKind
    observers: ByMeetingKind = Field(description="deputies attending as observers (列席, 人次)")
    absence_warnings: int = Field(
        description="deputies who reached two sessions missed without leave in a term "
        "(a warning to staff, Art. 62; never a termination)"
    )


class Motions(_Section):
    """Motions (议案), from the ``meetings`` view."""

    submitted: int
    received: int
    on_agenda: int
    not_on_agenda: int
    handled_as_suggestions: int


class ByInspectionKind(_Section):
    inspection: int
    research: int


class Inspections(_Section):
    """Inspections and research (视察、专题调研), from the ``meetings`` view."""

    held: ByInspectionKind
    participants: ByInspectionKind = Field(description="deputies taking part (人次)")
    reports: ByInspectionKind
    feedback_requested: int
    feedback_received: int
    feedback_outstanding: int = Field(
        description="feedback requested in the year and not received yet"
    )


class Plan(_Section):
    """The year's deputy-work plans (Art. 43), from the ``committee`` view."""

    tasks: int
    completed: int
    completion_rate: Rate


class Accountability(_Section):
    """Reports to constituents (述职), from the ``meetings`` view."""

    constituent_reports: int


class Meta(_Section):
    year: int
    area: str | None
    area_name: str
    province: str | None = Field(
        default=None,
        description="the two-digit code of the provincial-level division the store "
        "records (22: 吉林省); null when it records several or none",
    )
    level: str | None
    as_of: str | None


class AnnualReport(_Section):
    """The annual work report on deputy work (代表工作年度报告), from the event log."""

    meta: Meta
    training: Training
    stations: Stations
    liaison: Liaison
    suggestions: Suggestions
    groups: Groups
    bulletin: Bulletin
    # issue 14's processes: present only when the year has data for them
    sessions: Sessions | None = None
    motions: Motions | None = None
    inspections: Inspections | None = None
    plan: Plan | None = None
    accountability: Accountability | None = None


SECTIONS: tuple[str, ...] = ("training", "stations", "liaison", "suggestions", "groups", "bulletin")
#: issue 14's sections, after those: each left out when the year has no data for it
OPTIONAL_SECTIONS: tuple[str, ...] = (
    "sessions",
    "motions",
    "inspections",
    "plan",
    "accountability",
)


def sections_of(data: dict[str, Any]) -> list[str]:
    """The sections a report holds, in order."""
    return [*SECTIONS, *(s for s in OPTIONAL_SECTIONS if s in data)]


SECTION_LABELS: dict[str, tuple[str, str]] = {
    "training": ("代表学习培训", "Training"),
    "stations": ("代表家站与社情民意", "Deputy stations and public opinion"),
    "liaison": ("常委会组成人员联系代表", "Liaison with standing-committee members"),
    "suggestions": ("代表建议办理", "Deputy suggestions"),
    "groups": ("代表小组", "Deputy groups"),
    "bulletin": ("《人大代表之声》专刊", "The bulletin Voice of Deputies"),
    "sessions": ("代表出席会议", "Sessions and attendance"),
    "motions": ("代表议案", "Motions"),
    "inspections": ("代表视察和专题调研", "Inspections and research"),
    "plan": ("年度代表工作计划", "The deputy-work plan"),
    "accountability": ("代表向原选区选民述职", "Reports to constituents"),
}

#: figure path -> (Chinese label, English label, the seed's sentence or "")
FIGURES: dict[str, tuple[str, str, str]] = {
    "training.classes.total": ("培训班（期）", "Training classes", ""),
    "training.classes.initial": ("初任培训班", "Initial training classes", ""),
    "training.classes.duty": ("履职培训班", "Duty training classes", ""),
    "training.classes.topical": ("专题培训班", "Topical training classes", ""),
    "training.classes_by_target.duty.provincial": (
        "省人大代表履职培训班",
        "Duty training classes for provincial deputies",
        "2023年组织5期省人大代表履职培训班",
    ),
    "training.topics": (
        "专题培训主题",
        "Topics of topical training",
        "重点围绕“因地制宜发展新质生产力”“发展现代化大农业”开展“订单式”专题培训",
    ),
    "training.deputies_trained.initial": (
        "完成初任培训的代表",
        "Deputies who completed initial training",
        "",
    ),
    "training.deputies_trained.duty": (
        "完成履职培训的代表",
        "Deputies who completed duty training",
        "",
    ),
    "training.deputies_trained.topical": (
        "完成专题培训的代表",
        "Deputies who completed topical training",
        "",
    ),
    "training.duty_coverage.provincial": (
        "省人大代表履职培训覆盖率",
        "Duty-training coverage, provincial deputies",
        "实现省人大代表履职培训全覆盖",
    ),
    "stations.divisions_total": ("乡镇街道数", "Township/street divisions", ""),
    "stations.divisions_covered": ("建有代表家站的乡镇街道", "Divisions with a station", ""),
    "stations.coverage_rate": (
        "乡镇街道代表家站覆盖率",
        "Station coverage of townships/streets",
        "目前全省乡镇街道代表家站覆盖率达到97%",
    ),
    "stations.stations_open": ("运行中的代表家站", "Stations open", ""),
    "stations.deputies_entered.total": (
        "进家入站的代表",
        "Deputies who entered stations",
        "全省54000多名五级代表就地就近进家入站",
    ),
    "stations.activities.total": (
        "代表家站组织活动（次）",
        "Station activities",
        "2023年，全省代表家站共组织开展活动26135次",
    ),
    "stations.people_received": ("接待群众（人次）", "People received", ""),
    "stations.opinions_collected": ("收集社情民意（件）", "Opinions collected", ""),
    "stations.items_pushed": (
        "推动落实事项（件/项）",
        "Items pushed forward",
        "推动……相关工作落实和政策出台以及办理民生实事等共12494件（项）",
    ),
    "stations.closed_loop_rate": (
        "闭环办结率",
        "Closed-loop rate",
        "形成收集、汇总、办理、反馈的闭环工作机制",
    ),
    "stations.median_days_to_feedback": ("反馈用时中位数（天）", "Median days to feedback", ""),
    "liaison.deputies_contacted": (
        "常委会组成人员直接联系的代表",
        "Deputies contacted directly by standing-committee members",
        "",
    ),
    "liaison.deputies_contacted_by_level.provincial": (
        "常委会组成人员直接联系的省人大代表",
        "Provincial deputies contacted directly by standing-committee members",
        "省人大常委会组成人员以座谈、走访、调研等形式常态化直接联系146名省人大代表",
    ),
    "liaison.liaison_deputies": ("建立联系的代表", "Deputies with a liaison", ""),
    "liaison.contacts": ("联系次数", "Contacts", ""),
    "suggestions.submitted": ("提出建议（件）", "Suggestions submitted", ""),
    "suggestions.accepted": ("立案（件）", "Accepted", ""),
    "suggestions.assigned": ("交办（件）", "Assigned", ""),
    "suggestions.handled": (
        "办理代表建议（件）",
        "Suggestions handled",
        "2023年高质量办理代表建议200件",
    ),
    "suggestions.replied_rate": ("办复率", "Reply rate", ""),
    "suggestions.on_time_rate": ("按期办复率", "On-time reply rate", ""),
    "suggestions.satisfaction_first": ("初次满意率", "Satisfaction, first evaluation", ""),
    "suggestions.satisfaction_final": ("最终满意率", "Satisfaction, final", ""),
    "suggestions.rehandled": ("重新办理（件）", "Re-handled", ""),
    "suggestions.overdue": ("逾期未办复（件）", "Overdue", ""),
    "groups.groups": ("代表小组（年末）", "Deputy groups at year end", ""),
    "groups.groups_by_level.provincial": (
        "省人大代表小组（年末）",
        "Provincial deputy groups at year end",
        "指导各选举单位组建了29个省人大代表小组",
    ),
    "groups.activities.total": ("小组活动（次）", "Group activities", ""),
    "groups.disputes_handled": ("调解矛盾纠纷（件）", "Disputes mediated", ""),
    "groups.disputes_resolved": ("化解矛盾纠纷（件）", "Disputes resolved", ""),
    "bulletin.issues": (
        "《人大代表之声》专刊（期）",
        "Bulletin issues",
        "研究创办《人大代表之声》专刊",
    ),
    "bulletin.items": ("刊载条目（件）", "Items carried", ""),
    "bulletin.items_by_kind.suggestion": (
        "刊载代表建议（件）",
        "Deputy suggestions carried",
        "作为闭会期间代表意见建议直达省委、省政府的直通车",
    ),
    "bulletin.items_by_kind.opinion": ("刊载社情民意（件）", "Public-opinion items carried", ""),
    "bulletin.items_by_kind.text": ("刊载其他来稿（件）", "Other contributions carried", ""),
    "bulletin.instructed": ("获领导批示（件）", "Items with a leader's instruction", ""),
    "bulletin.forwarded": ("批转办理（件）", "Items forwarded for handling", "多份建议被批转办理"),
    "bulletin.forwarded_replied": ("批转后已办复（件）", "Forwarded items replied", ""),
    "sessions.sessions_held": ("召开人民代表大会会议（次）", "Congress sessions held", ""),
    "sessions.attendance.present": ("出席（人次）", "Attended", ""),
    "sessions.attendance.leave": ("请假（人次）", "On leave", ""),
    "sessions.attendance.absent": ("缺席（人次）", "Absent without leave", ""),
    "sessions.attendance_rate": ("出席率", "Attendance rate", ""),
    "sessions.meetings_held.sc_meeting": ("常委会会议（次）", "Standing-committee meetings", ""),
    "sessions.meetings_held.forum": ("座谈会（次）", "Forums", ""),
    "sessions.observers.sc_meeting": (
        "列席常委会会议的代表（人次）",
        "Deputies attending standing-committee meetings as observers",
        "",
    ),
    "sessions.observers.forum": ("列席座谈会的代表（人次）", "Deputies attending forums", ""),
    "sessions.absence_warnings": (
        "未经批准两次缺席的代表（提示）",
        "Deputies warned: two sessions missed without leave",
        "",
    ),
    "motions.submitted": ("提出议案（件）", "Motions submitted", ""),
    "motions.received": ("收到议案（件）", "Motions received", ""),
    "motions.on_agenda": ("列入会议议程（件）", "Placed on the agenda", ""),
    "motions.not_on_agenda": ("不列入会议议程（件）", "Not placed on the agenda", ""),
    "motions.handled_as_suggestions": (
        "作为代表建议处理（件）",
        "Handled as suggestions",
        "",
    ),
    "inspections.held.inspection": ("代表视察（次）", "Inspections", ""),
    "inspections.held.research": ("专题调研（次）", "Research", ""),
    "inspections.participants.inspection": (
        "参加视察的代表（人次）",
        "Deputies taking part in inspections",
        "",
    ),
    "inspections.participants.research": (
        "参加专题调研的代表（人次）",
        "Deputies taking part in research",
        "",
    ),
    "inspections.reports.inspection": ("视察报告（篇）", "Inspection reports", ""),
    "inspections.reports.research": ("调研报告（篇）", "Research reports", ""),
    "inspections.feedback_requested": ("要求反馈（件）", "Feedback requested", ""),
    "inspections.feedback_received": ("已反馈（件）", "Feedback received", ""),
    "inspections.feedback_outstanding": ("尚未反馈（件）", "Feedback outstanding", ""),
    "plan.tasks": ("年度计划任务（项）", "Plan tasks", ""),
    "plan.completed": ("已完成任务（项）", "Tasks completed", ""),
    "plan.completion_rate": ("计划完成率", "Plan completion", ""),
    "accountability.constituent_reports": (
        "代表向原选区选民述职（次）",
        "Reports to constituents",
        "",
    ),
}
