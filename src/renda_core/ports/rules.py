"""Choosing the suggestion-handling rules in force from the plugins.

``configure_rules(app, pm)`` applies the chosen deadline policy and the calendar years
the plugins supply to an application; the CLI does this for the application it opens,
and an embedding system calls it (or ``app.use_deadline_policy(...)``) itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pluggy

from renda_core.domain.calendar import YearArrangement
from renda_core.domain.deadlines import NATIONAL, DeadlinePolicy
from renda_core.domain.errors import InvalidInput

if TYPE_CHECKING:  # a report's read-only store chooses a policy without the commands
    from renda_core.application.calendar import CalendarCommands

POLICY_ENV = "RENDA_DEADLINE_POLICY"


def collect_deadline_policies(pm: pluggy.PluginManager) -> dict[str, DeadlinePolicy]:
    """The built-in ``national`` policy and every policy plugins register, by name."""
    found: dict[str, DeadlinePolicy] = {NATIONAL.name: NATIONAL}

    def register(policy: DeadlinePolicy) -> None:
        if not isinstance(policy, DeadlinePolicy):
            raise TypeError(f"{policy!r} is not a DeadlinePolicy")
        if policy.name in found:
            raise ValueError(f"two deadline policies are named '{policy.name}'")
        found[policy.name] = policy

    pm.hook.renda_register_deadline_policies(register=register)
    return found


def choose_deadline_policy(
    pm: pluggy.PluginManager,
    name: str | None = None,
    store_province: Callable[[], str | None] | None = None,
) -> DeadlinePolicy:
    """The policy named (or in ``RENDA_DEADLINE_POLICY``); else the one a plugin gave
    for the store's province (``store_province``: its two-digit code, or None when not
    known; asked only when a plugin's policy names a province): 吉林省's rules are not
    a 广东省 store's, which keeps the national policy."""
    return policy_choice(collect_deadline_policies(pm), name, store_province)[0]


def policy_choice(
    policies: Mapping[str, DeadlinePolicy],
    name: str | None = None,
    store_province: Callable[[], str | None] | None = None,
) -> tuple[DeadlinePolicy, bool]:
    """:func:`choose_deadline_policy` among ``policies`` (as
    :func:`collect_deadline_policies` gives them), and whether the choice is *settled*:
    False when a plugin's policy names a province and the store records no single
    provincial-level division yet, so the choice may change once it does (an empty
    store whose divisions are imported later)."""
    name = name or os.environ.get(POLICY_ENV) or None
    if name is not None:
        if name not in policies:
            raise InvalidInput(
                f"no deadline policy named '{name}' (known: {', '.join(sorted(policies))})",
                [{"field": POLICY_ENV, "message": "unknown deadline policy"}],
            )
        return policies[name], True
    contributed = [p for n, p in policies.items() if n != NATIONAL.name]
    settled = True
    if store_province is not None and any(p.province for p in contributed):
        province = store_province()
        if province is None:
            settled = False
        else:
            contributed = [p for p in contributed if p.province in (None, province)]
    if len(contributed) > 1:
        names = ", ".join(sorted(p.name for p in contributed))
        raise InvalidInput(
            f"plugins register several deadline policies ({names}); choose one with {POLICY_ENV}",
            [{"field": POLICY_ENV, "message": "several policies registered"}],
        )
    return (contributed[0] if contributed else NATIONAL), settled


def collect_calendar_years(pm: pluggy.PluginManager) -> list[YearArrangement]:
    """The holiday arrangements plugins supply."""
    found: list[YearArrangement] = []

    def register(arrangement: YearArrangement) -> None:
        if not isinstance(arrangement, YearArrangement):
            raise TypeError(f"{arrangement!r} is not a YearArrangement")
        found.append(arrangement)

    pm.hook.renda_register_calendar_years(register=register)
    return found


def configure_rules(
    app: CalendarCommands, pm: pluggy.PluginManager, policy: str | None = None
) -> None:
    """Apply the chosen deadline policy (for the store's province, when a plugin's
    policy names one) and the supplied calendar years to ``app``.

    While the store records no province, the policy is chosen again at each use, so an
    application (a server) opened on an empty store follows the province whose
    divisions are then imported, in this process or another."""
    policies = collect_deadline_policies(pm)
    app.choose_deadline_policy(lambda: policy_choice(policies, policy, app.store_province))
    app.use_calendar_years(collect_calendar_years(pm))
