"""How figures read on the public pages: one place for the wording of percents, statuses,
schedule assessments and dates known only to the month or year."""

from decimal import Decimal

from django import template
from django.utils.dateformat import format as format_date

from goals.models import ProgressUpdate
from goals.progress import COUNTED, Schedule

register = template.Library()

STATUS_LABELS = {**dict(ProgressUpdate.Status.choices), "no_data": "No data"}
DATE_FORMATS = {"day": "j M Y", "month": "M Y", "year": "Y"}


@register.filter
def percent(value):
    """66.7 → "66.7 %", 75.0 → "75 %", None → "No data"."""
    if value is None:
        return "No data"
    value = Decimal(value)
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} %"


@register.filter
def status_label(code):
    return STATUS_LABELS.get(code, code)


@register.filter
def schedule_label(code):
    return Schedule.LABELS.get(code, code)


@register.filter
def reported_date(update):
    """An update's date as precisely as its source gives it."""
    return format_date(update.reported_on, DATE_FORMATS.get(update.reported_on_precision, "j M Y"))


@register.inclusion_tag("includes/counts.html")
def counts(figure):
    return {"items": [(STATUS_LABELS[name], figure.counts[name]) for name in COUNTED if figure.counts[name]]}


@register.inclusion_tag("includes/why.html")
def why(figure, names, child_kind="part"):
    """The "why this number" disclosure: each child's percent, weight and why any was left out."""
    rows = [(names.get(child.key, child.key), child) for child in figure.children]
    return {"figure": figure, "rows": rows, "child_kind": child_kind}
