"""Where things go on the report's charts: scales, ticks and points, in plain numbers.

The HTML report draws its SVG charts from these; keeping the geometry apart makes it testable
without a browser (a value on the target line lands on the target's pixel, ticks are round, a
series of one value still has a place).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pmo_tui.calculations import is_number


@dataclass(frozen=True)
class LinearScale:
    """Maps a domain of values onto a range of pixels, linearly (the range may run backwards,
    as a y axis does: larger values higher up, so at smaller pixel numbers)."""

    domain_low: float
    domain_high: float
    range_low: float
    range_high: float

    def __call__(self, value: float) -> float:
        span = self.domain_high - self.domain_low
        if span == 0:
            return (self.range_low + self.range_high) / 2
        share = (value - self.domain_low) / span
        return self.range_low + share * (self.range_high - self.range_low)

    def clamped(self, value: float) -> float:
        """The pixel of a value, kept inside the range: a value off the scale sits at its edge."""
        low, high = sorted((self.range_low, self.range_high))
        return min(high, max(low, self(value)))


def nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` into about `count` parts."""
    if not is_number(span) or span <= 0 or count < 1:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power * (1 + 1e-9):
            return multiple * power
    return 10 * power


def nice_domain(values: Iterable[float | None], *, count: int = 4, pad: float = 0.05) -> tuple[float, float]:
    """A domain that holds every value with a little room, its ends on round ticks.

    No value: 0–1. One value (or all equal): a band around it, so a flat line sits mid-chart.
    """
    numbers = [float(v) for v in values if is_number(v)]
    if not numbers:
        return 0.0, 1.0
    low, high = min(numbers), max(numbers)
    if low == high:
        half = abs(low) * 0.1 or 1.0
        low, high = low - half, high + half
    room = (high - low) * pad
    low, high = low - room, high + room
    # The ends on multiples of a step, and as many steps between them as make `ticks` take that
    # very step for the domain (`count` steps always do): else the first tick would not be its
    # low end. Two steps can each call for the other (20,000 and 25,000 for 288,289 alone), so
    # the number of steps is chosen, not only the step.
    step = nice_step(high - low, count)
    for _ in range(16):
        start = math.floor(low / step + 1e-9) * step
        needed = max(1, math.ceil((high - start) / step - 1e-9))
        for steps in range(needed, max(needed, count) + 1):
            if math.isclose(nice_step(steps * step, count), step):
                return start, start + steps * step
        step = nice_step(needed * step, count)  # more steps than `count`: a larger step
    return start, start + needed * step


def ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round values from low to high for the axis labels and grid lines (about `count` + 1)."""
    if not (is_number(low) and is_number(high)) or high <= low:
        return [low] if is_number(low) else []
    step = nice_step(high - low, count)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    # Rounding to the step's decimals keeps 0.30000000000000004 off the axis.
    digits = max(0, -math.floor(math.log10(step)) + 2)
    return [round(n * step, digits) for n in range(first, last + 1)]


def series_points(
    values: Sequence[float | None], x_from: float, x_to: float, y: LinearScale
) -> list[tuple[float, float] | None]:
    """Each value's point, spread evenly from x_from to x_to (one value sits at x_to: it is the
    latest); a missing value has no point (None), so the line breaks there."""
    count = len(values)
    if count == 0:
        return []
    x = LinearScale(0, count - 1, x_from, x_to) if count > 1 else LinearScale(0, 0, x_to, x_to)
    return [(x(i), y(v)) if is_number(v) else None for i, v in enumerate(values)]


def bar_length(share: float | None, width: float) -> float:
    """A progress bar's length for a share in [0, 1] (kept inside the bar; nothing when missing)."""
    if not is_number(share):
        return 0.0
    return max(0.0, min(1.0, share)) * width


def index_domain(values: Iterable[float | None], *, around: float = 1.0) -> tuple[float, float]:
    """The domain of an SPI/CPI axis: always holds 1.0 and the 0.85 problem line, widened to the
    values, on round tenths, so that projects can be compared chart to chart."""
    numbers = [float(v) for v in values if is_number(v)]
    low = min([0.8, around, *numbers])
    high = max([1.2, around, *numbers])
    return math.floor(low * 10 + 1e-9) / 10, math.ceil(high * 10 - 1e-9) / 10
