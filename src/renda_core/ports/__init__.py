"""Ports: pluggy hook specifications and the plugin manager.

``hookimpl`` marks a hook implementation exactly as ``pluggy.HookimplMarker("renda")``
does (the same ``renda_impl`` options set on the function, which the plugin manager
reads when the plugin is registered) without importing pluggy: a report read from a
current view imports its adapter but builds no plugin manager (issue 15, target 4). A
test checks the marks are pluggy's. ``hookspec`` is :mod:`renda_core.ports.hookspecs`'
(imported, with pluggy, when asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, overload

__all__ = ["hookimpl", "hookspec"]

PROJECT = "renda"  # renda_core.ports.plugins.PROJECT: the marks' attribute is "renda_impl"

_F = TypeVar("_F", bound=Callable[..., object])


class HookimplMarker:
    """``pluggy.HookimplMarker`` (pluggy 1.x): marks a function as a hook implementation
    of ``project_name``, with the same options and the same attribute."""

    __slots__ = ("project_name",)

    def __init__(self, project_name: str) -> None:
        self.project_name = project_name

    @overload
    def __call__(
        self,
        function: _F,
        hookwrapper: bool = ...,
        optionalhook: bool = ...,
        tryfirst: bool = ...,
        trylast: bool = ...,
        specname: str | None = ...,
        wrapper: bool = ...,
    ) -> _F: ...

    @overload
    def __call__(
        self,
        function: None = ...,
        hookwrapper: bool = ...,
        optionalhook: bool = ...,
        tryfirst: bool = ...,
        trylast: bool = ...,
        specname: str | None = ...,
        wrapper: bool = ...,
    ) -> Callable[[_F], _F]: ...

    def __call__(
        self,
        function: _F | None = None,
        hookwrapper: bool = False,
        optionalhook: bool = False,
        tryfirst: bool = False,
        trylast: bool = False,
        specname: str | None = None,
        wrapper: bool = False,
    ) -> _F | Callable[[_F], _F]:
        def mark(func: _F) -> _F:
            opts = {
                "wrapper": wrapper,
                "hookwrapper": hookwrapper,
                "optionalhook": optionalhook,
                "tryfirst": tryfirst,
                "trylast": trylast,
                "specname": specname,
            }
            setattr(func, self.project_name + "_impl", opts)
            return func

        return mark if function is None else mark(function)


hookimpl = HookimplMarker(PROJECT)


def __getattr__(name: str) -> Any:
    """``hookspec``, from :mod:`renda_core.ports.hookspecs` (which imports pluggy)."""
    if name == "hookspec":
        from renda_core.ports.hookspecs import hookspec

        return hookspec
    raise AttributeError(f"module 'renda_core.ports' has no attribute {name!r}")
