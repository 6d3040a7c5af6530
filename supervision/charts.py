"""Server-side SVG charts for the dashboard: no JavaScript library, no CDN.

Each function returns safe SVG markup; every bar or point may carry a link to the filtered list
behind it and a <title> tooltip. Text is escaped here, so callers pass plain strings.
"""

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = [
    "#1f6fb2",
    "#e0a800",
    "#2e8b57",
    "#c0392b",
    "#7d5ba6",
    "#16a2b8",
    "#8c6d46",
    "#5d6d7e",
    "#d35400",
    "#27ae60",
]
FONT = 'font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif"'


@dataclass
class Bar:
    label: str
    value: float
    href: str = ""
    colour: str = "#1f6fb2"


@dataclass
class Series:
    name: str
    values: list[float]
    colour: str
    hrefs: list[str] = field(default_factory=list)


def _link(href: str, inner: str, title: str, value: float | None = None) -> str:
    """A linked (or plain) group; ``data-figure`` states the number the link's list must total."""
    tip = f"<title>{escape(title)}</title>"
    if href:
        figure = f' data-figure="{_fmt(value)}"' if value is not None else ""
        return f'<a href="{escape(href)}"{figure}>{tip}{inner}</a>'
    return f"<g>{tip}{inner}</g>"


def _nice_max(value: float) -> float:
    """The smallest of 4, 8, 10, 20, 40, 80, 100 … at or above value: four gridlines, round ticks."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 4, 8, 10):
        if value <= m * magnitude:
            return m * magnitude
    return 10 * magnitude


def hbar_chart(bars: list[Bar], *, width: int = 560, row: int = 26, label_width: int = 120) -> SafeString:
    """Horizontal bars, one per row, value written at the end."""
    if not bars:
        return mark_safe('<p class="muted">暂无数据</p>')
    top = 6
    height = top + row * len(bars) + 6
    biggest = max(b.value for b in bars) or 1
    room = width - label_width - 50
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" {FONT} font-size="12">'
    ]
    for i, b in enumerate(bars):
        y = top + i * row
        w = max(2 if b.value else 0, room * b.value / biggest)
        inner = (
            f'<text x="{label_width - 8}" y="{y + row / 2 + 4}" text-anchor="end" fill="#394652">{escape(b.label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" rx="2" fill="{b.colour}"/>'
            f'<text x="{label_width + w + 6:.1f}" y="{y + row / 2 + 4}" fill="#1d2733" font-weight="bold">{_fmt(b.value)}</text>'
        )
        parts.append(_link(b.href, inner, f"{b.label}：{_fmt(b.value)}", b.value))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_hbar_chart(
    rows: list[tuple[str, list[Bar]]], *, width: int = 560, row: int = 28, label_width: int = 120
) -> SafeString:
    """One horizontal bar per row, split into coloured segments (e.g. cases by state per unit)."""
    rows = [(label, segs) for label, segs in rows if sum(s.value for s in segs)]
    if not rows:
        return mark_safe('<p class="muted">暂无数据</p>')
    top = 6
    height = top + row * len(rows) + 6
    biggest = max(sum(s.value for s in segs) for _, segs in rows) or 1
    room = width - label_width - 50
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" {FONT} font-size="12">'
    ]
    for i, (label, segs) in enumerate(rows):
        y = top + i * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row / 2 + 4}" text-anchor="end" fill="#394652">{escape(label)}</text>'
        )
        x = label_width
        for s in segs:
            if not s.value:
                continue
            w = room * s.value / biggest
            rect = f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{s.colour}"/>'
            if w > 16:
                rect += f'<text x="{x + w / 2:.1f}" y="{y + row / 2 + 4}" text-anchor="middle" fill="#fff" font-size="11">{_fmt(s.value)}</text>'
            parts.append(_link(s.href, rect, f"{label} · {s.label}：{_fmt(s.value)}", s.value))
            x += w
        total = sum(s.value for s in segs)
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + row / 2 + 4}" fill="#1d2733" font-weight="bold">{_fmt(total)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(
    labels: list[str], series: list[Series], *, width: int = 560, height: int = 220, line: bool = False
) -> SafeString:
    """Grouped columns (or lines with points) over categories such as weeks."""
    if not labels:
        return mark_safe('<p class="muted">暂无数据</p>')
    left, right, top, bottom = 34, 10, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    biggest = _nice_max(max((v for s in series for v in s.values), default=0))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" {FONT} font-size="11">'
    ]
    for k in range(5):
        value = biggest * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e8ee"/>')
        parts.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#6b7785">{_fmt(value)}</text>'
        )
    slot = plot_w / len(labels)
    for i, label in enumerate(labels):
        if len(labels) <= 12 or i % 2 == 0:
            parts.append(
                f'<text x="{left + slot * (i + 0.5):.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="#6b7785">{escape(label)}</text>'
            )
    for si, s in enumerate(series):
        points = []
        for i, value in enumerate(s.values):
            href = s.hrefs[i] if i < len(s.hrefs) else ""
            h = plot_h * value / biggest
            if line:
                cx, cy = left + slot * (i + 0.5), top + plot_h - h
                points.append(f"{cx:.1f},{cy:.1f}")
                dot = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{s.colour}"/>'
                parts.append(_link(href, dot, f"{labels[i]} {s.name}：{_fmt(value)}", value))
            else:
                bw = slot * 0.7 / len(series)
                x = left + slot * i + slot * 0.15 + bw * si
                rect = f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{s.colour}"/>'
                parts.append(_link(href, rect, f"{labels[i]} {s.name}：{_fmt(value)}", value))
        if line and points:
            parts.insert(
                len(parts) - len(s.values),
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{s.colour}" stroke-width="2"/>',
            )
    lx = left
    for s in series:
        parts.append(f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{s.colour}"/>')
        parts.append(f'<text x="{lx + 14}" y="{height - 5}" fill="#394652">{escape(s.name)}</text>')
        lx += 24 + 13 * len(s.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
