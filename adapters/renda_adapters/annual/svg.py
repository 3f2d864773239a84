"""Small inline SVG charts for the report page (no scripts, no external files).

A chart has a ``viewBox`` and no fixed size: the page's CSS scales it to the width it
has (a 390 px phone, an A4 page). Labels are dark text on the white page, never on a
bar, so their contrast does not depend on the bar's colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 480
BAR = "#b22222"
#: text colour: 17:1 on white
INK = "#1a1a1a"


def bar_chart(
    items: Sequence[tuple[str, float]],
    caption: str,
    *,
    horizontal: bool = False,
    maximum: float | None = None,
) -> str:
    """A bar chart; values are printed beside the bars."""
    items = list(items) or [("—", 0)]
    top = maximum or max((v for _, v in items), default=0) or 1
    if horizontal:
        row, left, right = 26, 150, 60
        parts = [_open(row * len(items) + 12, caption)]
        for i, (name, value) in enumerate(items):
            y = 6 + i * row
            w = (WIDTH - left - right) * (value / top)
            parts.append(
                f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="13" '
                f'fill="{INK}">{escape(str(name))}</text>'
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{BAR}"/>'
                f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="13" fill="{INK}">'
                f"{_fmt(value)}</text>"
            )
        return "".join(parts) + "</svg>"
    base, chart_h = 190, 160
    slot = (WIDTH - 20) / len(items)
    parts = [_open(base + 24, caption)]
    bar = min(slot * 0.7, 56)
    for i, (name, value) in enumerate(items):
        h = chart_h * (value / top)
        x = 10 + i * slot
        parts.append(
            f'<rect x="{x + (slot - bar) / 2:.1f}" y="{base - h:.1f}" width="{bar:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
            f'font-size="12" fill="{INK}">{_fmt(value)}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{base + 17}" text-anchor="middle" '
            f'font-size="12" fill="{INK}">{escape(str(name))}</text>'
        )
    return "".join(parts) + "</svg>"


def _open(height: float, caption: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-label="{escape(caption)}">'
        f"<title>{escape(caption)}</title>"
    )


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
