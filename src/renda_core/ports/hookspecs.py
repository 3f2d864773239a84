"""The hook specifications: renda's public contract with plugins.

Every hook is documented in ``docs/hooks.md`` and has a contract test. Hooks are called
with keyword arguments only; arguments are only ever added, never renamed or removed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from renda_core.domain.calendar import YearArrangement
    from renda_core.domain.deadlines import DeadlinePolicy
    from renda_core.notify.messages import Channel
    from renda_core.notify.rules import Rule
    from renda_core.ports.assessment import AssessmentScheme
    from renda_core.ports.contracts import CompositeReport, Projection, Report

hookspec = pluggy.HookspecMarker("renda")
hookimpl = pluggy.HookimplMarker("renda")


@hookspec
def renda_register_projections(register: Callable[[Projection], None]) -> None:
    """Contribute projection adapters that the runner delivers events to.

    Each adapter keeps its own view and tracking position; the runner delivers every
    event of the adapter's topics to its ``process_event`` in log order, exactly once,
    and a failure in one adapter leaves the others and the commands untouched.

    :param register: call ``register(projection)`` once per adapter object.
    :returns: nothing.
    """


@hookspec
def renda_register_reports(register: Callable[[Report], None]) -> None:
    """Contribute reports read from projection views (``renda report <name>``).

    :param register: call ``register(report)`` with a
        :class:`~renda_core.ports.contracts.Report`.
    :returns: nothing.
    """


@hookspec
def renda_register_commands(cli: click.Group) -> None:
    """Add Click commands or groups to the ``renda`` command line.

    :param cli: the top-level ``renda`` Click group; call ``cli.add_command(...)`` or
        decorate functions with ``@cli.command()``.
    :returns: nothing.
    """


@hookspec
def renda_register_deadline_policies(register: Callable[[DeadlinePolicy], None]) -> None:
    """Contribute a province's suggestion-handling rules (periods, result classes, …).

    The built-in ``national`` policy holds the national law and the model defaults. The
    policy in force is the one named by ``RENDA_DEADLINE_POLICY``; without that, the one
    policy a plugin registers (two or more need the variable). Due dates are computed
    when a command runs and recorded in its event, so a new policy never moves the
    deadlines of an old log.

    :param register: call ``register(policy)`` with a
        :class:`~renda_core.domain.deadlines.DeadlinePolicy` (a unique ``name``).
    :returns: nothing.
    """


@hookspec
def renda_register_calendar_years(register: Callable[[YearArrangement], None]) -> None:
    """Supply years of the statutory holiday arrangement (节假日安排) to the calendar.

    Working-day periods need every year they touch. A supplied year is used when no year
    was recorded with ``renda calendar add`` (a recorded year wins) and takes precedence
    over the packaged data.

    :param register: call ``register(arrangement)`` with a
        :class:`~renda_core.domain.calendar.YearArrangement` per year.
    :returns: nothing.
    """


@hookspec(firstresult=True)
def renda_report_template(name: str, lang: str, province: str | None) -> str | None:
    """Supply the source of a report template, replacing the built-in one.

    The annual report renders its prose (``annual.text``) and its page
    (``annual.html``) from Jinja2 templates; a province returns its own wording here.
    The first plugin that returns a source wins (plugins registered later are asked
    first; the built-in templates answer last). An implementation may leave out
    ``province`` (pluggy passes only the arguments it names).

    :param name: the template's name, e.g. ``"annual.text"`` or ``"annual.html"``.
    :param lang: ``"zh"`` or ``"en"``.
    :param province: the two-digit code of the provincial-level division whose data is
        rendered (``"22"``: 吉林省; the annual report's ``meta.province``), ``None`` when
        not known (several provinces, none recorded, a notification): a province's
        plugin answers ``None`` for another province's data, so its wording (its
        standing committee's name) never heads another's report.
    :returns: the template source, or ``None`` to leave it to others.
    """


@hookspec
def renda_register_composite_reports(register: Callable[[CompositeReport], None]) -> None:
    """Contribute reports built from the views of several reports (the annual report).

    A composite report is run by name through the public API
    (``renda_core.open(...).report(name, ...)``), like the reports of
    ``renda_register_reports``; its ``build(runner, reports, **options)`` catches up the
    views it reads itself.

    :param register: call ``register(report)`` with a
        :class:`~renda_core.ports.contracts.CompositeReport` (a name no other report has).
    :returns: nothing.
    """


@hookspec
def renda_register_channels(register: Callable[[Channel], None]) -> None:
    """Contribute notification delivery channels (``renda deliver run``).

    A channel has a ``name``, the ``addresses`` it takes (prefixes such as
    ``"mailto:"``, ``"https:"``, ``"inbox:"``, ``"apprise:"``) and
    ``send(message) -> Receipt``, raising
    :class:`~renda_core.notify.messages.DeliveryFailed` (``permanent`` or with
    ``retry_after``) when it cannot. Delivery is at least once: a channel gets
    ``message.key``, the idempotency key, to de-duplicate. A message goes to the first
    channel taking its address; registered channels are asked before the built-in ones
    (inbox, SMTP, CloudEvents webhook, apprise).

    :param register: call ``register(channel)`` once per channel.
    :returns: nothing.
    """


@hookspec
def renda_register_notification_rules(register: Callable[[Rule], None]) -> None:
    """Contribute notification rules: which events become which messages.

    A rule has a unique ``name``, the event ``topics`` it reads (clock reminders are
    ``renda:Reminder.Issued`` events) and ``drafts(event, topic, context)``, returning
    :class:`~renda_core.notify.rules.Draft` messages (recipient, template, values). The
    outbox keys each message by rule, event and address, so the same log always
    derives the same messages and none is sent twice.

    :param register: call ``register(rule)`` once per rule.
    :returns: nothing.
    """


@hookspec
def renda_register_assessment(register: Callable[[AssessmentScheme], None]) -> None:
    """Contribute a performance-assessment scheme (代表履职考核/积分办法) for
    ``renda report assessment``.

    A scheme scores one deputy's duty record of one year (the output of
    ``renda_adapters.record.duty_record``): ``score(record)`` returns
    :class:`~renda_core.ports.assessment.AssessmentItem` objects, points per duty or
    deductions (negative points), each with the record's entries behind it
    (``facts``), so a deputy can check every point. A fact must be an entry of the
    record; an item without facts is refused. The built-in ``example`` scheme is an
    example, not law: a province registers its own, which then replaces it (with
    several, ``--scheme`` or ``RENDA_ASSESSMENT_SCHEME`` names the one used).

    :param register: call ``register(scheme)`` with an
        :class:`~renda_core.ports.assessment.AssessmentScheme` (a unique ``name``).
    :returns: nothing.
    """
