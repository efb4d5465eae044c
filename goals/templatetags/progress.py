"""How figures read on the public pages: one place for the wording of percents, statuses,
schedule assessments and dates known only to the month or year."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from goals.models import ProgressUpdate
from goals.progress import COUNTED, Schedule

register = template.Library()

STATUS_LABELS = {**dict(ProgressUpdate.Status.choices), "no_data": "No data"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
    """An update's date as precisely as its source gives it: "5 Mar 2024", "Mar 2024" or "2024".

    Written out here rather than with the ``date`` filter: the site is in English only, and
    this runs for every row of every timeline and table.
    """
    day, precision = update.reported_on, update.reported_on_precision
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@register.simple_tag
def provisional(record):
    """The "provisional" tag of a record no source confirms, with the note on hover."""
    if not record.provisional:
        return ""
    tag = '<span class="tag tag-provisional" title="{}">provisional</span>'
    return format_html(tag, record.provisional_note)


@register.simple_tag
def counts(figure):
    """The deliverables under a figure by status, as a list: "3 completed", "2 in progress"."""
    items = [(figure.counts[name], STATUS_LABELS[name].lower()) for name in COUNTED if figure.counts[name]]
    if not items:
        return mark_safe('<ul class="counts"><li>nothing recorded</li></ul>')
    return format_html('<ul class="counts">{}</ul>', format_html_join("", "<li>{} {}</li>", items))


@register.inclusion_tag("includes/why.html")
def why(figure, names, child_kind="part"):
    """The "why this number" disclosure: each child's percent, weight and why any was left out."""
    rows = [(names.get(child.key, child.key), child) for child in figure.children]
    return {"figure": figure, "rows": rows, "child_kind": child_kind}
