"""Registers the CLI of sessions' attendance, meetings, motions and inspections."""

from __future__ import annotations

import click

from renda_core.cli.inspection import inspection
from renda_core.cli.meeting import meeting, session_attendance, session_warnings
from renda_core.cli.motion import motion
from renda_core.cli.session import session


def register(cli: click.Group) -> None:
    """Add ``meeting``, ``motion``, ``inspection`` and ``session attendance|warnings``."""
    for group in (meeting, motion, inspection):
        cli.add_command(group)
    session.add_command(session_attendance)
    session.add_command(session_warnings)
