"""A faster call of an adapter's ``singledispatchmethod`` (no heavy imports: a report
read from the views imports the adapters, and with them this)."""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatchmethod
from typing import Any


def dispatcher(cls: type, name: str = "process_event") -> Callable[..., Any] | None:
    """A faster call of ``cls``'s ``singledispatchmethod`` ``name`` (None if it is not
    one): ``call(instance, event, *args)``, the implementation looked up once per event
    class. ``functools`` builds a wrapper, looks the class up through a weak dictionary
    and binds the implementation at every call (about 4 % of a rebuild)."""
    method = next((k.__dict__[name] for k in cls.__mro__ if name in k.__dict__), None)
    if not isinstance(method, singledispatchmethod):
        return None
    dispatch = method.dispatcher.dispatch
    found: dict[type, Any] = {}

    def call(instance: Any, event: Any, *args: Any) -> Any:
        cls = event.__class__
        impl = found.get(cls)
        if impl is None:
            impl = found[cls] = dispatch(cls)
        return impl(instance, event, *args)

    return call


def bound_process(projection: Any) -> Callable[[Any, Any], Any]:
    """``projection.process_event``, through :func:`dispatcher` when it can be."""
    call = dispatcher(type(projection))
    if call is None:
        process: Callable[[Any, Any], Any] = projection.process_event
        return process
    return lambda event, unit: call(projection, event, unit)
