"""``renda suggestion …``: deputies' suggestions (代表建议) and their statutory clock."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from rich.table import Table

from renda_core.cli.asof import ON_HELP, as_of_option, take_on
from renda_core.cli.common import (
    InputFile,
    RendaGroup,
    choices,
    date_option,
    decode_utf8,
    echo,
    emit,
    env,
    json_option,
    named,
    today,
    with_name,
)
from renda_core.cli.i18n import Verbatim, cell_text, message
from renda_core.cli.reading import reason_option, shown_record, shown_rows
from renda_core.domain.errors import InvalidInput
from renda_core.domain.suggestion import (
    Channel,
    ExclusionReason,
    Rating,
    ReviewOutcome,
    Source,
    Status,
)
from renda_core.domain.values import ContactForm
from renda_core.i18n import MessageTemplate, active_locale, language, term_text
from renda_core.notify.service import urgings_by_unit
from renda_core.projections.asof import AsOf
from renda_core.projections.reports import fresh_context

DUE_KEYS = (
    "assignment_due",
    "reply_due",
    "objection_until",
    "co_opinion_due",
    "rehandle_due",
    "disclosure_due",
)


@click.group(cls=RendaGroup)
def suggestion() -> None:
    """Deputies' suggestions (代表建议): draft to closure, with the statutory clock."""


def _apply(ctx: click.Context, method: str, suggestion_id: str, on: str | None, **data: Any) -> Any:
    """Run one application command on a suggestion; None values are left out."""
    e = env(ctx)
    payload = {k: v for k, v in data.items() if v is not None}
    payload.update(suggestion_id=suggestion_id, date=on or today())
    result = getattr(e.get_app(), method)(payload, e.actor())
    warn_calendar(ctx)
    return result


def warn_calendar(ctx: click.Context, day: date | None = None) -> None:
    """Tell staff on stderr when the calendar lacks ``day``'s year (default: today) or,
    from 1 November, the next."""
    from renda_core.application.inputs import today as business_today

    missing = env(ctx).get_app().missing_calendar_year(day or business_today())
    if missing is not None:
        year, waiting = missing
        line = message(
            "warning: the {year} holiday arrangement is not recorded; due dates reaching "
            "{year} are pending ({waiting} record(s) wait): add it with "
            "`renda calendar add FILE`",
            year=year,
            waiting=waiting,
        )
        click.echo(line, err=True)


def _done(
    ctx: click.Context,
    suggestion_id: str,
    template: MessageTemplate,
    dues: bool = False,
    **values: Any,
) -> None:
    """Print what a command did: ``template`` (``"{suggestion_id}: closed"``, catalogued
    as it is) in the active language, then the deadlines now open when ``dues``."""
    line = message(template, suggestion_id=suggestion_id, **values)
    if dues:
        data = env(ctx).get_app().suggestion(suggestion_id)
        shown = [_open_deadline(d) for d in data["open_deadlines"]]
        until = data["objection_until"]
        if data["status"] == Status.ASSIGNED.value and until is not None:
            shown.append(message("{deadline} {due}", deadline="objection_until", due=until))
        waiting = data["pending_due_dates"]
        if waiting:
            shown.append(
                message(
                    "{count} due date(s) wait for the {year} holiday arrangement",
                    count=len(waiting),
                    year=min(p["year"] for p in waiting),
                )
            )
        if shown:
            line += " — " + ("；" if language() == "zh" else ", ").join(shown)
    echo(line)


def _open_deadline(entry: dict[str, Any]) -> str:
    """A running deadline as a line shows it: ``reply_due 2026-03-01 (省商务厅)``, its
    name a term (答复期限 in Chinese; the key stays in ``--json``)."""
    return message(
        "{deadline} {due} ({owner})",
        deadline=entry["deadline"],
        due=entry["due"],
        owner=entry["owner"],
    )


def _pending_deadline(entry: dict[str, Any]) -> str:
    """A due date waiting for a calendar year, as the show table gives it:
    ``reply_due — 3 months from 2026-12-04, once the 2027 holiday arrangement is
    recorded`` (its name and unit terms, 答复期限 and 个月 in Chinese)."""
    deadline, _, owner = str(entry["deadline"]).partition(":")
    unit: Any = entry["unit"]
    if entry["amount"] == 1 and language() == "en":  # 1 month, not 1 months
        unit = Verbatim(term_text(str(unit)).removesuffix("s"))
    values = {
        "deadline": deadline,
        "amount": entry["amount"],
        "unit": unit,
        "start": entry["start"],
        "year": entry["year"],
    }
    if owner:
        return message(
            "{deadline} ({owner}) — {amount} {unit} from {start}, once the {year} holiday "
            "arrangement is recorded",
            owner=owner,
            **values,
        )
    return message(
        "{deadline} — {amount} {unit} from {start}, once the {year} holiday arrangement "
        "is recorded",
        **values,
    )


# -- drafting ------------------------------------------------------------------------


@suggestion.command(name="draft")
@click.option("--title", required=True, help="Title (标题).")
@click.option("--body", help="Text of the suggestion.")
@click.option("--body-file", type=InputFile(), help="Read the text from a file ('-': stdin).")
@click.option("--channel", required=True, help=f"When raised: {choices(Channel)}.")
@click.option("--source", required=True, help=f"Where from: {choices(Source)}.")
@click.option("--deputy", "lead_deputy", help="Lead deputy's id (default: the acting deputy).")
@click.option("--category", help="Category (类别), e.g. 经济发展.")
@click.option("--session", help="Congress session, e.g. 十四届人大二次会议.")
@date_option()
@json_option
@click.pass_context
def suggestion_draft(
    ctx: click.Context,
    /,
    body: str | None,
    body_file: Any,
    on: str | None,
    as_json: bool,
    **fields: Any,
) -> None:
    """Draft a suggestion led by a deputy (领衔); prints the new id."""
    if (body is None) == (body_file is None):
        raise InvalidInput(
            "give the text with --body or --body-file (one of them)",
            [{"field": "body", "message": "required"}],
        )
    e = env(ctx)
    data = {k: v for k, v in fields.items() if v is not None}
    data.update(
        body=body if body is not None else decode_utf8(body_file.read()), date=on or today()
    )
    new_id = e.get_app().draft_suggestion(data, e.actor())
    emit({"id": str(new_id)}, True) if as_json else echo(str(new_id))


@suggestion.command(name="revise")
@click.argument("suggestion_id")
@click.option("--title", help="New title.")
@click.option("--body", help="New text.")
@click.option("--category", help="New category.")
@date_option()
@click.pass_context
def suggestion_revise(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Revise the text before submission (e.g. after review)."""
    _apply(ctx, "revise_suggestion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: revised")


@suggestion.command(name="invite")
@click.argument("suggestion_id")
@click.option("--deputy", "deputy_id", required=True, help="Id of the deputy invited to co-sign.")
@date_option()
@click.pass_context
def suggestion_invite(
    ctx: click.Context, /, suggestion_id: str, deputy_id: str, on: str | None
) -> None:
    """Invite an active deputy to co-sign (邀请附议)."""
    _apply(ctx, "invite_cosigner", suggestion_id, on, deputy_id=deputy_id)
    _done(
        ctx, suggestion_id, "{suggestion_id}: invited {deputy_id} to co-sign", deputy_id=deputy_id
    )


@suggestion.command(name="cosign")
@click.argument("suggestion_id")
@click.option("--deputy", "deputy_id", help="Co-signer's id (default: the acting deputy).")
@date_option()
@click.pass_context
def suggestion_cosign(
    ctx: click.Context, /, suggestion_id: str, deputy_id: str | None, on: str | None
) -> None:
    """Confirm co-signing (附议)."""
    _apply(ctx, "cosign_suggestion", suggestion_id, on, deputy_id=deputy_id)
    _done(ctx, suggestion_id, "{suggestion_id}: co-signed")


@suggestion.command(name="decline")
@click.argument("suggestion_id")
@click.option("--deputy", "deputy_id", help="Invitee's id (default: the acting deputy).")
@date_option()
@click.pass_context
def suggestion_decline(
    ctx: click.Context, /, suggestion_id: str, deputy_id: str | None, on: str | None
) -> None:
    """Decline an invitation to co-sign."""
    _apply(ctx, "decline_cosign", suggestion_id, on, deputy_id=deputy_id)
    _done(ctx, suggestion_id, "{suggestion_id}: co-signing declined")


@suggestion.command(name="presubmit")
@click.argument("suggestion_id")
@date_option()
@click.pass_context
def suggestion_presubmit(ctx: click.Context, /, suggestion_id: str, on: str | None) -> None:
    """Send the draft for pre-submission review (预提交)."""
    _apply(ctx, "presubmit_suggestion", suggestion_id, on)
    _done(ctx, suggestion_id, "{suggestion_id}: sent for pre-submission review")


@suggestion.command(name="review")
@click.argument("suggestion_id")
@click.option("--outcome", required=True, help=f"Outcome: {choices(ReviewOutcome)}.")
@click.option("--comment", required=True, help="Reviewers' comments.")
@click.option("--reviewer", help="Reviewer (default: the actor).")
@date_option()
@click.pass_context
def suggestion_review(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Record pre-submission review comments; the draft returns to the deputy."""
    _apply(ctx, "review_suggestion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: reviewed ({outcome})", outcome=fields["outcome"])


@suggestion.command(name="submit")
@click.argument("suggestion_id")
@date_option()
@click.pass_context
def suggestion_submit(ctx: click.Context, /, suggestion_id: str, on: str | None) -> None:
    """Formally submit; invitations not confirmed lapse."""
    _apply(ctx, "submit_suggestion", suggestion_id, on)
    _done(ctx, suggestion_id, "{suggestion_id}: submitted", dues=True)


# -- acceptance and assignment ------------------------------------------------------


@suggestion.command(name="accept")
@click.argument("suggestion_id")
@click.option("--number", help="Registration number (建议编号).")
@date_option()
@click.pass_context
def suggestion_accept(
    ctx: click.Context, /, suggestion_id: str, number: str | None, on: str | None
) -> None:
    """Accept the suggestion (立案)."""
    _apply(ctx, "accept_suggestion", suggestion_id, on, number=number)
    _done(ctx, suggestion_id, "{suggestion_id}: accepted")


@suggestion.command(name="reject")
@click.argument("suggestion_id")
@click.option("--reason", required=True, help=f"Exclusion reason: {choices(ExclusionReason)}.")
@click.option("--explanation", required=True, help="Explanation to the deputy.")
@date_option()
@click.pass_context
def suggestion_reject(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Do not accept (不予立案); it is handled as a letter (转来信)."""
    _apply(ctx, "reject_suggestion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: not accepted; handled as a letter")


def _units_options(fn: Any) -> Any:
    fn = click.option("--complex", "complex_", is_flag=True, help="Complex: the longer period.")(fn)
    fn = click.option(
        "--co-unit", "co_units", multiple=True, help="Co-handling unit (协办), repeatable."
    )(fn)
    fn = click.option(
        "--part-unit",
        "part_units",
        multiple=True,
        help="A further lead unit replying for its part (分办), repeatable.",
    )(fn)
    return click.option("--lead-unit", required=True, help="Lead handling unit (主办).")(fn)


@suggestion.command(name="assign")
@click.argument("suggestion_id")
@_units_options
@date_option()
@click.pass_context
def suggestion_assign(
    ctx: click.Context,
    /,
    suggestion_id: str,
    lead_unit: str,
    co_units: tuple[str, ...],
    complex_: bool,
    on: str | None,
    part_units: tuple[str, ...] = (),
) -> None:
    """Assign (交办) to a lead unit and co-units; the statutory clock starts."""
    _apply(
        ctx,
        "assign_suggestion",
        suggestion_id,
        on,
        lead_unit=lead_unit,
        co_units=list(co_units),
        complex=complex_,
        parts=list(part_units),
    )
    _done(
        ctx,
        suggestion_id,
        "{suggestion_id}: assigned to {lead_unit}",
        dues=True,
        lead_unit=lead_unit,
    )


@suggestion.command(name="object")
@click.argument("suggestion_id")
@click.option("--reason", required=True, help="Why the assignment is outside the unit's remit.")
@click.option("--unit", help="The objecting unit (default: the acting unit).")
@date_option()
@click.pass_context
def suggestion_object(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """A unit objects to its assignment (申请调整), within its window."""
    _apply(ctx, "object_assignment", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: objection recorded")


@suggestion.command(name="reassign")
@click.argument("suggestion_id")
@_units_options
@click.option("--note", help="Note on the decision.")
@date_option()
@click.pass_context
def suggestion_reassign(
    ctx: click.Context,
    /,
    suggestion_id: str,
    lead_unit: str,
    co_units: tuple[str, ...],
    complex_: bool,
    note: str | None,
    on: str | None,
    part_units: tuple[str, ...] = (),
) -> None:
    """Grant the pending objections and assign anew (new clock)."""
    _apply(
        ctx,
        "reassign_suggestion",
        suggestion_id,
        on,
        lead_unit=lead_unit,
        co_units=list(co_units),
        complex=complex_,
        note=note,
        parts=list(part_units),
    )
    _done(
        ctx,
        suggestion_id,
        "{suggestion_id}: reassigned to {lead_unit}",
        dues=True,
        lead_unit=lead_unit,
    )


@suggestion.command(name="deny-objection")
@click.argument("suggestion_id")
@click.option("--unit", required=True, help="The unit whose objection is denied.")
@click.option("--note", required=True, help="Reasons, sent to the unit.")
@date_option()
@click.pass_context
def suggestion_deny_objection(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Deny a unit's objection: the assignment stands."""
    _apply(ctx, "deny_objection", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: objection of {unit} denied", unit=fields["unit"])


@suggestion.command(name="co-opinion")
@click.argument("suggestion_id")
@click.option("--text", required=True, help="The co-handling opinion.")
@click.option("--unit", help="The co-handling unit (default: the acting unit).")
@date_option()
@click.pass_context
def suggestion_co_opinion(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """A co-handling unit sends its opinion to the lead unit (协办意见)."""
    _apply(ctx, "send_co_opinion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: co-handling opinion sent")


@suggestion.command(name="extend")
@click.argument("suggestion_id")
@click.option("--until", required=True, help="New reply due date (YYYY-MM-DD).")
@click.option("--reason", required=True, help="Why (the deputy is told).")
@date_option()
@click.pass_context
def suggestion_extend(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Extend the reply deadline (延期), within the policy's cap."""
    _apply(ctx, "extend_suggestion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: extended", dues=True)


@suggestion.command(name="contact")
@click.argument("suggestion_id")
@click.option("--form", required=True, help=f"Form: {choices(ContactForm)}.")
@click.option("--note", help="Note, kept verbatim.")
@click.option("--unit", help="The unit (default: the acting unit).")
@date_option()
@click.pass_context
def suggestion_contact(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Record a contact between a handling unit and the deputy (沟通联系)."""
    _apply(ctx, "contact_deputy", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: contact recorded")


@suggestion.command(name="reply")
@click.argument("suggestion_id")
@click.option("--class", "result_class", required=True, help="Result class (A/B/C/D by default).")
@click.option("--text", required=True, help="The written reply.")
@click.option("--unit", help="The lead unit (default: the acting unit).")
@date_option()
@click.pass_context
def suggestion_reply(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """The lead unit replies to the lead deputy and every co-signer."""
    _apply(ctx, "reply_suggestion", suggestion_id, on, **fields)
    _done(
        ctx,
        suggestion_id,
        "{suggestion_id}: replied (class {result_class})",
        dues=True,
        result_class=fields["result_class"].upper(),
    )


@suggestion.command(name="evaluate")
@click.argument("suggestion_id")
@click.option("--attitude", required=True, help=f"Handling attitude: {choices(Rating)}.")
@click.option("--result", required=True, help=f"Handling result: {choices(Rating)}.")
@click.option("--reason", help="Reasons (required for 不满意).")
@date_option()
@click.pass_context
def suggestion_evaluate(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """The lead deputy evaluates the reply (attitude and result separately)."""
    _apply(ctx, "evaluate_suggestion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: evaluated")


@suggestion.command(name="rehandle")
@click.argument("suggestion_id")
@click.option("--reason", help="Why, for the unit.")
@date_option()
@click.pass_context
def suggestion_rehandle(
    ctx: click.Context, /, suggestion_id: str, reason: str | None, on: str | None
) -> None:
    """Order re-handling after 不满意 (重新办理), with its own deadline."""
    _apply(ctx, "rehandle_suggestion", suggestion_id, on, reason=reason)
    _done(ctx, suggestion_id, "{suggestion_id}: re-handling ordered", dues=True)


@suggestion.command(name="commit")
@click.argument("suggestion_id")
@click.option("--text", required=True, help="What is promised.")
@click.option("--due", required=True, help="When it is due (YYYY-MM-DD).")
@date_option()
@click.pass_context
def suggestion_commit(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Record a dated commitment of a B/C reply (承诺事项)."""
    _apply(ctx, "commit_suggestion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: commitment due {due} recorded", due=fields["due"])


@suggestion.command(name="deliver")
@click.argument("suggestion_id")
@click.option("--number", required=True, type=int, help="The commitment's number (1, 2, …).")
@click.option("--note", help="What was delivered.")
@date_option()
@click.pass_context
def suggestion_deliver(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Record that a commitment was delivered (承诺兑现)."""
    _apply(ctx, "deliver_commitment", suggestion_id, on, **fields)
    _done(
        ctx,
        suggestion_id,
        "{suggestion_id}: commitment {number} delivered",
        number=fields["number"],
    )


@suggestion.command(name="supervise")
@click.argument("suggestion_id")
@click.option("--leader", required=True, help="The supervising leader (督办领导).")
@click.option("--note", help="Note.")
@date_option()
@click.pass_context
def suggestion_supervise(
    ctx: click.Context, /, suggestion_id: str, on: str | None, **fields: Any
) -> None:
    """Put under priority supervision (重点督办) by a named leader."""
    _apply(ctx, "supervise_suggestion", suggestion_id, on, **fields)
    _done(ctx, suggestion_id, "{suggestion_id}: supervised by {leader}", leader=fields["leader"])


@suggestion.command(name="disclose")
@click.argument("suggestion_id")
@click.option("--text", help="The text to publish (default: the reply); redacted anyway.")
@date_option()
@click.pass_context
def suggestion_disclose(
    ctx: click.Context, /, suggestion_id: str, text: str | None, on: str | None
) -> None:
    """Publish the latest reply with contact details and secrets redacted (公开)."""
    _apply(ctx, "disclose_suggestion", suggestion_id, on, text=text)
    _done(ctx, suggestion_id, "{suggestion_id}: reply disclosed")


@suggestion.command(name="withhold")
@click.argument("suggestion_id")
@click.option("--reason", required=True, help="Why the reply is not to be disclosed.")
@date_option()
@click.pass_context
def suggestion_withhold(
    ctx: click.Context, /, suggestion_id: str, reason: str, on: str | None
) -> None:
    """Decide the latest reply is not to be disclosed (不宜公开): no disclosure is owed."""
    _apply(ctx, "withhold_disclosure", suggestion_id, on, reason=reason)
    _done(ctx, suggestion_id, "{suggestion_id}: reply not to be disclosed (不宜公开)")


@suggestion.command(name="withdraw")
@click.argument("suggestion_id")
@click.option("--statement", required=True, help="The written withdrawal (书面撤回).")
@click.option("--consent", "consents", multiple=True, help="A co-signer who agreed, repeatable.")
@date_option()
@click.pass_context
def suggestion_withdraw(
    ctx: click.Context,
    /,
    suggestion_id: str,
    statement: str,
    consents: tuple[str, ...],
    on: str | None,
) -> None:
    """Withdraw before assignment; a joint suggestion needs every co-signer."""
    _apply(
        ctx,
        "withdraw_suggestion",
        suggestion_id,
        on,
        statement=statement,
        consents=list(consents),
    )
    _done(ctx, suggestion_id, "{suggestion_id}: withdrawn")


@suggestion.command(name="close")
@click.argument("suggestion_id")
@click.option("--note", help="Closing note.")
@date_option()
@click.pass_context
def suggestion_close(
    ctx: click.Context, /, suggestion_id: str, note: str | None, on: str | None
) -> None:
    """Close the case (办结)."""
    _apply(ctx, "close_suggestion", suggestion_id, on, note=note)
    _done(ctx, suggestion_id, "{suggestion_id}: closed")


@suggestion.command(name="merge")
@click.argument("suggestion_id")
@click.option("--with", "others", required=True, multiple=True, help="Similar suggestion id.")
@date_option()
@click.pass_context
def suggestion_merge(
    ctx: click.Context, /, suggestion_id: str, others: tuple[str, ...], on: str | None
) -> None:
    """Handle similar suggestions together (并案); each keeps its own reply."""
    _apply(ctx, "merge_suggestions", suggestion_id, on, others=list(others))
    _done(
        ctx,
        suggestion_id,
        "{suggestion_id}: handled together with {count} other(s)",
        count=len(others),
    )


# -- reading --------------------------------------------------------------------------


def _rating(value: str) -> str:
    """A rating of an evaluation as its term in the active language (满意 / satisfied)."""
    return cell_text(value, "suggestion.Rating") if active_locale() else Rating.of(value).label


@suggestion.command(name="show")
@click.argument("suggestion_id")
@reason_option
@json_option
@click.pass_context
def suggestion_show(
    ctx: click.Context, /, suggestion_id: str, reason: str | None, as_json: bool
) -> None:
    """Show one suggestion: status, every current due date, the whole file."""
    data = shown_record(ctx, "suggestion.show", suggestion_id, reason)
    by_unit = urgings_by_unit(env(ctx).get_app(), data["id"])  # the clock's 催办, from the log
    data = {**data, "urged": sum(by_unit.values()), "urged_by_unit": by_unit}

    def render() -> Table:
        table = Table(title=f"{data['title']}（{data['status_label']}）", show_header=False)
        for key in (
            "id",
            "number",
            "lead_name",
            "channel",
            "source",
            "status",
            "submitted_on",
            "lead_unit",
            *DUE_KEYS,
        ):
            if data.get(key) not in (None, "", []):
                table.add_row(key, str(data[key]))
        if data["co_units"]:
            table.add_row("co_units", "、".join(data["co_units"]))
        if data["cosigners"]:
            table.add_row(
                "cosigners", ", ".join(f"{c['name']} ({c['state']})" for c in data["cosigners"])
            )
        for reply in data["replies"]:
            table.add_row(
                message("reply {round}", round=reply["round"]),
                f"{reply['on']} {reply['result_class']}",
            )
        for ev in data["evaluations"]:
            table.add_row(
                message("evaluation {round}", round=ev["round"]),
                f"{ev['on']} {_rating(ev['attitude'])}/{_rating(ev['result'])}",
            )
        for d in data["open_deadlines"]:
            table.add_row("open", _open_deadline(d))
        for pending in data["pending_due_dates"]:
            table.add_row("pending", _pending_deadline(pending))
        if data["urged"]:
            units = "、".join(f"{u} {n} 次" for u, n in by_unit.items())
            table.add_row("urged", f"已催办 {data['urged']} 次（{units}）")
        return table

    emit(data, as_json, render)


@suggestion.command(name="list")
@click.option("--status", help=f"Only this status: {choices(Status)}.")
@click.option("--unit", help="Only suggestions this unit handles (lead or co-unit).")
@click.option("--year", type=int, help="Only suggestions submitted in this year.")
@click.option("--deputy", help="Only suggestions led by this deputy id.")
@json_option
@click.pass_context
def suggestion_list(
    ctx: click.Context,
    /,
    status: str | None,
    unit: str | None,
    year: int | None,
    deputy: str | None,
    as_json: bool,
) -> None:
    """List suggestions (from the suggestions view, brought up to date first)."""
    from renda_adapters.suggestions import VIEW, matching_docs

    wanted = _status(status)
    rows = [
        {"id": key, **_summary(doc)}
        for key, doc in matching_docs(fresh_context(env(ctx).runner(), VIEW), year=year, unit=unit)
        if (wanted is None or doc["status"] == wanted)
        and (deputy is None or doc["lead_deputy"] == deputy)
    ]
    rows.sort(key=lambda r: (r["submitted_on"] or "9999", r["id"]))
    rows = shown_rows(ctx, "suggestion.list", "suggestion", rows)

    def render() -> Table:
        table = Table(title="代表建议")
        for col in ("id", "title", "lead", "status", "lead unit", "reply due"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                r["id"][:8],
                r["title"],
                r["lead_name"] or "",
                Status.of(r["status"]).label,
                r["lead_unit"] or "",
                r["reply_due"] or "",
            )
        return table

    emit(rows, as_json, render)


@suggestion.command(name="overdue")
@click.option("--on", "on", metavar="DATE", help=ON_HELP)
@as_of_option
@click.option("--unit", help="Only what this unit owes.")
@json_option
@click.pass_context
def suggestion_overdue(
    ctx: click.Context, /, on: str | None, as_of: AsOf | None, unit: str | None, as_json: bool
) -> None:
    """What is late on a business date, by the unit (or the office) that owes it.

    With --as-of, as the suggestions were recorded by then (and judged on that day
    unless --on is given)."""
    from renda_adapters.suggestions import VIEW, late_items, matching_docs, pending_items

    context = fresh_context(env(ctx).runner(), VIEW, as_of=as_of)
    day = take_on(on) or context.today
    items = late_items(matching_docs(context), day)
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if unit is None or item["owner"] == unit:
            by_unit.setdefault(item["owner"], []).append(item)
    pending = [p for p in pending_items(matching_docs(context)) if unit in (None, p["unit"])]
    data: dict[str, Any] = {
        "on": day.isoformat(),
        "as_of": context.as_of_label,
        "total": sum(len(v) for v in by_unit.values()),
        "by_unit": by_unit,
        "pending": pending,
    }

    def render() -> Table:
        table = Table(title=f"{day} 逾期事项")
        if context.as_of_label:
            table.caption = f"截至 {context.as_of_label} 的记录"
        for col in ("owner", "deadline", "due", "days late", "suggestion"):
            table.add_column(col)
        for owner, entries in by_unit.items():
            for x in entries:
                table.add_row(owner, x["deadline"], x["due"], str(x["days_late"]), x["title"])
        for p in pending:
            due = message("pending: {year} calendar missing", year=p["year"])
            table.add_row(p["unit"] or "", p["deadline"], due, "", p["title"])
        return table

    emit(data, as_json, render)


@suggestion.command(name="policy")
@json_option
@click.pass_context
def suggestion_policy(ctx: click.Context, /, as_json: bool) -> None:
    """Show the deadline policy in force (periods, result classes)."""
    data = env(ctx).get_app().deadline_policy.to_dict()

    def render() -> Table:
        table = Table(title=f"{data['title']} ({data['name']})", show_header=False)
        for key, value in data.items():
            if isinstance(value, dict) and "label" in value:
                table.add_row(key, value["label"])
            elif key == "result_classes":
                for code, label in value.items():
                    table.add_row(f"class {code}", label)
            elif key == "province":  # whose rules: shown only for a province's policy
                if value is not None:
                    app = env(ctx).get_app()
                    table.add_row(key, with_name(value, named(app.division, value + "0000")))
            elif key not in ("name", "title"):
                table.add_row(key, str(value))
        return table

    emit(data, as_json, render)


def _status(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return Status.parse(text).value
    except ValueError as exc:
        raise InvalidInput(
            f"invalid input — status: {exc}", [{"field": "status", "message": str(exc)}]
        ) from None


def _summary(doc: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "title",
        "status",
        "lead_deputy",
        "lead_name",
        "year",
        "submitted_on",
        "lead_unit",
        "co_units",
        "reply_due",
        "rehandle_due",
        "disclosure_due",
        "supervised",
        "bulletin",
    )
    return {k: doc.get(k) for k in keys}
