"""Charts drawn on the server as SVG: no script, readable by screen readers (a title and a
description, and the same figures in a table beside each chart)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 22, 6, 190, 560


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str, description: str) -> SafeString:
    """Horizontal bars, one a row (label, value), longest = the chart's width."""
    largest = max((value for _, value in rows), default=0) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - 40
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="{}" text-anchor="end">{}</text>'
        '<rect x="{}" y="0" width="{}" height="{}" class="bar"></rect>'
        '<text x="{}" y="{}" class="value">{}</text></g>',
        (
            (
                GAP + index * (BAR_HEIGHT + GAP),
                LABEL_WIDTH - 8,
                BAR_HEIGHT - 6,
                label if len(label) <= 26 else label[:25] + "…",
                LABEL_WIDTH,
                round(plot * value / largest, 1),
                BAR_HEIGHT,
                LABEL_WIDTH + round(plot * value / largest, 1) + 6,
                BAR_HEIGHT - 6,
                value,
            )
            for index, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}</title>'
        '<desc id="chart-desc">{}</desc>{}</svg>',
        CHART_WIDTH,
        max(height, BAR_HEIGHT),
        title,
        description,
        bars,
    )
