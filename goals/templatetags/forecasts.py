"""How completion forecasts read on the public pages (the method is ``goals.forecast``)."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    return ngettext(
        "%(pace)s percentage point a year", "%(pace)s percentage points a year", 1 if text == "1" else 2
    ) % {"pace": text}


def say(message, **values):
    """A translated sentence (trusted, from the catalog) with its values escaped into it."""
    return mark_safe(message % {name: conditional_escape(value) for name, value in values.items()})


@register.simple_tag
def forecast_outlook(forecast):
    """The forecast in one sentence: its status, then its date and range, or why it has none."""
    label = format_html('<span class="forecast forecast-{}">{}</span>', forecast.status, forecast.label)
    if forecast.status in (Outlook.COMPLETED, Outlook.DROPPED):
        return label
    if forecast.status == Outlook.NOT_ENOUGH_DATA:
        return say(
            _("%(label)s: it needs approved progress on two dates at least six months apart"), label=label
        )
    if forecast.status == Outlook.NO_PACE:
        return say(
            _("%(label)s: its approved progress has not risen since %(day)s"),
            label=label,
            day=day(forecast.first.on),
        )
    if forecast.projected is None:  # the plan has ended, and no pace to project
        return say(
            _("%(label)s (%(day)s); no pace to project a date from"), label=label, day=day(forecast.deadline)
        )
    if forecast.status == Outlook.PLAN_ENDED:
        label = format_html("{} ({})", label, day(forecast.deadline))
    projected = day(forecast.projected)
    if forecast.days_after_deadline:
        text = say(
            _("%(label)s: at this pace it would reach 100 %% on %(day)s, %(late)s after the plan's end"),
            label=label,
            day=projected,
            late=duration(forecast.days_after_deadline),
        )
    else:
        text = say(_("%(label)s: at this pace it would reach 100 %% on %(day)s"), label=label, day=projected)
    if forecast.passed:
        text = say(_("%(forecast)s (a date already past, with no completion approved)"), forecast=text)
    return format_html("{}; {}", text, date_range(forecast))


def date_range(forecast):
    if forecast.earliest == forecast.projected and forecast.latest == forecast.projected:
        return _("the same at every pace it has kept")
    if forecast.latest is None:
        return say(_("range from %(earliest)s to no date at all"), earliest=day(forecast.earliest))
    return say(
        _("range %(earliest)s to %(latest)s"), earliest=day(forecast.earliest), latest=day(forecast.latest)
    )


@register.simple_tag
def pace_needed(forecast):
    """The pace needed to finish by the plan's end, beside the pace kept."""
    if forecast.pace_needed is None or forecast.needed_from is None:
        return ""
    if forecast.plan_ended:
        values = {
            "deadline": day(forecast.deadline),
            "percent": decimal(forecast.first.percent) + "\u00a0%",
            "since": day(forecast.needed_from),
            "needed": pace(forecast.pace_needed),
        }
        if forecast.pace is None:
            return say(
                _(
                    "To finish by the plan's end (%(deadline)s) from %(percent)s on %(since)s, "
                    "it needed %(needed)s"
                ),
                **values,
            )
        return say(
            _(
                "To finish by the plan's end (%(deadline)s) from %(percent)s on %(since)s, "
                "it needed %(needed)s; its pace so far: %(kept)s"
            ),
            kept=pace(forecast.pace),
            **values,
        )
    values = {
        "needed": pace(forecast.pace_needed),
        "since": day(forecast.needed_from),
        "deadline": day(forecast.deadline),
    }
    if forecast.pace is None:
        return say(_("%(needed)s from %(since)s to finish by the plan's end (%(deadline)s)"), **values)
    return say(
        _("%(needed)s from %(since)s to finish by the plan's end (%(deadline)s); its pace so far: %(kept)s"),
        kept=pace(forecast.pace),
        **values,
    )
