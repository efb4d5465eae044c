"""How completion forecasts read on the public pages (the method is ``goals.forecast``)."""

from django import template
from django.utils.html import format_html

from goals.forecast import Outlook
from goals.templatetags.progress import day, decimal, duration

register = template.Library()
register.filter("day", day)  # "31 Dec 2025", as the figures write dates


@register.filter
def pace(value):
    """12.5 → "12.5 points a year"; a pace that reads the same at one decimal keeps it."""
    if value is None:
        return ""
    text = decimal(value)
    return f"{text} percentage point{'' if text == '1' else 's'} a year"


@register.simple_tag
def forecast_outlook(forecast):
    """The forecast in one sentence: its status, then its date and range, or why it has none."""
    label = format_html('<span class="forecast forecast-{}">{}</span>', forecast.status, forecast.label)
    if forecast.status in (Outlook.COMPLETED, Outlook.DROPPED):
        return label
    if forecast.status == Outlook.NOT_ENOUGH_DATA:
        return format_html("{}: it needs approved progress on two dates at least six months apart", label)
    if forecast.status == Outlook.NO_PACE:
        return format_html("{}: its approved progress has not risen since {}", label, day(forecast.first.on))
    if forecast.projected is None:  # the plan has ended, and no pace to project
        return format_html("{} ({}); no pace to project a date from", label, day(forecast.deadline))
    when = format_html("at this pace it would reach 100\u00a0% on {}", day(forecast.projected))
    if forecast.days_after_deadline:
        when = format_html("{}, {} after the plan's end", when, duration(forecast.days_after_deadline))
    if forecast.status == Outlook.PLAN_ENDED:
        label = format_html("{} ({})", label, day(forecast.deadline))
    text = format_html("{}: {}", label, when)
    if forecast.passed:
        text = format_html("{} (a date already past, with no completion approved)", text)
    return format_html("{}; {}", text, date_range(forecast))


def date_range(forecast):
    if forecast.earliest == forecast.projected and forecast.latest == forecast.projected:
        return "the same at every pace it has kept"
    if forecast.latest is None:
        return format_html("range from {} to no date at all", day(forecast.earliest))
    return format_html("range {} to {}", day(forecast.earliest), day(forecast.latest))


@register.simple_tag
def pace_needed(forecast):
    """The pace needed to finish by the plan's end, beside the pace kept."""
    if forecast.pace_needed is None or forecast.needed_from is None:
        return ""
    kept = format_html("; its pace so far: {}", pace(forecast.pace)) if forecast.pace is not None else ""
    if forecast.plan_ended:
        return format_html(
            "To finish by the plan's end ({}) from {} on {}, it needed {}{}",
            day(forecast.deadline),
            decimal(forecast.first.percent) + "\u00a0%",
            day(forecast.needed_from),
            pace(forecast.pace_needed),
            kept,
        )
    return format_html(
        "{} from {} to finish by the plan's end ({}){}",
        pace(forecast.pace_needed),
        day(forecast.needed_from),
        day(forecast.deadline),
        kept,
    )
