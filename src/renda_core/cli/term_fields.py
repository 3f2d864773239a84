"""Which enumeration a field's values belong to, so a value is labelled by its own
enumeration (``docs/i18n.md``).

A value two enumerations label differently — ``closed``: a session's 已闭会, a
suggestion's 已办结 — has no single Chinese label, so the context-free term leaves it in
English. Each enumeration's terms are also catalogued under its own context
(``term:session.SessionStatus``, :func:`renda_core.i18n.term_context`); this table says
which one a field means, by command group: the ``status`` column of ``renda session
list``, the ``status`` field of ``renda suggestion show``, the ``status`` key of a
suggestion list exported with ``--headers zh``, a ``{status}`` in a message a
suggestion command prints. Fields not named here use the context-free term.
"""

from __future__ import annotations

#: by command group (``renda <group> …``): field → vocabulary (module.Enum or
#: module.TABLE of :func:`renda_core.i18n_extract.terms`)
FIELD_TERMS: dict[str, dict[str, str]] = {
    "deputy": {"status": "deputy.STATUS_LABELS"},
    "station": {"status": "station.STATUS_LABELS"},
    "opinion": {
        "status": "opinion.STATUS_LABELS",
        "wanted": "opinion.STATUS_LABELS",  # the states a refusal asks for: a or b
        "channel": "opinion.Channel",
        "outcome": "opinion.ScreenOutcome",
        "rating": "opinion.Rating",
    },
    "group": {"status": "group.STATUS_LABELS"},
    "suggestion": {
        "status": "suggestion.Status",
        "state": "suggestion.Status",
        "channel": "suggestion.Channel",
        "source": "suggestion.Source",
        "outcome": "suggestion.ReviewOutcome",
    },
    "session": {"status": "session.SessionStatus", "state": "session.SessionStatus"},
    "meeting": {"status": "meeting.MeetingStatus", "kind": "meeting.MeetingKind"},
    "motion": {"status": "motion.MotionStatus"},
    "inspection": {"status": "inspection.InspectionStatus", "kind": "inspection.InspectionKind"},
    "area": {"kind": "division.DivisionKind"},
    "deliver": {"status": "outbox.STATUS_LABELS"},
    "clock": {"kind": "reminder.KIND_LABELS"},
}
#: fields that mean one enumeration in every command
ANY_COMMAND: dict[str, str] = {
    "level": "values.Level",
    "target_level": "values.Level",
    "deadline": "deadlines.DEADLINE_LABELS",
    "division_kind": "division.DivisionKind",
    "parent_kind": "division.DivisionKind",
}


def vocabulary_of(field: str, context: str | None) -> str | None:
    """The vocabulary of ``field`` in the command ``context`` (``"renda session list"``),
    or ``None`` when the context-free term serves."""
    words = (context or "").split()
    group = words[1] if len(words) > 1 else ""
    return FIELD_TERMS.get(group, {}).get(field) or ANY_COMMAND.get(field)
