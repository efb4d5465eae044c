"""Geometry for the server-rendered SVG charts; the templates only draw what is computed here.

Every chart is drawn twice, for wide and for narrow screens, and the stylesheet shows one. Each
drawing's viewBox is sized for the widths it is shown at, so that its text renders at 11 CSS
pixels or more on a 320-pixel screen and is never scaled up past a comfortable size: the text
size is a number of viewBox units, and the browser scales the viewBox to the page's width.

Labels are placed where they fit and never collide: a value label sits just beyond its bar, or
inside it when it would otherwise reach the line that marks the axis's end (100 % on a percent
axis), and a column's value sits above the column, or above that line when it would touch it.
Positions are worked out from an estimate of each text's width that errs on the wide side, so
a browser's own rendering is narrower than what was allowed for (the browser tests measure it).

Colours are written as presentation attributes (``fill="…"``), which a strict Content Security
Policy allows, so the same drawing also serves as a file of its own (``standalone``). Nothing
is drawn without data: a chart then carries the sentence to show instead (``Chart.empty``).
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path
from unicodedata import east_asian_width

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from goals.progress import COUNTED, METHOD_VERSION, NO_DATA, STATUS_LABELS
from goals.snapshots import progress_as_of
from goals.templatetags.progress import MONTHS, delivered, round_dates

INK = "#1b1f24"
MUTED = "#4a5260"
GRID = "#c9cfd6"
PAPER = "#ffffff"
ACCENT = "#0b4f8a"
# One colour per status, each at least 3:1 against the page (WCAG 1.4.11); the bars are also
# labelled, so colour is never the only carrier of meaning.
STATUS_FILLS = {
    "completed": "#1b6b2f",
    "in_progress": "#0b4f8a",
    "on_hold": "#8a4b00",
    "not_started": "#6b21a8",
    "dropped": "#4a5260",
    NO_DATA: "#6b7280",
}
PALETTE = {"ink": INK, "muted": MUTED, "grid": GRID, "paper": PAPER}
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif'
PAD = 6  # between a bar's end and its value label
GAP = 4  # the least room kept between a label and anything it must not touch


@dataclass(frozen=True)
class Layout:
    """One of the two drawings of a chart."""

    name: str
    width: int  # of the viewBox
    font: int  # text size, in viewBox units
    narrowest: int  # the fewest CSS pixels it is shown across (see the stylesheet)
    labels_above: bool  # row labels above each bar (narrow screens) or to their left
    plot_height: int  # of a column chart's plotting area


# The stylesheet shows WIDE from 48rem up (736 to 1,120 px of chart: text 12 to 18 px) and
# NARROW below, at most 26rem wide (288 px on a 320-pixel screen: text 12.5 px; 18 px at most).
WIDE = Layout("wide", width=860, font=14, narrowest=736, labels_above=False, plot_height=220)
NARROW = Layout("narrow", width=300, font=13, narrowest=288, labels_above=True, plot_height=190)
LAYOUTS = (WIDE, NARROW)


# Widths of characters in ems, generous for any sans-serif system font.
THIN = frozenset(" .,:;'!|()[]ilIjtf\u00a0")
BROAD = frozenset("%MWmw@")


def char_width(c):
    if c in THIN:
        return 0.34
    if c in BROAD or east_asian_width(c) in ("W", "F"):
        return 1.0
    return 0.72 if c.isupper() else 0.62


def text_width(text, font):
    """An upper estimate of a text's width in viewBox units at a font size."""
    return round(sum(char_width(c) for c in text) * font, 1)


def fit_text(text, room, font):
    """The text, shortened with an ellipsis until it fits ``room``."""
    if text_width(text, font) <= room:
        return text
    while text and text_width(text + "…", font) > room:
        text = text[:-1].rstrip()
    return text + "…"


def luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    """The WCAG contrast ratio of two colours written as #rrggbb."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def ink_on(fill):
    """The text colour readable on a fill: white where it reaches 4.5:1, else the ink."""
    return PAPER if contrast(PAPER, fill) >= 4.5 else INK


@dataclass(frozen=True)
class Box:
    """Where a piece of text is drawn, as a rectangle (left, top, right, bottom)."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other):
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


def text_box(text, font, x, baseline, anchor="start"):
    width = text_width(text, font)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    # Ascenders reach about 0.8 em above the baseline, descenders 0.25 em below.
    return Box(
        round(left, 1),
        round(baseline - 0.8 * font, 1),
        round(left + width, 1),
        round(baseline + 0.25 * font, 1),
    )


@dataclass(frozen=True)
class Axis:
    """A value axis from 0 to ``top`` with its ticks; ``unit`` follows each tick's number."""

    top: int
    ticks: tuple
    title: str
    unit: str = ""

    def text(self, value):
        return f"{value}\u00a0{self.unit}" if self.unit else f"{value}"


# Words kept at module level are lazy: translated when a page shows them, in its language.
PERCENT_AXIS = Axis(100, (0, 25, 50, 75, 100), gettext_lazy("Percent delivered"), "%")


def count_axis(largest, title, most=5):
    """An axis for counts up to ``largest``: a round step (1, 2 or 5 times a power of ten) giving
    at most ``most`` intervals, and a top at the first tick at or above the largest count."""
    largest = max(int(largest), 1)
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            intervals = -(-largest // step)
            if intervals <= most:
                return Axis(intervals * step, tuple(range(0, intervals * step + 1, step)), title)
        magnitude *= 10


@dataclass(frozen=True)
class Bar:
    """A row of a bar chart, or a column of a column chart."""

    label: str  # in the table, and in the chart unless ``lines`` is given
    value: Decimal | int | None  # None draws no bar
    value_text: str
    fill: str = ACCENT
    lines: tuple = ()  # a column's label under it, one or two short lines


@dataclass(frozen=True)
class Chart:
    """What a page needs to show a chart, its numbers and its download link."""

    name: str  # its file: /plans/<plan>/charts/<name>.svg
    kind: str  # "bars" or "columns": which template draws it
    title: str
    description: str
    headers: tuple  # the table's column headings
    rows: tuple  # the table: (label, value text) per bar
    drawings: tuple = ()  # the geometry per layout, wide first; none when nothing is drawn
    empty: str = ""  # the sentence shown instead when nothing is drawn

    @property
    def drawn(self):
        return bool(self.drawings)

    @property
    def template(self):
        return f"includes/chart_{self.kind}_svg.html"


def ticks_along(axis, start, length):
    """Each tick: its value, its position along the axis and its text."""
    return [
        {"value": v, "at": round(start + length * v / axis.top, 1), "text": axis.text(v)} for v in axis.ticks
    ]


def bar_geometry(bars, axis, layout):
    """Horizontal bars, one per row, along ``axis``."""
    font = layout.font
    tick_texts = [axis.text(v) for v in axis.ticks]
    right = layout.width - text_width(tick_texts[-1], font) / 2 - 2
    if layout.labels_above:
        left = text_width(tick_texts[0], font) / 2 + 2
        label_room = right - left - GAP  # short of the line at the axis's end
    else:
        label_room = min(max(text_width(b.label, font) for b in bars), layout.width * 0.3)
        left = label_room + 12
    plot = right - left
    bar_height = round(font * 1.7)
    label_height = font + 6 if layout.labels_above else 0
    row_height = label_height + bar_height + 12
    top = 10
    rows = []
    for position, bar in enumerate(bars):
        y = top + position * row_height
        bar_y = y + label_height
        width = 0.0 if bar.value is None else float(Decimal(bar.value) * Decimal(plot) / axis.top)
        end = left + width
        wide = text_width(bar.value_text, font)
        middle = bar_y + bar_height / 2 + font * 0.35  # a baseline centring the text on the bar
        if end + PAD + wide <= right - GAP:
            value = {"x": round(end + PAD, 1), "anchor": "start", "fill": INK, "inside": False}
        else:
            value = {"x": round(end - PAD, 1), "anchor": "end", "fill": ink_on(bar.fill), "inside": True}
        value["box"] = text_box(bar.value_text, font, value["x"], middle, value["anchor"])
        shown = fit_text(bar.label, label_room, font)
        if layout.labels_above:
            label = {"x": round(left, 1), "y": round(y + font, 1), "anchor": "start"}
        else:
            label = {"x": round(left - 8, 1), "y": round(middle, 1), "anchor": "end"}
        label["box"] = text_box(shown, font, label["x"], label["y"], label["anchor"])
        rows.append(
            {
                "bar": bar,
                "label": shown,
                "shortened": shown != bar.label,
                "label_at": label,
                "y": bar_y,
                "height": bar_height,
                "width": round(width, 1),
                "value": value,
                "value_y": round(middle, 1),
            }
        )
    bottom = top + len(bars) * row_height
    tick_y = bottom + font + 6
    title_y = tick_y + font + 10
    return {
        "layout": layout,
        "palette": PALETTE,
        "font_family": FONT_FAMILY,
        "width": layout.width,
        "height": round(title_y + 10),
        "font": font,
        "left": round(left, 1),
        "right": round(right, 1),
        "top": top - 4,
        "bottom": bottom,
        "rows": rows,
        "ticks": ticks_along(axis, left, plot),
        "reference": axis.unit == "%",  # the line at 100 % is marked
        "tick_y": tick_y,
        "axis_title": axis.title,
        "axis_title_x": round(left + plot / 2, 1),
        "axis_title_y": title_y,
    }


def column_geometry(columns, axis, layout):
    """Vertical columns, one per item, with ``axis`` upright."""
    font = layout.font
    tick_room = max(text_width(axis.text(v), font) for v in axis.ticks)
    left = tick_room + 10
    count = len(columns)
    line_room = max((text_width(line, font) for c in columns for line in c.lines), default=0)
    value_room = max(text_width(c.value_text, font) for c in columns)
    # The last column's texts, centred on it, may reach past its band: keep room for them.
    reach = max(line_room, value_room)
    room = layout.width - 2 - left
    right = layout.width - 2 - max(0, (reach - room / count) / (2 - 1 / count))
    plot = right - left
    title_y = font + 2
    top = title_y + font * 2 + GAP * 2  # room above the top line for a value label
    bottom = top + layout.plot_height
    band = plot / count
    width = min(band * 0.62, 90)
    values_fit = value_room + GAP <= band
    every = 1
    while line_room + GAP > band * every:
        every += 1
    drawn = []
    for position, column in enumerate(columns):
        centre = left + band * (position + 0.5)
        height = 0.0 if column.value is None else float(Decimal(column.value) * layout.plot_height / axis.top)
        column_top = bottom - height
        value = None
        if values_fit:
            baseline = column_top - PAD - 0.25 * font
            box = text_box(column.value_text, font, centre, baseline, "middle")
            if box.top < top + GAP:  # it would touch the top line: it goes above that line
                baseline = top - GAP - 0.25 * font
                box = text_box(column.value_text, font, centre, baseline, "middle")
            value = {"y": round(baseline, 1), "box": box}
        labelled = (len(columns) - 1 - position) % every == 0  # the latest always is
        lines = [
            {"text": line, "y": round(bottom + (font + 4) * (n + 1), 1)}
            for n, line in enumerate(column.lines if labelled else ())
        ]
        drawn.append(
            {
                "column": column,
                "x": round(centre - width / 2, 1),
                "centre": round(centre, 1),
                "y": round(column_top, 1),
                "width": round(width, 1),
                "height": round(height, 1),
                "value": value,
                "lines": lines,
            }
        )
    most_lines = max((len(c.lines) for c in columns), default=0)
    return {
        "layout": layout,
        "palette": PALETTE,
        "font_family": FONT_FAMILY,
        "width": layout.width,
        "height": round(bottom + (font + 4) * most_lines + 12),
        "font": font,
        "left": round(left, 1),
        "right": round(right, 1),
        "top": round(top, 1),
        "bottom": round(bottom, 1),
        "columns": drawn,
        "ticks": [
            {**tick, "at": round(bottom - tick["at"], 1)} for tick in ticks_along(axis, 0, layout.plot_height)
        ],
        "tick_x": round(left - 8, 1),
        "reference": axis.unit == "%",
        "axis_title": axis.title,
        "axis_title_y": title_y,
        "values_shown": values_fit,
        "labels_every": every,
    }


def standalone_frame(drawing, heading, source):
    """Room around a drawing served as a file of its own: its heading above, its source below."""
    font = drawing["font"]
    top = font * 2 + 14
    return {
        "top": top,
        "heading": fit_text(heading, drawing["width"], font + 2),
        "title_y": font + 10,
        "source": fit_text(source, drawing["width"], font),
        "source_y": drawing["height"] + top + font + 4,
        "height": drawing["height"] + top + font + 16,
    }


def bar_chart(name, title, description, headers, bars, axis, empty=""):
    """A horizontal bar chart, or only its sentence when ``empty`` says there is nothing to draw."""
    rows = tuple((bar.label, bar.value_text) for bar in bars)
    drawings = () if empty or not bars else tuple(bar_geometry(bars, axis, layout) for layout in LAYOUTS)
    return Chart(name, "bars", title, description, headers, rows, drawings, empty)


def column_chart(name, title, description, headers, columns, axis, empty=""):
    rows = tuple((column.label, column.value_text) for column in columns)
    drawings = (
        () if empty or not columns else tuple(column_geometry(columns, axis, layout) for layout in LAYOUTS)
    )
    return Chart(name, "columns", title, description, headers, rows, drawings, empty)


def round_label(name, method_version):
    """A round's name in a chart, saying so when its figures used an earlier method."""
    if method_version == METHOD_VERSION:
        return name
    return _("%(name)s (method %(version)s)") % {"name": name, "version": method_version}


NOTHING_APPROVED = gettext_lazy("No progress has been approved for this plan yet.")
NOTHING_APPROVED_THEN = gettext_lazy("No progress had been approved for this plan by this round.")


NO_DELIVERABLES = gettext_lazy("This plan has no deliverables recorded yet.")


def nothing_approved(progress):
    """The sentence shown instead of a chart of a plan with nothing to draw, or ""."""
    figure = progress.figure
    if not any(figure.counts.values()):
        return str(NO_DELIVERABLES)
    if figure.counts[NO_DATA] < sum(figure.counts.values()) - figure.counts["dropped"]:
        return ""
    return str(NOTHING_APPROVED_THEN if progress.as_of_round else NOTHING_APPROVED)


def goals_chart(data, progress):
    label, term = data.plan.goal_label, data.plan.goal_term  # in the plan's own words
    bars = [
        Bar(f"{label} {goal.number}", progress.goals[goal.pk].percent, delivered(progress.goals[goal.pk]))
        for goal in data.goals
    ]
    empty = (
        nothing_approved(progress)
        if bars
        else _("This plan has no %(terms)s recorded yet.") % {"terms": f"{term}s"}
    )
    return bar_chart(
        "goals",
        _("Progress per %(term)s") % {"term": term},
        _("Percent delivered of each %(term)s, from 0 to 100 %%.") % {"term": term},
        (label, _("Percent delivered")),
        bars,
        PERCENT_AXIS,
        empty,
    )


def status_chart(data, progress):
    counts = progress.figure.counts
    bars = [Bar(STATUS_LABELS[name], counts[name], str(counts[name]), STATUS_FILLS[name]) for name in COUNTED]
    total = sum(counts.values())
    empty = nothing_approved(progress)
    return bar_chart(
        "status",
        _("Deliverables by status"),
        ngettext(
            "How many of the plan's %(total)s deliverable are in each status.",
            "How many of the plan's %(total)s deliverables are in each status.",
            total,
        )
        % {"total": total},
        (_("Status"), _("Deliverables")),
        bars,
        count_axis(max(counts.values()), _("Deliverables")),
        empty,
    )


def history_chart(data, progress):
    """The whole plan's percent delivered at each published round up to the one shown, and now."""
    columns = []
    shown = data.published_rounds
    if progress.as_of_round is not None:
        keys = [published.pk for published in shown]
        shown = shown[: keys.index(progress.as_of_round.pk) + 1]
    for published in shown:
        then = progress_as_of(data, published)
        # The day it was closed when recorded (a round may close before its planned date): a
        # future date never reads as past.
        closed = (
            timezone.localtime(published.closed_at).date() if published.closed_at else published.closes_on
        )
        columns.append(
            Bar(
                f"{round_label(published.name, then.method_version)} ({round_dates(published)})",
                then.figure.percent,
                delivered(then.figure),
                lines=(MONTHS[closed.month - 1], str(closed.year)),
            )
        )
    if progress.as_of_round is None:
        columns.append(Bar(_("Latest approved progress"), progress.figure.percent, delivered(progress.figure),
                           lines=(_("Latest"),)))  # fmt: skip
    if nothing_approved(progress) == str(NO_DELIVERABLES):
        empty = str(NO_DELIVERABLES)
    elif not data.published_rounds:
        empty = _("No reporting round has been published for this plan yet.")
    elif all(column.value in (0, None) for column in columns) and nothing_approved(progress):
        empty = nothing_approved(progress)
    else:
        empty = ""
    if progress.as_of_round is None:
        description = _(
            "Percent delivered of the whole plan as it stood when each published reporting round closed, "
            "and with the latest approved progress."
        )
    else:
        description = _(
            "Percent delivered of the whole plan as it stood when each published reporting round closed."
        )
    return column_chart(
        "history",
        _("Whole-plan progress over reporting rounds"),
        description,
        (_("Reporting round"), _("Percent delivered")),
        columns,
        PERCENT_AXIS,
        empty,
    )


# The charts of a plan's overview, by the name in their download address.
PLAN_CHARTS = {"goals": goals_chart, "status": status_chart, "history": history_chart}


def plan_charts(data, progress):
    return {name: draw(data, progress) for name, draw in PLAN_CHARTS.items()}


# The member-state map (the scorecard): outlines built by ``manage.py build_map`` from Natural
# Earth (see goals/data/map/README.md), shaded by each state's share of deliverables done.
MAP_FILE = Path(__file__).resolve().parent / "data" / "map" / "asean.json"
# A sequential blue scale (ColorBrewer "Blues"), one hue, so it reads the same to colour-blind
# eyes; every shape also has a dark outline, so the palest stands out from the page.
SHARE_CLASSES = (  # (lowest share in the class, fill, its key)
    (80, "#08519c", gettext_lazy("80 to 100 %")),
    (60, "#3182bd", gettext_lazy("60 to 79.9 %")),
    (40, "#6baed6", gettext_lazy("40 to 59.9 %")),
    (20, "#bdd7e7", gettext_lazy("20 to 39.9 %")),
    (0, "#eff3ff", gettext_lazy("0 to 19.9 %")),
)
# A state with no share is hatched, unlike any shade of the scale.
NO_SHARE = ("url(#map-no-share)", gettext_lazy("No share: nothing expected of it in this plan"))
SMALL_STATE = 200  # in square viewBox units: a state this small also gets a marker
MARKER_RADIUS = 11


@cache
def map_outlines():
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def share_fill(share):
    if share is None:
        return NO_SHARE[0]
    return next(fill for lowest, fill, _ in SHARE_CLASSES if share >= lowest)


def state_map(scores):
    """Each state's outline, fill and words, and the key to the colours; None when no state is
    expected to do anything (nothing to show)."""
    if not any(score.share is not None for score in scores):
        return None
    outlines = map_outlines()
    shapes, used = [], set()
    for score in scores:
        outline = outlines["states"].get(score.state.iso_code)
        if outline is None:
            continue  # a state without geometry is still in the table
        fill = share_fill(score.share)
        used.add(fill)
        small = outline["area"] < SMALL_STATE
        shapes.append(
            {
                "score": score,
                "path": outline["path"],
                "fill": fill,
                "marker": {"x": outline["centre"][0], "y": outline["centre"][1], "r": MARKER_RADIUS}
                if small
                else None,
            }
        )
    key = [{"fill": fill, "text": str(text), "short": str(text)} for _lowest, fill, text in SHARE_CLASSES]
    if NO_SHARE[0] in used:
        key.append({"fill": NO_SHARE[0], "text": str(NO_SHARE[1]), "short": _("No share")})
    return {
        "width": outlines["width"],
        "height": outlines["height"],
        "shapes": shapes,
        "key": key,
        "ink": INK,
        "muted": MUTED,
        "paper": PAPER,
        "font": WIDE.font,
        "font_family": FONT_FAMILY,
    }


def standalone_map_frame(drawing, heading, source):
    """Room around the map served as a file of its own: its heading above, its key in the empty
    sea at the top right, its source below."""
    font = drawing["font"]
    top = font * 2 + 14
    longest = max(text_width(entry["short"], font) for entry in drawing["key"])
    key_x = round(drawing["width"] - longest - 16 - 8 - 4)
    return {
        "top": top,
        "heading": fit_text(heading, drawing["width"], font + 2),
        "title_y": font + 10,
        "key_x": key_x,
        "key_text_x": key_x + 16 + 8,
        "key_title_y": font + 4,
        "key": [
            {**entry, "y": font + 14 + n * 24, "baseline": round(font + 14 + n * 24 + 8 + 0.35 * font, 1)}
            for n, entry in enumerate(drawing["key"])
        ],
        "source": fit_text(source, drawing["width"], font),
        "source_y": drawing["height"] + top + font + 4,
        "height": drawing["height"] + top + font + 16,
    }


# Indicators: a line over time, with the baseline and the target marked -----------------------

MARK_COLOURS = {"baseline": MUTED, "target": "#1b6b2f"}


def indicator_axis(one):
    """The value axis of an indicator's chart: 0-100 % for a percent, No/Yes for a single yes-or-no,
    else a count axis up to the largest value, baseline or target."""
    indicator = one.indicator
    if indicator.kind == "percent":
        return Axis(100, (0, 25, 50, 75, 100), _("Percent"), "%")
    if indicator.kind == "yes_no" and not indicator.per_member_state:
        return Axis(1, (0, 1), _("No (0) or yes (1)"))
    values = [p.value for p in one.points] + [m.value for m in (one.baseline, *one.targets) if m is not None]
    largest = max((v for v in values if v is not None), default=1)
    return count_axis(-(-largest // 1), (indicator.unit or _("Value")).capitalize())


def line_geometry(one, axis, layout):
    """The series as a line with its points, the baseline and the target as labelled dashed
    lines across the plot, and the years along the bottom."""
    font = layout.font
    points = one.points
    marks = [("baseline", one.baseline)] if one.baseline is not None else []
    marks += [("target", target) for target in one.targets]
    first = min([p.date for p in points] + [m.date for _, m in marks if m.date])
    last = max([p.date for p in points] + [m.date for _, m in marks if m.date])
    span = max((last - first).days, 1)
    tick_room = max(text_width(axis.text(v), font) for v in axis.ticks)
    left = tick_room + 10
    right = layout.width - 4 - text_width(str(last.year), font) / 2  # room for the last year's label
    title_y = font + 2
    top = title_y + font + GAP * 2
    height = layout.plot_height
    bottom = top + height

    def x_of(date):
        return round(left + (right - left) * (date - first).days / span, 1)

    def y_of(value):
        return round(bottom - height * float(value) / axis.top, 1)

    drawn = [{"point": p, "x": x_of(p.date), "y": y_of(p.value)} for p in points]
    lines = []
    for kind, mark in marks:
        value = f"{mark.value.normalize():f}"
        if kind == "baseline":
            label = _("Baseline: %(value)s") % {"value": value}
        else:
            label = _("Target: %(value)s") % {"value": value}
        if mark.date:
            label += f" ({mark.date.year})"
        lines.append({"kind": kind, "y": y_of(mark.value), "label": label, "colour": MARK_COLOURS[kind]})
    # A mark's label sits above its line at the right; when two would touch, the second goes below.
    for one_line, other in pairwise(lines):
        if abs(one_line["y"] - other["y"]) < font + GAP:
            other["below"] = True
    for line in lines:
        line["label_y"] = round(line["y"] + font + 2 if line.get("below") else line["y"] - 4, 1)
    years = list(range(first.year, last.year + 1))
    room = max(text_width(str(year), font) for year in years) + GAP * 2
    every = 1
    while (right - left) / max(len(years), 1) * every < room:
        every += 1
    # A computed series holds each year's value at its end: its years are marked there, under
    # their points; other values are placed on a calendar whose years start at their ticks.
    at_end = one.indicator.is_computed
    year_ticks = [
        {
            "text": str(year),
            "x": x_of(
                min(last, datetime.date(year, 12, 31)) if at_end else max(first, datetime.date(year, 1, 1))
            ),
        }
        for position, year in enumerate(years)
        if (len(years) - 1 - position) % every == 0
    ]
    return {
        "layout": layout,
        "palette": PALETTE,
        "font_family": FONT_FAMILY,
        "width": layout.width,
        "height": round(bottom + font + 14),
        "font": font,
        "left": round(left, 1),
        "right": round(right, 1),
        "top": round(top, 1),
        "bottom": round(bottom, 1),
        "points": drawn,
        "path": " ".join(f"{p['x']},{p['y']}" for p in drawn),
        "marks": lines,
        "ticks": [{"value": v, "at": y_of(v), "text": axis.text(v)} for v in axis.ticks],
        "tick_x": round(left - 8, 1),
        "years": year_ticks,
        "years_y": round(bottom + font + 4, 1),
        "axis_title": axis.title,
        "axis_title_y": title_y,
        "accent": ACCENT,
    }


def indicator_chart(one, value_text=None):
    """An indicator's chart: its values over time, with the baseline and target marked."""
    indicator = one.indicator
    describe = value_text or (lambda value: f"{value}")
    rows = tuple((point.label, describe(point.value)) for point in one.points)
    target = one.target
    count = len(one.points)
    # Clauses of a list, each a phrase of its own, joined by semicolons.
    clauses = [
        ngettext("%(name)s, %(count)s value", "%(name)s, %(count)s values", count)
        % {"name": indicator.name, "count": count}
    ]
    if one.points:
        latest = one.points[-1]
        clauses.append(
            _("the latest %(value)s (%(when)s)") % {"value": describe(latest.value), "when": latest.label}
        )
    if one.baseline is not None:
        clauses.append(_("baseline %(value)s") % {"value": describe(one.baseline.value)})
    if target is not None:
        clauses.append(
            _("target %(value)s by %(year)s") % {"value": describe(target.value), "year": target.date.year}
        )
    description = "; ".join(clauses) + "."
    empty = ""
    if not one.points:
        empty = (
            _("No value had been approved by this round.")
            if one.as_of is not None
            else _("No value has been approved yet.")
        )
    axis = indicator_axis(one)
    drawings = () if empty else tuple(line_geometry(one, axis, layout) for layout in LAYOUTS)
    headers = (
        _("Year") if indicator.is_computed else _("Value of"),
        (indicator.unit or _("Value")).capitalize(),
    )
    return Chart(indicator.slug, "line", indicator.name, description, headers, rows, drawings, empty)
