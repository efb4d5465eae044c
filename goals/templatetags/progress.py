"""How figures read on the public pages: one place for the wording of percents, statuses,
schedule assessments, dates known only to the month or year, reporting rounds' dates and where a
plan stands in time."""

import datetime
from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from goals.evidence import serving
from goals.indicators import value_text
from goals.models import last_day_of
from goals.progress import COUNTED, METHOD_VERSION, NO_DATA, STATUS_LABELS, Schedule

register = template.Library()

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def in_reference_language():
    """Whether the page is in English, the reference, whose dates and numbers are written out
    here directly (they run for every row of every table); other languages go through their
    format modules (tracker/core/formats/<language>/formats.py)."""
    return get_language() in (None, settings.LANGUAGE_CODE)


def decimal(value):
    """A number to one decimal, without a trailing ".0", in the page's language: 66.7, 75; 66,7
    in Bahasa Indonesia and Vietnamese."""
    text = f"{value:.1f}".removesuffix(".0")
    if in_reference_language():
        return text
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR"))


@register.filter
def percent(value):
    """66.7 → "66.7 %", 75.0 → "75 %", None → "No data". A no-break space keeps the sign with
    its number."""
    if value is None:
        return _("No data")
    return f"{decimal(Decimal(value))}\u00a0%"


@register.filter
def points(change):
    """A change in percentage points: "+12.5 points", "−3 points", "no change"; "–" when there
    is none to give (dropped, or not yet part of the plan at one of the rounds)."""
    if change is None:
        return "–"
    if change == 0:
        return _("no change")
    sign = "+" if change > 0 else "\u2212"
    number = f"{sign}{decimal(abs(change))}"
    if abs(change) == 1:
        return _("%(number)s point") % {"number": number}
    return _("%(number)s points") % {"number": number}


@register.filter
def score(value):
    """A data-quality score or part out of 100: "72.5", "100"; "not measured" when there is
    nothing to measure."""
    if value is None:
        return _("not measured")
    return decimal(Decimal(value))


@register.filter
def delivered(figure):
    """The percent delivered a figure shows; or why it has none: dropped, or added after the
    round whose figures are shown."""
    if figure.included:
        return percent(figure.percent)
    return _("Added after this round") if figure.added_later else _("Dropped")


def day(value):
    """A date as "31 Dec 2025" (in the page's language: "31 Des 2025", "31/12/2025")."""
    if in_reference_language():
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def duration(days):
    """How long, in the largest units that say it plainly: "12 days", "11 months", "2 years 3 months"."""
    if days is None:
        return ""
    if days < 61:
        return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    months = round(days / 30.4375)
    years, months = divmod(months, 12)
    in_years = ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    in_months = ngettext("%(count)s month", "%(count)s months", months) % {"count": months}
    if years and months:
        return _("%(years)s %(months)s") % {"years": in_years, "months": in_months}
    return in_years if years else in_months


@register.simple_tag
def coverage(figure):
    """The coverage line beside a figure: how much of what it covers has approved progress."""
    if not figure.included:
        return _("Left out: %(note)s") % {"note": note(figure)}
    if figure.expected_states is not None:
        numbers = {
            "reporting": figure.reporting_states,
            "expected": figure.expected_states,
            "done": figure.states_done,
        }
        if figure.states_done is not None:
            return (
                _(
                    "%(reporting)s of %(expected)s member states have approved progress; "
                    "%(done)s have completed it"
                )
                % numbers
            )
        return _("%(reporting)s of %(expected)s member states have approved progress") % numbers
    if not figure.children and sum(figure.counts.values()) == 1:  # a deliverable
        if figure.status == NO_DATA:  # figures frozen by method 1 left it out instead
            if figure.percent is not None:
                return _("No approved progress yet: counted as 0 %% delivered") % {}
            return _("No approved progress yet")
        return _("Approved progress recorded")
    if not figure.total and not figure.counts["dropped"]:
        return capfirst(note(figure) or _("no deliverables recorded"))
    numbers = {"reported": figure.reported, "total": figure.total, "dropped": figure.counts["dropped"]}
    if dropped := figure.counts["dropped"]:
        return (
            ngettext(
                "%(reported)s of %(total)s deliverables have approved progress; "
                "%(dropped)s dropped is left out",
                "%(reported)s of %(total)s deliverables have approved progress; "
                "%(dropped)s dropped are left out",
                dropped,
            )
            % numbers
        )
    return _("%(reported)s of %(total)s deliverables have approved progress") % numbers


def note(figure):
    """Why a figure counts as it does, in the page's language (``Figure.note`` is kept in
    English, as the figures are shared by every language and frozen into snapshots)."""
    return _(figure.note) if figure.note else ""


@register.filter(name="note")
def note_filter(figure):
    """``{{ figure|note }}``: ``note`` for templates."""
    return note(figure)


@register.filter
def states_done(figure):
    """ "9 of 11 states done" under a state-by-state deliverable's percent, when known."""
    if not figure.included or figure.expected_states is None or figure.states_done is None:
        return ""
    return _("%(done)s of %(expected)s states done") % {
        "done": figure.states_done,
        "expected": figure.expected_states,
    }


@register.simple_tag
def schedule(figure, progress):
    """The schedule assessment in words, with what it compares or how long it is overdue."""
    label = format_html(
        '<span class="schedule schedule-{}">{}</span>', figure.schedule, figure.schedule_label
    )
    if figure.schedule == Schedule.OVERDUE:
        return format_html(
            _("{label} by {duration} (planned end {end})"),
            label=label,
            duration=duration(figure.overdue_days),
            end=day(figure.planned_end),
        )
    if figure.schedule in (Schedule.ON_TRACK, Schedule.AT_RISK, Schedule.OFF_TRACK):
        return format_html(
            _("{label} (expected by {day}: {percent})"),
            label=label,
            day=day(progress.on),
            percent=percent(figure.expected),
        )
    return label


@register.simple_tag
def at_plan_end(figure, progress):
    """Once a plan's period is over: what had been delivered by its end."""
    if figure.at_plan_end is None:
        return ""
    return _("Plan ended %(day)s: %(percent)s delivered by then") % {
        "day": day(progress.plan_end),
        "percent": percent(figure.at_plan_end),
    }


@register.filter
def counted(figure):
    """Whether and how a part counts in its parent's mean, for the "why this number" tables."""
    if not figure.included:
        return _("No: %(note)s") % {"note": note(figure)}
    if figure.status == NO_DATA:
        if figure.percent is None:  # frozen by method 1, which left parts without data out
            return _("No: %(note)s") % {"note": note(figure) or _("no approved progress")}
        if figure.note:
            return _("Yes, as 0 %%: %(note)s") % {"note": note(figure)}
        return _("Yes, as 0 %%") % {}
    return _("Yes")


@register.simple_tag
def method_note(progress):
    """Says so when figures were frozen with an earlier version of the method."""
    if progress.method_version == METHOD_VERSION:
        return ""
    text = _(
        "These figures were published with version %(version)s of the progress method, before "
        "unreported work counted as 0 %% delivered; "
        '<a href="%(address)s">see what changed</a>.'
    ) % {"version": int(progress.method_version), "address": escape(reverse("methodology") + "#versions")}
    return format_html('<p class="note">{}</p>', mark_safe(text))  # the translation's own markup


@register.filter
def status_label(code):
    return STATUS_LABELS.get(code, code)


@register.filter
def schedule_label(code):
    return Schedule.LABELS.get(code, code)


@register.filter
def reported_date(update):
    """An update's date as precisely as its source gives it: "5 Mar 2024", "Mar 2024" or "2024".

    Written out here in English rather than with the ``date`` filter: this runs for every row
    of every timeline and table. Other languages use their format modules.
    """
    on, precision = update.reported_on, update.reported_on_precision
    if precision == "year":
        return str(on.year)
    if precision == "month":
        if in_reference_language():
            return f"{MONTHS[on.month - 1]} {on.year}"
        return dateformat.format(on, formats.get_format("MONTH_YEAR_SHORT_FORMAT"))
    return day(on)


@register.simple_tag
def provisional(record):
    """The "provisional" tag of a record no source confirms, with the note on hover."""
    if not record.provisional:
        return ""
    tag = '<span class="tag tag-provisional" title="{}">{}</span>'
    return format_html(tag, record.provisional_note, _("provisional"))


@register.simple_tag
def as_of_query(as_of):
    """The query string that keeps a link on the reporting round being viewed ("" for today)."""
    return f"?round={as_of.pk}" if as_of is not None and as_of else ""


@register.simple_tag
def counts(figure):
    """The deliverables under a figure by status, as a list: "3 completed", "2 in progress"."""
    items = [(figure.counts[name], STATUS_LABELS[name].lower()) for name in COUNTED if figure.counts[name]]
    if not items:
        return format_html('<ul class="counts"><li>{}</li></ul>', _("nothing recorded"))
    return format_html('<ul class="counts">{}</ul>', format_html_join("", "<li>{} {}</li>", items))


@register.inclusion_tag("includes/why.html", takes_context=True)
def why(context, figure, names, child_kind="part"):
    """The "why this number" disclosure: each child's percent, weight and how it counts; for a
    deliverable with no parts (not tracked per member state), which update its percent is."""
    rows = [(names.get(child.key, child.key), child) for child in figure.children]
    is_deliverable = not figure.children and sum(figure.counts.values()) == 1
    return {
        "figure": figure,
        "rows": rows,
        "child_kind": child_kind,
        "is_deliverable": is_deliverable,
        "as_of": context.get("as_of"),
    }


@register.simple_tag
def filter_fields(form):
    """The explorer's filter fields, each with its label, written out in Python (twelve fields
    on every explorer page); a hidden field (the sort order) only when it holds a value."""
    visible = format_html_join(
        "\n    ",
        '<div class="field field-{}{}">\n      <label for="{}">{}</label>\n      {}\n    </div>',
        (
            (field.name, " field-error" if field.errors else "", field.id_for_label, field.label, field)
            for field in form.visible_fields()
        ),
    )
    hidden = format_html_join(
        "", "{}", ((field,) for field in form.hidden_fields() if field.value() and not field.errors)
    )
    return format_html("{}{}", visible, hidden)


@register.simple_tag
def round_dates(reporting_round, today=None):
    """What happened to a reporting round and when, never a future date in the past tense:
    "opens on 1 Mar 2027", "open for reporting; closes on 15 Dec 2026", "closed on 15 Oct 2025,
    published on 20 Oct 2025". A round closed before its planned closing date says "closed early
    on" the day it was closed; if nothing records that day, "closed (planned to close on …)"."""
    today = today or timezone.localdate()
    state, opens, closes = reporting_round.state, reporting_round.opens_on, reporting_round.closes_on
    if state == "planned":
        if opens > today:
            return _("opens on %(day)s") % {"day": day(opens)}
        return _("not open yet (planned to open on %(day)s)") % {"day": day(opens)}
    if state == "open":
        if closes >= today:
            return _("open for reporting; closes on %(day)s") % {"day": day(closes)}
        return _("still open for reporting (planned to close on %(day)s)") % {"day": day(closes)}
    closed_at = reporting_round.closed_at and timezone.localtime(reporting_round.closed_at).date()
    if closed_at is not None:
        if closed_at < closes:
            text = _("closed early on %(day)s") % {"day": day(closed_at)}
        else:
            text = _("closed on %(day)s") % {"day": day(closed_at)}
    elif closes <= today:
        text = _("closed on %(day)s") % {"day": day(closes)}
    else:
        text = _("closed (planned to close on %(day)s)") % {"day": day(closes)}
    if state == "published":
        snapshot = getattr(reporting_round, "snapshot", None)
        published = snapshot and timezone.localtime(snapshot.taken_at).date()
        if published:
            return _("%(closed)s, published on %(day)s") % {"closed": text, "day": day(published)}
        return _("%(closed)s, published") % {"closed": text}
    return text


@register.simple_tag
def plan_when(plan, today=None):
    """Where a plan stands in time: "current plan", "ended on 31 Dec 2025", "starts on 1 Jan 2031"."""
    today = today or timezone.localdate()
    if plan.period_includes(today):
        return _("current plan")
    if plan.end_year < today.year:
        return _("ended on %(day)s") % {"day": day(last_day_of(plan))}
    return _("starts on %(day)s") % {"day": day(datetime.date(plan.start_year, 1, 1))}


NUMBER_WORDS = (
    pgettext_lazy("a count in running text", "no"),
    pgettext_lazy("a count in running text", "one"),
    pgettext_lazy("a count in running text", "two"),
    pgettext_lazy("a count in running text", "three"),
    pgettext_lazy("a count in running text", "four"),
    pgettext_lazy("a count in running text", "five"),
    pgettext_lazy("a count in running text", "six"),
    pgettext_lazy("a count in running text", "seven"),
    pgettext_lazy("a count in running text", "eight"),
    pgettext_lazy("a count in running text", "nine"),
)


@register.filter
def in_words(number):
    """Counts up to nine in words, as in running text ("four strategic measures"); 10 and more
    in figures."""
    return str(NUMBER_WORDS[number]) if 0 <= number < len(NUMBER_WORDS) else f"{number:,}"


def counted_as(number, singular, plural=None):
    """A count of a plan's own term ("four strategic goals"): the term is the plan's data, in English."""
    return f"{in_words(number)} {singular if number == 1 else plural or singular + 's'}"


@register.simple_tag
def plan_parts(plan, counts):
    """How many goals, initiatives and deliverables of a plan are recorded, from the data; when
    the plan's own text sets out more goals than are recorded, says so, as provisional."""
    goals, stated = counts["goals"], plan.stated_goal_count
    if stated and stated > goals:
        gap = _("The plan sets out %(stated)s; the sources consulted give %(goals)s.") % {
            "stated": in_words(stated),
            "goals": in_words(goals),
        }
        tag = format_html('<span class="tag tag-provisional" title="{}">{}</span>', gap, _("provisional"))
        goal_text = format_html(
            _("{goals} of the {stated} {terms} the plan sets out {tag}"),
            goals=in_words(goals),
            stated=in_words(stated),
            terms=plan.goal_term_plural,
            tag=tag,
        )
    else:
        goal_text = counted_as(goals, plan.goal_term)
    count = counts["initiatives"]
    initiatives = ngettext("%(count)s initiative", "%(count)s initiatives", count) % {
        "count": in_words(count)
    }
    count = counts["deliverables"]
    if count:
        deliverables = ngettext("%(count)s deliverable", "%(count)s deliverables", count) % {
            "count": in_words(count)
        }
    else:
        deliverables = _("no deliverables yet")
    return format_html(
        _("Recorded here: {goals}, {initiatives} and {deliverables}."),
        goals=goal_text,
        initiatives=initiatives,
        deliverables=deliverables,
    )


@register.filter
def years(record):
    """A record's years (``start_year``, ``end_year``) in words, or "" when neither is known:
    "2018–2020", "2019", "Since 2000" (still running, or its end is not recorded), "Until 2017"."""
    start, end = getattr(record, "start_year", None), getattr(record, "end_year", None)
    if start and end:
        return str(start) if start == end else f"{start}\u2013{end}"
    if start:
        return _("Since %(year)s") % {"year": start}
    if end:
        return _("Until %(year)s") % {"year": end}
    return ""


@register.filter
def row_note(record):
    """What a responsibility's note or an involvement's years and description say, in one line:
    "2018–2020: Drafting support" (empty when there is nothing to say)."""
    when = years(record)
    about = getattr(record, "note", "") or getattr(record, "description", "")
    return f"{when}: {about}" if when and about else when or about


@register.filter
def evidence_type(file):
    """What an evidence file is, for the link to it: "PDF", "image", "Word", "CSV"."""
    return serving(getattr(file, "name", file) or "").label


@register.simple_tag
def indicator_value(indicator, value, regional=True):
    """An indicator's value in words ("9 member states", "45 %", "Yes"): ``goals.indicators``."""
    return value_text(indicator, value, regional)
