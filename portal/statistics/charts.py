"""Figures as SVG charts (pygal): drawn on the server, no script, no CDN, printable.

Each chart is an image served on its own (so its inline styles never meet the pages' CSP) and is
always shown beside its data table, which is what a screen reader reads.
"""

import re

import pygal
from pygal.style import Style

from portal.statistics.figures import Figure

# DSFR colours, contrasted enough on white (blue France, red Marianne, green, grey).
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#161616",
    foreground_strong="#161616",
    foreground_subtle="#666666",
    colors=("#000091", "#c9191e", "#18753c", "#666666", "#b34000"),
    font_family="Marianne, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
)
MAX_BARS = 25
# pygal writes its configuration in an inline script even without its JS: an image needs none.
INLINE_SCRIPT = re.compile(rb"<script\b.*?</script>", re.DOTALL)


def render_svg(figure: Figure) -> bytes:
    options = {
        "style": STYLE,
        "js": [],  # pygal links a script from a CDN by default: never here
        "disable_xml_declaration": False,
        "show_legend": len(figure.series) > 1,
        "legend_at_bottom": True,
        "print_values": False,
        "title": figure.title,
        "width": 900,
        "height": 150 + (10 + 16 * len(figure.series)) * max(3, min(len(figure.rows), MAX_BARS)),
        "truncate_label": 40,
        "no_data_text": "—",
    }
    rows = figure.rows[:MAX_BARS]
    if figure.chart == "line":
        options["height"] = 420
        chart = pygal.Line(**options, x_label_rotation=30, show_minor_x_labels=False)
        chart.x_labels = [row[0] for row in figure.rows]
        chart.x_labels_major_every = max(1, len(figure.rows) // 12)
        for index in figure.series:
            chart.add(figure.headers[index], [row[index] for row in figure.rows])
    else:
        chart = pygal.HorizontalBar(**options)
        # Horizontal bars draw bottom-up: reverse so the chart reads in the table's order.
        chart.x_labels = [str(row[0]) for row in reversed(rows)]
        for index in figure.series:
            chart.add(figure.headers[index], [row[index] or 0 for row in reversed(rows)])
    return INLINE_SCRIPT.sub(b"", chart.render())
