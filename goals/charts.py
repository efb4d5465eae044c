"""Geometry for the server-rendered SVG charts; the templates only draw what is computed here.

Every chart is shown with a title, a description and a table of the same numbers, so the
chart never is the only way to read them.
"""

from decimal import Decimal

from goals.progress import COUNTED, METHOD_VERSION

LABEL_WIDTH = 210  # room for the row labels on the left
BAR_SPACE = 300  # width that stands for 100 %
ROW_HEIGHT = 30
STATUS_CLASSES = {name: f"segment-{name.replace('_', '-')}" for name in COUNTED}


def bar_chart(rows):
    """Horizontal bars, one per (label, percent) row; a missing percent draws no bar."""
    bars = []
    for position, (label, percent) in enumerate(rows):
        width = 0 if percent is None else float(Decimal(percent) * BAR_SPACE / 100)
        bars.append(
            {
                "label": label,
                "short_label": label if len(label) <= 30 else label[:29] + "…",
                "percent": percent,
                "bar_y": position * ROW_HEIGHT + 5,
                "text_y": position * ROW_HEIGHT + 19,
                "width": round(width, 1),
                "value_x": round(LABEL_WIDTH + width + 6, 1),
            }
        )
    return {
        "bars": bars,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "width": LABEL_WIDTH + BAR_SPACE + 70,
        "label_width": LABEL_WIDTH,
        "scale_x": LABEL_WIDTH + BAR_SPACE,
    }


def status_chart(counts, labels):
    """One bar split into the share of deliverables in each status."""
    total = sum(counts.values())
    segments, x = [], 0.0
    for name in COUNTED:
        if not counts[name]:
            continue
        width = counts[name] * 500 / total
        segments.append(
            {
                "label": labels[name],
                "count": counts[name],
                "x": round(x, 1),
                "width": round(width, 1),
                "css": STATUS_CLASSES[name],
            }
        )
        x += width
    return {"segments": segments, "total": total}


def round_label(name, method_version):
    """A round's name in a chart, saying so when its figures used an earlier method."""
    return name if method_version == METHOD_VERSION else f"{name} (method {method_version})"
