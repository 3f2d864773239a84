"""The built-in example assessment scheme (``example``: 履职积分示例).

**An example, not law.** Neither the Deputies Law nor a province's rules are encoded
here: the point values only show how a scheme reads the duty record. A province
registers its own scheme (``renda_register_assessment``), which replaces this one.

Each rule counts the entries of one list of the record (optionally only those that
match) at a fixed number of points each, up to an optional cap; a negative number is a
deduction (缺席 without leave).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from renda_core.ports.assessment import AssessmentItem

Entry = dict[str, Any]
NOT_SUBMITTED = {None, "draft", "presubmitted", "withdrawn"}


@dataclass(frozen=True)
class Rule:
    duty: str
    label: str
    each: int
    cap: int | None = None
    keep: Callable[[Entry], bool] = lambda _: True

    @property
    def words(self) -> str:
        kind = "扣" if self.each < 0 else "得"
        cap = f"，最多{'扣' if self.each < 0 else '计'}{abs(self.cap)}分" if self.cap else ""
        return f"每项{kind}{abs(self.each)}分{cap}"

    def apply(self, record: dict[str, Any]) -> AssessmentItem | None:
        facts = [e for e in record.get(self.duty, []) if self.keep(e)]
        if not facts:
            return None
        points = self.each * len(facts)
        if self.cap is not None:
            points = max(points, -abs(self.cap)) if self.each < 0 else min(points, self.cap)
        return AssessmentItem(
            duty=self.duty, label=self.label, rule=self.words, points=points, facts=facts
        )


RULES: tuple[Rule, ...] = (
    Rule(
        "attendance",
        "出席会议",
        2,
        keep=lambda e: e.get("status") == "present",
    ),
    Rule("observer", "列席常委会会议", 2),
    Rule("motions", "领衔提出议案", 5, keep=lambda e: e.get("role") == "lead"),
    Rule("motions", "附议议案", 2, keep=lambda e: e.get("role") == "cosigner"),
    Rule(
        "suggestions_led",
        "领衔提出建议（已提交）",
        3,
        keep=lambda e: e.get("status") not in NOT_SUBMITTED,
    ),
    Rule(
        "suggestions_cosigned",
        "附议建议（已提交）",
        1,
        keep=lambda e: e.get("status") not in NOT_SUBMITTED,
    ),
    Rule("station_activities", "参加家站活动", 2, cap=20),
    Rule("opinions", "收集社情民意", 1, cap=10),
    Rule("inspections", "参加视察、专题调研", 2),
    Rule("legislation", "参与立法、监督和专门委员会工作", 2),
    Rule("group_activities", "参加代表小组活动", 1, cap=10),
    Rule("trainings", "培训结业", 3, keep=lambda e: bool(e.get("completed_on"))),
    Rule("constituent_reports", "向选民述职", 5),
    Rule("bulletin_items", "专刊刊载", 1),
    Rule(
        "attendance",
        "无故缺席会议（扣分）",
        -5,
        keep=lambda e: e.get("status") == "absent",
    ),
)


class ExampleScheme:
    name = "example"
    title = "履职积分示例"
    note = (
        "示例方案，并非法律或任何省份的规定：分值仅用于演示如何依据履职档案计分。"
        "各省应通过插件（renda_register_assessment）注册本省的履职管理办法。"
    )

    def __init__(self, rules: Sequence[Rule] = RULES) -> None:
        self.rules = tuple(rules)

    def score(self, record: dict[str, Any]) -> list[AssessmentItem]:
        return [item for rule in self.rules if (item := rule.apply(record)) is not None]
