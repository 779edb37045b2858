"""Time limits of a probe: the run's budget, shared by everything, and a limit per step."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    """`end` is the monotonic time the whole run must be done by; `step` the most any
    one step (a connection, a reply, a TLS handshake) may take."""

    end: float
    step: float

    @classmethod
    def after(cls, budget: float, step: float) -> Deadline:
        """A deadline `budget` seconds from now."""
        return cls(time.monotonic() + max(budget, 0.0), max(step, 0.01))

    def remaining(self) -> float:
        """Seconds left of the run's budget."""
        return max(self.end - time.monotonic(), 0.0)

    def step_end(self, step: float | None = None) -> float:
        """When a step that starts now must end: the step limit or the budget, if sooner."""
        return min(time.monotonic() + (self.step if step is None else step), self.end)

    def cut_short(self, step: float | None = None) -> bool:
        """True when the budget, not the step limit, bounds a step starting now."""
        return self.remaining() < (self.step if step is None else step)
