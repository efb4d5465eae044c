"""No write without the right to write: every admin address that accepts POST, found from the
URL resolver (not a hand-kept list), is posted to by every role with the form a secretariat
would send, workflow fields and all, and the database must then differ only where the role may
write: its model, its scope, never a workflow field through a form, never through a revert.

What each role may write is written out here, from the role descriptions, independently of
``tracker.core.access``: a viewer nothing; a focal point progress updates on deliverables its bodies
are responsible for, on state-by-state ones its own states' rows (every state's row where its
body has no member state); a partner reporter its own partner's records; the secretariat
everything but superuser accounts and rights.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import URLResolver
from django.utils import timezone

from goals.models import (
    Deliverable,
    Indicator,
    IndicatorValue,
    MemberState,
    ProgressUpdate,
    ReportingRound,
    Responsibility,
)
from partners.models import ContactPoint, CooperationProgramme, Partner
from tracker.site.models import DatasetRelease

pytestmark = pytest.mark.django_db

User = get_user_model()
ROLES = ["secretariat", "ph", "aspec", "both", "euipo", "viewer"]
NOT_POSTED = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "autocomplete",
    "view_on_site",
}  # fmt: skip  (signing in and out, or reading only)
EDITED = {  # a text field each form may change, to see whether the change went through
    "actionplan": "title", "strategicgoal": "title", "initiative": "title", "deliverable": "title",
    "memberstate": "name", "body": "description", "responsibility": "note", "reportinground": "name",
    "progressupdate": "narrative", "partner": "description", "involvement": "description",
    "cooperationprogramme": "description", "programmereport": "summary", "contactpoint": "name",
    "user": "first_name", "lineagelink": "note", "datasetrelease": "doi", "indicator": "name",
    "indicatortarget": "note", "indicatorvalue": "note",
}  # fmt: skip
WORKFLOW = {  # fields only the workflow may change, and what a form would try to set them to
    "progressupdate": {"review_state": "approved"},
    "indicatorvalue": {"review_state": "approved"},
    "reportinground": {"state": "published"},
}


def data_models():
    models = [m for app in ("goals", "partners") for m in apps.get_app_config(app).get_models()
              if not m.__name__.startswith("Historical")]  # fmt: skip
    models += [apps.get_model("tracker", "StaffAccess"), apps.get_model("site", "DatasetRelease"), User]
    throughs = [f.remote_field.through for m in models for f in m._meta.many_to_many]
    return models + throughs


def database():
    """Every row of the data, users and rights: by model, the rows' values in key order."""
    return {
        model: tuple(model.objects.order_by("pk").values_list(*fields_of(model))) for model in data_models()
    }


def fields_of(model):
    return [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]


def rows_of(snapshot):
    """(model, key) -> the row as a dict, for the models of a snapshot."""
    return {
        (model, values[0]): dict(zip(fields_of(model), values, strict=True))
        for model, rows in snapshot.items()
        for values in rows
    }


def changes(before, after):
    changed = [model for model in before if before[model] != after[model]]  # most posts change nothing
    old, new = rows_of({m: before[m] for m in changed}), rows_of({m: after[m] for m in changed})
    for key in old.keys() | new.keys():
        if old.get(key) != new.get(key):
            yield key[0], old.get(key), new.get(key)


def scope_of(role):
    """The rows a focal point reports on and the partner a reporter keeps, from the fixture."""
    bodies = {"ph": ["ipophl"], "aspec": ["aspec-task-force"], "both": ["ipophl", "aniee"]}.get(role, [])
    responsible = Responsibility.objects.filter(body__slug__in=bodies)
    deliverables = set(
        Deliverable.objects.filter(
            Q(pk__in=responsible.values("deliverable")) | Q(initiative__in=responsible.values("initiative"))
        ).values_list("pk", flat=True)
    )
    stateless = responsible.filter(body__member_state__isnull=True)
    every_state = set(
        Deliverable.objects.filter(
            Q(pk__in=stateless.values("deliverable")) | Q(initiative__in=stateless.values("initiative"))
        ).values_list("pk", flat=True)
    )
    states = set(MemberState.objects.filter(bodies__slug__in=bodies).values_list("pk", flat=True))
    return deliverables, every_state, states


def indicators_in_scope(role):
    """The indicators a focal point's values may be on: those on the deliverables it reports on
    and on the initiatives its bodies are responsible for; and those it covers for every state."""
    bodies = {"ph": ["ipophl"], "aspec": ["aspec-task-force"], "both": ["ipophl", "aniee"]}.get(role, [])
    deliverables, every_state, _ = scope_of(role)
    responsible = Responsibility.objects.filter(body__slug__in=bodies)
    initiatives = set(responsible.values_list("initiative", flat=True)) - {None}
    stateless = set(responsible.filter(body__member_state__isnull=True).values_list("initiative", flat=True))
    mine, everywhere = set(), set()
    for indicator in Indicator.objects.all():
        if indicator.deliverable_id in deliverables or indicator.initiative_id in initiatives:
            mine.add(indicator.pk)
        if indicator.deliverable_id in every_state or indicator.initiative_id in stateless - {None}:
            everywhere.add(indicator.pk)
    return mine, everywhere


def partner_of_row(model, row, programmes):
    if model is Partner:
        return row["id"]
    programme = row.get("programme_id") or row.get("cooperationprogramme_id")  # or its links' rows
    return programmes[programme] if programme else row.get("partner_id")


def may_change(role, kind, model, before, after, programmes):
    """Whether ``role`` may make this change to a row (``before``/``after``: None when absent;
    ``programmes``: each programme's partner before the post, deleted ones included)."""
    if kind == "revert" or role == "viewer":
        return False
    name = model._meta.model_name
    for row in (before, after):
        if row and name in WORKFLOW and kind in ("change", "add"):
            field = next(iter(WORKFLOW[name]))
            if before and after and before[field] != after[field]:
                return False  # a workflow field changed through a form
    if role == "secretariat":
        if model is User or name.startswith("user_"):
            superuser = any(r and r.get("is_superuser") for r in (before, after))
            granted = name == "user_user_permissions" or (
                before and after and before["is_superuser"] != after["is_superuser"]
            )
            return not superuser and not granted
        return True
    if role == "euipo":
        euipo = Partner.objects.get(slug="euipo").pk
        partner_side = model._meta.app_label == "partners" and not name.startswith("historical")
        return partner_side and all(
            partner_of_row(model, r, programmes) == euipo for r in (before, after) if r
        )
    if model is IndicatorValue:
        mine, everywhere = indicators_in_scope(role)
        states = scope_of(role)[2]

        def ours_value(row):
            if row["indicator_id"] not in mine:
                return False
            per_state = Indicator.objects.get(pk=row["indicator_id"]).per_member_state
            return not per_state or row["indicator_id"] in everywhere or row["member_state_id"] in states

        locked = before and (
            before["review_state"] == "approved" or (before["review_state"] == "submitted" and after)
        )
        if locked and kind != "workflow":
            return False
        return all(ours_value(r) for r in (before, after) if r)
    if model is not ProgressUpdate:
        return False
    deliverables, every_state, states = scope_of(role)

    def ours(row):
        if row["deliverable_id"] not in deliverables:
            return False
        per_state = Deliverable.objects.get(pk=row["deliverable_id"]).per_member_state
        return not per_state or row["deliverable_id"] in every_state or row["member_state_id"] in states

    # Approved progress is public and stays; submitted progress may be withdrawn, not edited.
    locked = before and (
        before["review_state"] == "approved" or (before["review_state"] == "submitted" and after)
    )
    if locked and kind != "workflow":
        return False
    return all(ours(r) for r in (before, after) if r)


def admin_routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name and pattern.name not in NOT_POSTED:
                yield prefix + str(pattern.pattern), pattern.name

    return list(walk(admin.site.get_urls()))


ROUTES = admin_routes()


@pytest.fixture
def records(staff, open_round, django_user_model):
    """Records of every kind, inside and outside each role's scope."""
    from tests.conftest import make_staff
    from tracker.core import roles

    staff.both = make_staff(django_user_model, "both", roles.FOCAL_POINT, bodies=["ipophl", "aniee"])
    deliverable = Deliverable.objects.get
    plan = "2016-2025"
    thailand, philippines = MemberState.objects.get(iso_code="TH"), MemberState.objects.get(iso_code="PH")

    def update(code, state=None, review_state="draft", by=None):
        return ProgressUpdate.objects.create(
            deliverable=deliverable(initiative__plan__slug=plan, code=code), member_state=state,
            round=open_round, status="in_progress", percent_complete=30,
            reported_on=datetime.date(2026, 11, 3), review_state=review_state, submitted_by=by or staff.ph, evidence_url="https://example.org/e",
        )  # fmt: skip

    superuser = User.objects.create_superuser("root", "root@example.org", "a-long-test-password")
    published = ReportingRound.objects.create(
        plan=open_round.plan, name="Published round", state="published",
        opens_on=datetime.date(2025, 1, 1), closes_on=datetime.date(2025, 2, 1),
    )  # fmt: skip
    euipo, wipo = Partner.objects.get(slug="euipo"), Partner.objects.get(slug="wipo")
    programmes = ["arise-plus-ipr", "ecap-ii", "wipo-asean-cooperation"]
    updates = [
        update("8.1"), update("5.2", philippines), update("5.2", thailand, by=staff.th),
        update("1.3", by=staff.aspec), update("8.1", review_state="submitted"),
        ProgressUpdate.objects.get(data_key="madrid-bn"),
    ]  # fmt: skip
    release = DatasetRelease(version="2025.1", round=published, published_at=timezone.now(), sha256="0" * 64,
                             size=3, files=[])  # fmt: skip
    release.archive.save("release.zip", ContentFile(b"zip"), save=False)
    release.save()
    on_platform = Indicator.objects.create(
        deliverable=deliverable(initiative__plan__slug=plan, code="8.1"),
        slug="tmview-searches",
        name="Searches",
    )
    per_state = Indicator.objects.create(
        initiative=deliverable(initiative__plan__slug=plan, code="5.1").initiative, slug="online-share",
        name="Online filing share", kind="percent", per_member_state=True,
    )  # fmt: skip
    outside = Indicator.objects.create(
        deliverable=deliverable(initiative__plan__slug=plan, code="9.1"), slug="portal-visits", name="Visits"
    )

    def value(indicator, state=None, review_state="draft", by=None, round_=open_round):
        return IndicatorValue.objects.create(
            indicator=indicator, member_state=state, round=round_, value=5,
            measured_on=datetime.date(2026, 11, 3), source_url="https://example.org/v",
            review_state=review_state, submitted_by=by or staff.ph,
        )  # fmt: skip

    values = [
        value(on_platform), value(per_state, philippines), value(per_state, thailand, by=staff.th),
        value(outside, by=staff.th), value(on_platform, review_state="approved", round_=published),
    ]  # fmt: skip
    return {
        "datasetrelease": [release],
        "indicatorvalue": values,
        "indicator": [on_platform, outside],
        "progressupdate": updates,
        "reportinground": [open_round, published],
        "user": [superuser, staff.secretariat, staff.ph],
        "partner": [euipo, wipo],
        "cooperationprogramme": list(CooperationProgramme.objects.filter(slug__in=programmes)),
        "contactpoint": [
            ContactPoint.objects.create(partner=euipo, name="A contact"),
            ContactPoint.objects.create(partner=wipo, name="B contact"),
        ],
    }


def model_of(name):
    match = re.match(r"(\w+?)_(\w+?)_(?:changelist|add|change|delete|history|simple_history|review|return|"
                     r"import|missing|changes|open|close|reopen|publish|remind|password_change|invite)$",
                     name)  # fmt: skip
    if not match:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


def examples(model, records):
    name = model._meta.model_name
    if name in records:
        return records[name]
    return list(model.objects.order_by("pk")[:2])


def form_values(client, url):
    """The values a browser would send for the admin form at ``url`` (as the secretariat sees it)."""
    from tests.deployment.servers import form_values as values_of

    response = client.get(url)
    if response.status_code != 200:
        return None
    form_id = re.search(r'<form[^>]+id="([^"]+_form)"', response.text)
    return values_of(response.text, form_id.group(1)) if form_id else None


def payloads(route, name, secretary, records):
    """(kind, url, data) to post for one admin route; the secretariat's client reads the forms."""
    model = model_of(name)
    if model is None:
        yield "other", "/admin/" + route.replace("^", "").replace("$", ""), {}
        return
    label = model._meta.model_name
    for record in examples(model, records):
        url = "/admin/" + route.replace("<path:object_id>", str(record.pk)).replace("<id>", str(record.pk))
        if name.endswith("_simple_history"):
            history = model.history.filter(id=record.pk).order_by("history_id").first()
            if history is None:
                continue
            url = f"/admin/{model._meta.app_label}/{label}/{record.pk}/history/{history.history_id}/"
            values = form_values(secretary, url) or []
            yield "revert", url, [*values, ("_change_history", "1")]
        elif name.endswith("_change"):
            values = form_values(secretary, url)
            if values is None:
                continue
            field = EDITED.get(label)
            changed = [(k, v) for k, v in values if k != field and k not in WORKFLOW.get(label, {})]
            changed += [(field, "Changed through a form")] if field else []
            changed += list(WORKFLOW.get(label, {}).items())
            if label == "user":
                changed += [("is_superuser", "on"), ("user_permissions", "1")]
            yield "change", url, changed
        elif name.endswith("_add"):
            add_url = "/admin/" + route
            values = form_values(secretary, url.replace("/add/", f"/{record.pk}/change/")) or []
            values = [(k, v) for k, v in values if not k.endswith(("seen_version", "-id"))]
            for key in ("code", "slug", "name", "username", "iso_code"):
                values = [(k, f"{v}-new" if k == key else v) for k, v in values]
            yield "add", add_url, values
            break
        elif name.endswith("_delete"):
            yield "delete", url, {"post": "yes"}
        elif name.endswith("_changelist"):
            request = type("R", (), {"user": records["secretary"], "GET": {}, "POST": {}})()
            actions = admin.site._registry[model].get_actions(request)
            selected = [str(r.pk) for r in examples(model, records)]
            for action in actions:
                yield "workflow" if "approve" in action or "submit" in action else "action", url, {
                    "action": action, "_selected_action": selected, "index": "0", "post": "yes",
                    "note": "Bulk note",
                }  # fmt: skip
            break
        elif name.endswith("_review"):
            for decision in ("approve", "return", "unapprove"):
                yield "workflow", url, {"decision": decision, "note": "A reviewer's note"}
        elif name.endswith("_return"):
            ids = ",".join(str(r.pk) for r in examples(model, records))
            yield (
                "workflow",
                f"/admin/{model._meta.app_label}/{label}/review-selected/?ids={ids}",
                {"note": "x"},
            )
            break
        elif name.endswith(("_open", "_close", "_reopen", "_publish", "_remind")):
            yield "workflow", url, {}  # a round's move (or its reminders), confirmed
        elif name.endswith("_password_change"):
            yield "change", url, {"password1": "An0ther-long-password", "password2": "An0ther-long-password"}
        else:
            yield "other", url, {}
            break


def as_form(data):
    """Form values (pairs, or a dict) as the test client posts them: each name with its values."""
    if isinstance(data, dict):
        return data
    form = {}
    for name, value in data:
        form.setdefault(name, []).append(value)
    return form


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_post_changes_only_what_the_role_may_change(client, login, staff, records, role):
    records["secretary"] = staff.secretariat
    from django.test import Client

    secretary = Client()
    secretary.force_login(staff.secretariat)
    attacker = login(getattr(staff, role))
    violations, posted = [], 0
    # Each post is rolled back, so every one starts from the same rows: read them once.
    before = database()
    programmes = dict(CooperationProgramme.objects.values_list("pk", "partner_id"))
    for route, name in ROUTES:
        for kind, url, data in list(payloads(route, name, secretary, records)):
            with transaction.atomic():
                attacker.post(url, as_form(data))
                posted += 1
                for model, old, new in changes(before, database()):
                    if not may_change(role, kind, model, old, new, programmes):
                        what = "deleted" if new is None else "created" if old is None else "changed"
                        violations.append(
                            f"{kind} {url}: {model._meta.label} {(old or new).get('id')} {what}"
                        )
                transaction.set_rollback(True)
            attacker.force_login(getattr(staff, role))  # some answers end the session; carry on signed in
    assert posted > 150  # the walk found the admin's addresses
    assert violations == [], "\n".join(violations)


def links_of(record):
    return {
        f.name: set(getattr(record, f.name).values_list("pk", flat=True)) for f in record._meta.many_to_many
    }


@pytest.mark.parametrize("role", ROLES)
def test_saving_unchanged_keeps_links_the_user_cannot_see(client, login, staff, records, role):
    """Every admin form with many-to-many fields, saved unchanged by every role that may save it,
    keeps every link, those outside the role's choices included (another partner on a programme),
    and every inline row."""
    user = getattr(staff, role)
    login(user)
    hidden_seen = 0
    for model in admin.site._registry:
        if model is User or not (model._meta.many_to_many or admin.site._registry[model].inlines):
            continue
        for record in model.objects.order_by("pk")[:5]:
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{record.pk}/change/"
            page = client.get(url)
            if page.status_code != 200 or 'name="_save"' not in page.text:
                continue  # the role may not change this record
            values = form_values(client, url)
            before, rows_before = links_of(record), rows_of(database()).keys()
            shown = {name for name, _ in values}
            hidden_seen += sum(1 for name, pks in before.items() if pks and name not in shown)
            hidden_seen += sum(
                len(pks - {int(v) for k, v in values if k == name and v.isdigit()})
                for name, pks in before.items()
            )
            response = client.post(url, as_form([*values, ("_save", "Save")]))
            assert response.status_code == 302, (url, response.text[:3000])
            assert links_of(model.objects.get(pk=record.pk)) == before, url
            assert rows_of(database()).keys() == rows_before, url  # no inline row or link created or deleted
    if role == "euipo":
        assert hidden_seen > 0  # the partner's programme with another partner on it was saved
