"""No 500 from any input, swept systematically (no randomness): every public address, found
from the URL resolver, is asked with each of its filter fields set to each valid value, to an
invalid value and to control characters; none may answer a server error. (The hypothesis tests
in test_robustness.py add random combinations on top.)"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from goals.models import ActionPlan, Body, Deliverable, MemberState, ReportingRound
from partners.models import Partner, ProgrammeReport
from tracker.site.models import DatasetRelease

pytestmark = pytest.mark.django_db

NOT_PUBLIC = ("admin/", "evidence/", "healthz", "api/schema")  # staff, files, probes, the schema
INVALID = "no-such-value"
SAFE_DOWNLOAD = re.compile(r'attachment; filename="[A-Za-z0-9._-]+"')
CONTROL = "\x01\x08\x0b\x1b\x7f\u0085\u2028\r\n\t\"';"
COMMON = {  # parameters many pages read besides their filter forms
    "round": lambda: [str(pk) for pk in ReportingRound.objects.published().values_list("pk", flat=True)],
    "plan": lambda: list(ActionPlan.objects.values_list("slug", flat=True)),
    # A few partners: where partner is a page's filter field, its form gives every partner.
    "partner": lambda: list(Partner.objects.order_by("slug").values_list("slug", flat=True)[:3]),
    "format": lambda: ["csv", "json", "html", "api"],
    "page": lambda: ["1", "2", "last"],
    "q": lambda: ["ASEAN"],
}


def routes(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern, route)
        elif isinstance(pattern, URLPattern) and not route.startswith(NOT_PUBLIC):
            yield route.lstrip("^").rstrip("$")


def placeholder_values():
    """Real values for the placeholders of the routes: ({placeholder: value}, {path start: slug})."""
    deliverable = Deliverable.objects.select_related("initiative__plan").get(
        initiative__plan__slug="2016-2025", code="5.1"
    )
    report = ProgrammeReport.objects.select_related("programme__partner").first()
    published = ReportingRound.objects.published().first()
    release = DatasetRelease.objects.first()
    values = {
        "<slug:plan>": "2016-2025", "<int:number>": str(deliverable.initiative.number), "<str:code>": "5.1",
        "<int:year>": str(report.year if report else 2019), "<int:pk>": str(published.pk if published else 1),
        "<slug:name>": "deliverables",
        "<str:version>": release.version if release else "2026.1",
        "<str:file_name>": release.file_name if release else "asean-ipr-tracker-dataset-2026.1.zip",
    }  # fmt: skip
    slugs = {"member-states/": MemberState.objects.first().slug, "bodies/": Body.objects.first().slug,
             "partners/": report.programme.partner.slug if report else "euipo"}  # fmt: skip
    slugs["embed/member-states/"] = slugs["member-states/"]
    slugs["plans/2016-2025/indicators/"] = "member-states-party-to-the-madrid-protocol"
    return values, slugs


def address_of(route, values, slugs):
    """The route with real values in its placeholders."""
    path = route.replace("^", "")
    lookup = re.search(r"\(\?P<(\w+)>[^)]*\)", path)
    if lookup:  # an API record: the first one its list serves
        viewset = resolve("/" + path[: lookup.start()]).func.cls
        record = viewset.queryset.order_by("pk").first()
        path = path.replace(lookup.group(0), str(getattr(record, lookup.group(1))))
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    for start, slug in slugs.items():
        if path.startswith(start):
            path = path.replace("<slug:slug>", slug)
    assert "<" not in path and "(?P" not in path, f"fill in a value for {route}"
    return "/" + path


# Every public route but DRF's format suffix variants of the others: one sweep each, so that the
# test processes share them out.
SWEPT_ROUTES = sorted({route for route in routes() if "format>" not in route})


def addresses():
    """Every public route with real values in its placeholders."""
    values, slugs = placeholder_values()
    return sorted({address_of(route, values, slugs) for route in SWEPT_ROUTES})


def fields_of(path):
    """The filter fields of the view at ``path`` with their valid values (from its filter form),
    and the parameters many pages read besides."""
    match = resolve(path.split("?")[0])
    view = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    fields = {name: values() for name, values in COMMON.items()}
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is not None:
        form = filterset_class(data={}, queryset=filterset_class._meta.model.objects.none()).form
        for name, field in form.fields.items():
            choices = [str(value) for value, _label in getattr(field, "choices", []) if str(value)]
            fields[name] = choices or fields.get(name, ["1"])
    return fields


def test_every_public_address_is_swept():
    assert len(addresses()) >= 30


def sweep(client, path):
    failures, asked = [], 0
    for name, valid in fields_of(path).items():
        for value in [*valid, INVALID, CONTROL, "\x00"]:
            response = client.get(path, {name: value})
            if response.streaming:
                b"".join(response.streaming_content)
            asked += 1
            if response.status_code >= 500:
                failures.append(f"{path}?{name}={value!r}: {response.status_code}")
            for header in ("Content-Disposition", "Content-Type"):
                if any(c in response.get(header, "") for c in "\r\n\x00"):
                    failures.append(f"{path}?{name}={value!r}: control characters in {header}")
            disposition = response.get("Content-Disposition")
            if disposition and not SAFE_DOWNLOAD.fullmatch(disposition):  # the requester names no file
                failures.append(f"{path}?{name}={value!r}: {disposition!r}")
    return failures, asked


@pytest.mark.parametrize("route", SWEPT_ROUTES)
def test_no_filter_value_gives_a_server_error(client, route):
    client.raise_request_exception = False
    failures, asked = sweep(client, address_of(route, *placeholder_values()))
    assert asked >= len(COMMON) * 3
    assert failures == [], "\n".join(failures[:50])
