"""The store's JSON transcoder: the library's ``JSONTranscoder``, writing the same bytes
at less cost per event.

``JSONTranscoder.encode`` builds the standard library's C encoder again for every event
(``json.JSONEncoder.encode`` does, per call); this one builds it once. An event's actor
(the same few actors over a whole import or demo) is turned into its JSON form once per
actor rather than once per event, and so is a business date (an import's events share a
few hundred dates). Decoding is the library's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder

from renda_core.domain.values import Actor

_KEPT_ACTORS = 1024
"""How many actors' JSON forms are kept (an import has a handful; a long-running
process may meet many: the cache is emptied when full)."""
_KEPT_DATES = 4096
"""How many dates' JSON forms are kept (emptied when full, as the actors')."""


class RendaTranscoder(JSONTranscoder):
    """``JSONTranscoder`` with its encoder built once; the same bytes."""

    def __init__(self) -> None:
        super().__init__()
        # by id, role and OS user: actors differing in OS user alone are equal
        self._actors: dict[tuple[str, str, str | None], dict[str, Any]] = {}
        self._dates: dict[date, dict[str, Any]] = {}
        make = getattr(json.encoder, "c_make_encoder", None)
        self._c_encode: Callable[[Any, int], Any] | None = None
        if make is not None:
            self._c_encode = make(
                None,  # markers: a domain event's state holds no cycle
                self._encode_obj,
                json.encoder.encode_basestring,  # ensure_ascii=False, as the library's
                None,  # indent
                ":",
                ",",
                False,  # sort_keys
                False,  # skipkeys
                True,  # allow_nan
            )

    def encode(self, obj: Any) -> bytes:
        encode = self._c_encode
        if encode is None or isinstance(obj, str):  # pragma: no cover - CPython has it
            return super().encode(obj)
        try:
            return "".join(encode(obj, 0)).encode("utf8")
        except Exception:
            return super().encode(obj)

    def _encode_obj(self, o: Any) -> dict[str, Any]:
        kind = type(o)
        if kind is date:  # exactly a date: a datetime (a subclass) is encoded each time
            known = self._dates.get(o)
            if known is None:
                if len(self._dates) >= _KEPT_DATES:
                    self._dates.clear()
                known = self._dates[o] = super()._encode_obj(o)
            return known
        if kind is not Actor:
            return super()._encode_obj(o)
        key = (o.id, o.role, o.os_user)
        found = self._actors.get(key)
        if found is None:
            if len(self._actors) >= _KEPT_ACTORS:
                self._actors.clear()
            found = self._actors[key] = super()._encode_obj(o)
        return found
