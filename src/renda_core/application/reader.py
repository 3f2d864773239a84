"""The store opened for reading only what reports read: the log and the views.

``renda report deputies --json`` needs the log's head, the views and, when a view is
behind, the events' classes (resolved from their topics as they are decoded). It does
not need a single command: :class:`RendaReader` is the application without the command
mixins of :class:`~renda_core.application.app.Renda`, so opening it imports no command
module, no pydantic command model and no aggregate a report does not decode (issue 15,
target 4: a report starts in a fraction of the time the whole application takes).

It records nothing of its own: a report's catch-up writes only to the views, exactly as
the full application's runner does (the same :class:`ProjectionRunner`).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from renda_core.application.base import RendaBase
from renda_core.application.store import StoreConfig

if TYPE_CHECKING:
    import pluggy

    from renda_core.domain.deadlines import DeadlinePolicy
    from renda_core.projections.runner import ProjectionRunner


class RendaReader(RendaBase):
    """The log and its store, without commands."""

    name = "Renda"  # the same tables and views' tracking (not the class's own name)

    #: the name of the deadline policy in force, as the full application has it (a
    #: report's provenance names it); set by :func:`open_reader`
    deadline_policy_name: str | None = None
    _deadline_policy: DeadlinePolicy | None = None

    @property
    def deadline_policy(self) -> DeadlinePolicy | None:
        """The policy in force: the one plugins or ``RENDA_DEADLINE_POLICY`` chose, else
        the national one, whose module (with the motion rules and the working-day
        calendar) is imported only when the policy itself is asked for."""
        if self._deadline_policy is None and self.deadline_policy_name == NATIONAL_NAME:
            from renda_core.domain.deadlines import NATIONAL

            self._deadline_policy = NATIONAL
        return self._deadline_policy


#: ``renda_core.domain.deadlines.NATIONAL.name`` and ``renda_core.ports.rules.POLICY_ENV``
#: (a test checks both), known here without importing the rules
NATIONAL_NAME = "national"
POLICY_ENV = "RENDA_DEADLINE_POLICY"


def choose_policy(reader: RendaReader, plugins: pluggy.PluginManager) -> None:
    """The policy as :func:`~renda_core.ports.rules.choose_deadline_policy` chooses it
    (its errors included) when a plugin registers policies or the environment names
    one; else the national policy, by name."""
    if os.environ.get(POLICY_ENV) or plugins.hook.renda_register_deadline_policies.get_hookimpls():
        from renda_core.ports.rules import choose_deadline_policy

        reader._deadline_policy = choose_deadline_policy(plugins, None, reader.store_province)
        reader.deadline_policy_name = reader._deadline_policy.name
    else:
        reader.deadline_policy_name = NATIONAL_NAME


def open_reader(
    config: StoreConfig, plugins: pluggy.PluginManager
) -> tuple[RendaReader, ProjectionRunner]:
    """A :class:`RendaReader` on ``config`` and the runner of every plugin's view."""
    from renda_core.ports.plugins import collect_projections
    from renda_core.projections.runner import ProjectionRunner

    reader = RendaReader(config)
    try:
        choose_policy(reader, plugins)
        return reader, ProjectionRunner(reader, collect_projections(plugins))
    except BaseException:
        reader.close()
        raise
