"""The site's search page, ``/search/?q=``: goals, initiatives, deliverables, progress updates
(approved only), responsible bodies, partners and cooperation programmes, grouped by kind with
their counts. Each kind shows its first few matches, with a link to all of them (a page of their
own, and the explorer where the kind has one, by plan, with the same text search).

It brings two apps together, so it lives here; what matches is each app's to say
(``goals.selectors.search``, ``partners.selectors.search``, both on ``tracker.core.textsearch``).
"""

from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals import selectors as goals_selectors
from goals.templatetags.progress import reported_date, status_label
from partners import selectors as partners_selectors
from tracker.core.badquery import BadQuery, page_of
from tracker.core.textsearch import MAX_LENGTH

SHOWN_PER_KIND = 5  # on the page of every kind
PAGE_SIZE = 25  # on the page of one kind
EXCERPT_WORDS = 30


class Kind(NamedTuple):
    name: str  # as in ?kind=
    heading: str  # translated when shown (gettext_lazy)
    singular: str
    explorer: str = ""  # the URL name of the explorer that lists this kind, if any
    plan_path: str = ""  # from the record to its plan, for the explorer's links


KINDS = [
    Kind("goals", gettext_lazy("Strategic goals"), gettext_lazy("strategic goal")),
    Kind(
        "initiatives",
        gettext_lazy("Initiatives"),
        gettext_lazy("initiative"),
        "explore-initiatives",
        "plan",
    ),
    Kind(
        "deliverables",
        gettext_lazy("Deliverables"),
        gettext_lazy("deliverable"),
        "explore-deliverables",
        "initiative__plan",
    ),
    Kind(
        "updates",
        gettext_lazy("Progress updates"),
        gettext_lazy("progress update"),
        "explore-updates",
        "deliverable__initiative__plan",
    ),
    Kind("bodies", gettext_lazy("Responsible bodies"), gettext_lazy("responsible body")),
    Kind("partners", gettext_lazy("Development partners"), gettext_lazy("development partner")),
    Kind("programmes", gettext_lazy("Cooperation programmes"), gettext_lazy("cooperation programme")),
]
KIND_NAMES = {kind.name: kind for kind in KINDS}


class Result(NamedTuple):
    """One match, as the page lists it."""

    title: str
    url: str
    meta: str  # where it belongs: its plan, its partner, its kind
    excerpt: str


def excerpt(text):
    return Truncator(text).words(EXCERPT_WORDS)


def as_result(kind, record):
    """How a match reads: its title, address, where it belongs and the start of its text."""
    if kind == "goals":
        label = record.plan.goal_label  # in the plan's own words: "Strategic measure 1"
        title, meta, text = f"{label} {record.number}: {record.title}", record.plan.title, record.description
    elif kind == "initiatives":
        title = _("Initiative %(number)s: %(title)s") % {"number": record.number, "title": record.title}
        meta = record.plan.title
        text = record.description
    elif kind == "deliverables":
        initiative = record.initiative
        title, meta = (
            f"{record.code} {record.title}",
            _("%(plan)s, initiative %(number)s")
            % {"plan": initiative.plan.title, "number": initiative.number},
        )
        text = record.description
    elif kind == "updates":
        deliverable = record.deliverable
        title = f"{reported_date(record)}: {deliverable.code} {deliverable.title}"
        where = [deliverable.initiative.plan.title, str(status_label(record.status))]
        meta = ", ".join([*where, record.member_state.name] if record.member_state_id else where)
        return Result(title, deliverable.get_absolute_url(), meta, excerpt(record.narrative))
    elif kind == "bodies":
        title, meta, text = str(record), record.get_kind_display(), record.description
    else:  # partners and programmes
        title = f"{record.name} ({record.acronym})" if record.acronym else record.name
        text = record.description
        if kind == "programmes":
            partner = record.partner
            url = f"{partner.get_absolute_url()}#programme-{record.slug}"
            return Result(title, url, _("Run by %(partner)s") % {"partner": partner.name}, excerpt(text))
        meta = record.get_kind_display()
    return Result(title, record.get_absolute_url(), meta, excerpt(text))


class Found(NamedTuple):
    """What one kind has for the query: its first results, how many in all, and the explorer's
    lists of them by plan (plan title, address, count)."""

    kind: Kind
    results: list
    count: int
    explorer_links: list
    all_link: str


def address(**params):
    query = QueryDict(mutable=True)
    query.update({name: value for name, value in params.items() if value})
    return f"?{query.urlencode()}"


class PlanLink(NamedTuple):
    title: str
    href: str
    count: int


def explorer_links(kind, queryset, query):
    """Per plan, newest first, how many match and the explorer's address that lists them with
    the same search: one query."""
    plan = kind.plan_path
    matches = queryset.model._default_manager.filter(pk__in=queryset.order_by().values("pk"))
    counts = (
        matches.values(f"{plan}__slug", f"{plan}__title", f"{plan}__start_year")
        .annotate(found=Count("pk"))
        .order_by(f"-{plan}__start_year")
    )
    explorer = reverse(kind.explorer)
    return [
        PlanLink(
            row[f"{plan}__title"], f"{explorer}{address(plan=row[f'{plan}__slug'], q=query)}", row["found"]
        )
        for row in counts
    ]


def overview(found, query):
    """Each kind's first matches, with its count, in two queries at most per kind."""
    kinds = []
    for kind in KINDS:
        queryset = found[kind.name]
        rows = list(queryset[: SHOWN_PER_KIND + 1])
        links = explorer_links(kind, queryset, query) if kind.explorer and rows else []
        if kind.explorer:
            count = sum(link.count for link in links)
        else:
            count = len(rows) if len(rows) <= SHOWN_PER_KIND else queryset.count()
        results = [as_result(kind.name, row) for row in rows[:SHOWN_PER_KIND]]
        all_link = address(q=query, kind=kind.name) if count > SHOWN_PER_KIND else ""
        kinds.append(Found(kind, results, count, links, all_link))
    return kinds


def one_kind(request, kind, queryset, query):
    """All the matches of one kind, a page at a time."""
    paginator = Paginator(queryset, PAGE_SIZE)
    page = page_of(paginator, request)
    links = explorer_links(kind, queryset, query) if kind.explorer and paginator.count else []
    results = [as_result(kind.name, row) for row in page.object_list]
    return Found(kind, results, paginator.count, links, ""), page


def search(request):
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_LENGTH:
        raise BadQuery(
            _(
                "The search is %(length)s characters long; a search can be at most %(most)s characters. "
                "Try a few words."
            )
            % {"length": len(query), "most": MAX_LENGTH}
        )
    kind_name = request.GET.get("kind", "")
    if kind_name and kind_name not in KIND_NAMES:
        raise BadQuery(
            _("%(kind)s is not a kind of result. The kinds: %(kinds)s.")
            % {"kind": repr(kind_name), "kinds": ", ".join(KIND_NAMES)}
        )
    if "page" in request.GET and not kind_name:
        raise BadQuery(_("A page number needs a kind of result (kind=), for example kind=deliverables."))
    context = {"query": query, "kind": KIND_NAMES.get(kind_name), "kinds": KINDS, "max_length": MAX_LENGTH}
    if query:
        found = {**goals_selectors.search(query), **partners_selectors.search(query)}
        if kind_name:
            one, page = one_kind(request, KIND_NAMES[kind_name], found[kind_name], query)
            context.update(found=[one], page_obj=page, total=one.count, everything=address(q=query))
        else:
            kinds = overview(found, query)
            context.update(found=kinds, total=sum(f.count for f in kinds))
    return render(request, "tracker/search.html", context)
