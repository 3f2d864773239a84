"""Small inline SVG charts for the report page (no scripts, no external files)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH = 640
BAR = "#b22222"


def bar_chart(
    items: Sequence[tuple[str, float]],
    caption: str,
    *,
    horizontal: bool = False,
    maximum: float | None = None,
) -> str:
    """A bar chart; values are printed on the bars."""
    items = list(items) or [("—", 0)]
    top = maximum or max((v for _, v in items), default=0) or 1
    if horizontal:
        row, left = 24, 170
        height = row * len(items) + 40
        parts = [_open(height, caption)]
        for i, (name, value) in enumerate(items):
            y = 30 + i * row
            w = (WIDTH - left - 70) * (value / top)
            parts.append(
                f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
                f"{escape(str(name))}</text>"
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{BAR}"/>'
                f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="12">{_fmt(value)}</text>'
            )
        return "".join(parts) + "</svg>"
    height = 260
    base, chart_h = 220, 170
    slot = (WIDTH - 40) / len(items)
    parts = [_open(height, caption)]
    for i, (name, value) in enumerate(items):
        h = chart_h * (value / top)
        x = 30 + i * slot
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
            f'font-size="11">{_fmt(value)}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{base + 16}" text-anchor="middle" '
            f'font-size="11">{escape(str(name))}</text>'
        )
    return "".join(parts) + "</svg>"


def funnel(stages: Sequence[tuple[str, float]], caption: str) -> str:
    """A funnel: one centred bar per stage, width proportional to its count."""
    top = max((v for _, v in stages), default=0) or 1
    row = 40
    parts = [_open(row * len(stages) + 40, caption)]
    for i, (name, value) in enumerate(stages):
        w = (WIDTH - 200) * (value / top)
        x = (WIDTH - w) / 2
        y = 30 + i * row
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{BAR}" '
            f'opacity="{1 - i * 0.15:.2f}"/>'
            f'<text x="{WIDTH / 2:.1f}" y="{y + 21}" text-anchor="middle" font-size="13" '
            f'fill="#000">{escape(name)} {_fmt(value)}</text>'
        )
    return "".join(parts) + "</svg>"


def _open(height: float, caption: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{escape(caption)}">'
        f"<title>{escape(caption)}</title>"
        f'<text x="8" y="16" font-size="13" font-weight="bold">{escape(caption)}</text>'
    )


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
