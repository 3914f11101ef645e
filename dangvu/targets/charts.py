"""Server-rendered SVG charts for the targets dashboard (issue 13 item 7): readable without JavaScript, no
library, no CDN, no inline style (the colours are in app.css by class, the page's CSP allows no `style`).

`bar_chart` draws one bar per period (a year of the term) on a plot 100 units high, so that a bar's height is
its value's percentage of the top of the axis: the top is the smallest "round" number (1, 2, 2.5 or 5 × 10ⁿ)
at or above the largest value and the target's line. The axis is labelled at 0, half and the top, each bar
with its period under it and its value over it; the target's threshold is a dashed line. The chart is an
`img` for assistive technology, named by its `<title>` and described by a `<desc>` listing every value; each
bar has its own `<title>` (a tooltip in the browser).

Built with xml.etree, so that every text is escaped; the tests parse the markup back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 320, 140
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 28
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM  # 260 × 100
BAR_SHARE = Decimal("0.6")  # of each period's slot
STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


def axis_top(largest: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `largest` (1 for nothing to draw)."""
    if largest <= 0:
        return Decimal(1)
    scale = Decimal(10) ** (largest.adjusted())
    for step in (*STEPS, Decimal(10)):
        if step * scale >= largest:
            return (step * scale).normalize()
    raise AssertionError("unreachable")


def show(value: Decimal) -> str:
    """A figure as the page writes it (Vietnamese: 1.234,5), without trailing zeros."""
    value = Decimal(value).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return number_format(value, force_grouping=True)


def _n(value: Decimal | float) -> str:
    """An SVG coordinate: at most two decimals, no trailing zeros."""
    quantized = Decimal(str(value)).quantize(Decimal("0.01"))
    text = format(quantized.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, Decimal | None]],
    *,
    line: Decimal | None = None,
    unit: str = "",
) -> SafeString:
    """An SVG bar chart: `bars` are (label, value or None for no figure), `line` the target's threshold,
    `unit` written after each value ("%" or "")."""
    values = [Decimal(v) for _label, v in bars if v is not None]
    top = axis_top(max([*values, *([Decimal(line)] if line is not None else [])], default=Decimal(0)))
    described = "; ".join(f"{label}: {show(v) + unit if v is not None else '—'}" for label, v in bars)
    if line is not None:
        described += "; " + _("target %(value)s") % {"value": show(line) + unit}
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart",
            "id": chart_id,
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "width": str(WIDTH),
            "height": str(HEIGHT),
            "data-top": show(top),
        },
    )
    _sub(svg, "title", title, id=f"{chart_id}-title")
    _sub(svg, "desc", described, id=f"{chart_id}-desc")
    base = TOP + PLOT_H
    axis = _sub(svg, "g", class_="chart-axis")
    _sub(axis, "line", x1=_n(LEFT), y1=_n(TOP), x2=_n(LEFT), y2=_n(base))
    _sub(axis, "line", x1=_n(LEFT), y1=_n(base), x2=_n(LEFT + PLOT_W), y2=_n(base))
    for tick in (Decimal(0), top / 2, top):
        y = base - tick / top * PLOT_H
        _sub(axis, "line", x1=_n(LEFT - 4), y1=_n(y), x2=_n(LEFT), y2=_n(y))
        _sub(axis, "text", show(tick) + unit, class_="chart-tick", x=_n(LEFT - 6), y=_n(y + 4), text_anchor="end")
    group = _sub(svg, "g", class_="chart-bars")
    slot = Decimal(PLOT_W) / max(len(bars), 1)
    width = slot * BAR_SHARE
    for i, (label, value) in enumerate(bars):
        middle = LEFT + slot * i + slot / 2
        _sub(group, "text", label, class_="chart-x", x=_n(middle), y=_n(base + 16), text_anchor="middle")
        if value is None:
            _sub(group, "text", "—", class_="chart-value", x=_n(middle), y=_n(base - 4), text_anchor="middle")
            continue
        height = Decimal(value) / top * PLOT_H
        bar = _sub(
            group,
            "rect",
            class_="chart-bar",
            x=_n(middle - width / 2),
            y=_n(base - height),
            width=_n(width),
            height=_n(height),
            data_label=label,
            data_value=show(value),
        )
        _sub(bar, "title", f"{label}: {show(value)}{unit}")
        _sub(
            group,
            "text",
            show(value) + unit,
            class_="chart-value",
            x=_n(middle),
            y=_n(base - height - 4),
            text_anchor="middle",
        )
    if line is not None:
        y = base - Decimal(line) / top * PLOT_H
        target = _sub(svg, "g", class_="chart-target")
        drawn = _sub(target, "line", x1=_n(LEFT), y1=_n(y), x2=_n(LEFT + PLOT_W), y2=_n(y), data_value=show(line))
        _sub(drawn, "title", _("Target: %(value)s") % {"value": show(line) + unit})
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308  (built by ElementTree: escaped)
