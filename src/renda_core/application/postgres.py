"""PostgreSQL support is an extra (``pip install "renda[postgres]"``): psycopg and
eventsourcing's PostgreSQL module are imported only when a ``postgresql://`` store is
opened, and a missing driver is the store-unavailable error (exit 8) saying what to
install, not an ``ImportError``."""

from __future__ import annotations

import sys
from types import ModuleType

from renda_core.domain.errors import StoreUnavailable

INSTALL_HINT = 'PostgreSQL support is not installed: pip install "renda[postgres]"'


def require_psycopg(location: str = "") -> ModuleType:
    """The ``psycopg`` module; :class:`StoreUnavailable` (exit 8) when it is missing."""
    try:
        import psycopg
    except ImportError:
        where = f"cannot open the store {location}: " if location else ""
        raise StoreUnavailable(f"{where}{INSTALL_HINT}") from None
    return psycopg


def loaded_psycopg() -> ModuleType | None:
    """``psycopg`` if something imported it already (no psycopg error can happen
    before that), else ``None``; never imports it."""
    module = sys.modules.get("psycopg")
    return module if isinstance(module, ModuleType) else None
