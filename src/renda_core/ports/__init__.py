"""Ports: pluggy hook specifications and the plugin manager."""

from renda_core.ports.hookspecs import hookimpl, hookspec

__all__ = ["hookimpl", "hookspec"]
