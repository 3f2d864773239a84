"""``renda demo``: a synthetic province modelled on the seed (吉林省, 2023).

:func:`generate` records it into an application through the same commands a user
would issue, and returns the :class:`Targets`: the figures each report must show.
See ``docs/demo.md``.
"""

from __future__ import annotations

from renda_core.demo.generator import Progress, generate
from renda_core.demo.targets import SEED, Targets, check_scale, targets_for

__all__ = ["SEED", "Progress", "Targets", "check_scale", "generate", "targets_for"]
