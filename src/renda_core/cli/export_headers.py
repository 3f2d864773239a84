"""The keys a command's export carries that none of its tables shows (``docs/i18n.md``).

A spreadsheet (``--format csv|xlsx --headers zh``) heads each column with the Chinese
its command's tables give the key (:func:`renda_core.cli.shaping.header_label`). A row
of a list or report carries more keys than its table shows (a suggestion list's
``lead_deputy``, an inspection's ``feedback_requested``): they are named here, by
command, and :mod:`renda_core.i18n_tables` catalogues them under that command's
context like its tables' labels, so the sheet heads them in Chinese too.
``tests/cli/test_export_headers.py`` exports every list and report of a demo store and
fails on a key left as it is.
"""

from __future__ import annotations

#: by command path: keys of its rows (and of its report's sections) no table labels
EXPORT_KEYS: dict[str, tuple[str, ...]] = {
    "renda deputy list": ("open_liaisons",),
    "renda events list": ("aggregate_id", "data"),
    "renda group list": ("dissolved_on",),
    "renda inspection list": (
        "annual_topic",
        "feedback_received",
        "feedback_requested",
        "group_id",
        "held_on",
        "organiser",
        "reported_on",
    ),
    "renda member list": ("left_on",),
    "renda motion list": ("drafted_on", "proposer"),
    "renda opinion list": ("duplicates", "merged_into"),
    "renda report assessment": (
        "deductions",
        "deputy_id",
        "duty",
        "facts",
        "points",
        "rank",
        "ranking",
        "rule",
    ),
    "renda session list": ("assignment_period", "attendance", "due_recorded_for", "policy"),
    "renda suggestion list": ("bulletin", "lead_deputy", "supervised"),
    "renda term list": ("began_on", "ended_on"),
}
