"""The secretariat's review pages for progress updates and indicator values, wired from
``ProgressUpdateAdmin.get_urls`` and ``IndicatorValueAdmin.get_urls``:
one update's review (approve, return with a note, un-approve with a reason) and returning a
selection with one note; and the bulk actions of the changelist. What may be done is
``goals.workflow``'s to say; these pages only ask it and report the answer."""

from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals import workflow
from goals.evidence import serving
from goals.models import IndicatorValue, ProgressUpdate
from goals.templatetags.progress import day
from tracker.core.parsing import error_messages

State = ProgressUpdate.ReviewState
NEEDS = {name: action.needs for name, action in workflow.REVIEW_ACTIONS.items()}


class ReviewForm(forms.Form):
    """The decisions open to the reviewer on one update (``workflow.allowed_actions``)."""

    CHOICES = {
        "approve": _("Approve"),
        "return": _("Return for changes (say what to change)"),
        "unapprove": _("Un-approve to correct it (give the reason)"),
    }
    DONE = {"approve": _("approved"), "return": _("returned for changes"), "unapprove": _("un-approved")}

    decision = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision: nothing was changed.")},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Required to return or un-approve; to approve your own submission, give the reason."),
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [
            (name, label) for name, label in self.CHOICES.items() if name in actions
        ]


class BulkReturnForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Sent to each reporter."))


def url_name(model_admin, page):
    """The admin URL name of one of a model's review pages: "goals_progressupdate_review"."""
    return f"goals_{model_admin.opts.model_name}_{page}"


def urls(model_admin):
    view = model_admin.admin_site.admin_view
    return [
        path(
            "<path:object_id>/review/",
            view(lambda request, object_id: review_view(model_admin, request, object_id)),
            name=url_name(model_admin, "review"),
        ),
        path(
            "review-selected/",
            view(lambda request: bulk_return_view(model_admin, request)),
            name=url_name(model_admin, "return"),
        ),
    ]


def review_view(model_admin, request, object_id):
    """Approve, return (with a note) or un-approve (with a reason) one update (or value)."""
    update = model_admin.get_object(request, object_id)
    if update is None:
        raise Http404(
            gettext("No such %(what)s is available to you.") % {"what": model_admin.opts.verbose_name}
        )
    if not model_admin.has_review_permission(request):
        raise PermissionDenied
    form = ReviewForm(request.POST or None, actions=workflow.allowed_actions(request.user, update))
    waiting = (
        model_admin.get_queryset(request)
        .filter(review_state=State.SUBMITTED)
        .exclude(pk=update.pk)
        .order_by("updated_at", "pk")
    )
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            workflow.take(decision, update, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            model_admin.message_user(
                request,
                gettext("%(update)s: %(done)s.") % {"update": update, "done": form.DONE[decision]},
                messages.SUCCESS,
            )
            following = waiting.first() if "next" in request.POST else None
            if following is not None:
                return redirect(reverse(f"admin:{url_name(model_admin, 'review')}", args=[following.pk]))
            return redirect(reverse(f"admin:{url_name(model_admin, 'change')}", args=[update.pk]))
    previous = previous_approved(update)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": update,
        "deliverable": getattr(update, "deliverable", None),
        "indicator": getattr(update, "indicator", None),
        "form": form,
        "title": gettext("Review %(update)s") % {"update": update},
        "previous": previous,
        "comparison": compare(previous, update),
        "evidence_shown": serving(update.evidence_file.name)
        if getattr(update, "evidence_file", None)
        else None,
        "waiting_count": waiting.count(),
    }
    return TemplateResponse(request, f"admin/goals/{model_admin.opts.model_name}/review.html", context)


def previous_approved(update):
    """The approved update this one would follow: the same deliverable (and member state); for an
    indicator value, the same indicator (and member state)."""
    if isinstance(update, IndicatorValue):
        same = {"indicator_id": update.indicator_id}
    else:
        same = {"deliverable_id": update.deliverable_id}
    return (
        type(update)
        .objects.filter(**same, member_state_id=update.member_state_id, review_state=State.APPROVED)
        .exclude(pk=update.pk)
        .select_related("round")
        .order_by("-measured_on" if isinstance(update, IndicatorValue) else "-reported_on", "-pk")
        .first()
    )


@dataclass
class Compared:
    label: str
    before: str
    after: str

    @property
    def changed(self):
        return self.before != self.after


def compare(previous, update):
    """What the reviewer weighs, the last approved value beside the new one."""
    if isinstance(update, IndicatorValue):
        return compare_values(previous, update)

    def values(u):
        if u is None:
            return ["–"] * 6
        return [
            u.get_status_display(),
            f"{u.percent_complete}\u00a0%",
            day(u.reported_on),
            u.narrative or "–",
            u.evidence_url or "–",
            Path(u.evidence_file.name).suffix.lstrip(".").upper() + " file" if u.evidence_file else "–",
        ]

    labels = ["Status", "Percent complete", "Reported on", "Narrative", "Evidence link", "Evidence file"]
    return [Compared(*row) for row in zip(labels, values(previous), values(update), strict=True)]


def compare_values(previous, value):
    def cells(v):
        if v is None:
            return ["–"] * 4
        return [f"{v.value}", day(v.measured_on), v.source_url or "–", v.note or "–"]

    labels = ["Value", "Date of the value", "Source", "Note"]
    return [Compared(*row) for row in zip(labels, cells(previous), cells(value), strict=True)]


def bulk_return_view(model_admin, request):
    """Ask once for the note, then return every selected update with it."""
    if not model_admin.has_review_permission(request):
        raise PermissionDenied
    ids = [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]
    queryset = model_admin.get_queryset(request).filter(pk__in=ids)
    form = BulkReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        take_each(model_admin, request, queryset, "return", note=form.cleaned_data["note"])
        return redirect(reverse(f"admin:{url_name(model_admin, 'changelist')}"))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "form": form,
        "updates": queryset,
        "title": gettext("Return %(what)s for changes") % {"what": model_admin.opts.verbose_name_plural},
    }
    return TemplateResponse(request, "admin/goals/progressupdate/bulk_return.html", context)


def take_each(model_admin, request, queryset, action, note=""):
    """Take one review action on each update; say which succeeded and why others did not."""
    succeeded, problems = 0, []
    for update in queryset:
        try:
            workflow.take(action, update, by=request.user, note=note)
            succeeded += 1
        except (ValidationError, PermissionDenied) as error:
            problems.append(f"{update}: {' '.join(error_messages(error))}")
    done = gettext(workflow.REVIEW_ACTIONS[action].done)
    if succeeded:
        model_admin.message_user(
            request,
            gettext("%(count)s update(s) %(done)s.") % {"count": succeeded, "done": done},
            messages.SUCCESS,
        )
    for problem in problems:
        model_admin.message_user(
            request, gettext("Not %(done)s: %(problem)s") % {"done": done, "problem": problem}, messages.ERROR
        )


# The changelist's bulk actions, offered to whoever holds the permission the action needs
# (the model admin's has_<needs>_permission); each update is then checked by the workflow.


@admin.action(description=_("Submit selected drafts for review"), permissions=[NEEDS["submit"]])
def submit_selected(model_admin, request, queryset):
    take_each(model_admin, request, queryset, "submit")


@admin.action(description=_("Approve selected submitted updates"), permissions=[NEEDS["approve"]])
def approve_selected(model_admin, request, queryset):
    take_each(model_admin, request, queryset, "approve")


@admin.action(description=_("Return selected updates for changes…"), permissions=[NEEDS["return"]])
def return_selected(model_admin, request, queryset):
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    page = reverse(f"admin:{url_name(model_admin, 'return')}")
    return redirect(f"{page}?ids={ids}")
