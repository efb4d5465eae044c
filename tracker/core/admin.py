"""What every model admin shares: row-level scoping, history, CSV export and no lost edits."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker.core import access, xlsx
from tracker.core.csvsafe import csv_response


def latest_history_id(record):
    latest = record.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return str(latest or "")


def describe_changes(record, seen_id):
    """What changed in ``record`` since the history entry ``seen_id``, in words."""
    if not seen_id.isdigit():
        return gettext("It was changed since you opened it.")
    seen = record.history.filter(history_id=seen_id).first()
    newer = list(record.history.filter(history_id__gt=seen_id).order_by("history_id"))
    if seen is None or not newer:
        return gettext("It was changed since you opened it.")
    latest = newer[-1]
    delta = latest.diff_against(seen)
    fields = {f.name: f.verbose_name for f in record._meta.fields}
    parts = [f"{fields.get(c.field, c.field)}: {c.old!r} → {c.new!r}" for c in delta.changes]
    who = ", ".join(sorted({str(entry.history_user) for entry in newer if entry.history_user})) or gettext(
        "someone"
    )
    when = timezone.localtime(latest.history_date).strftime("%d %b %Y %H:%M")
    changed = "; ".join(parts) if parts else gettext("no visible field")
    return gettext("%(who)s saved it at %(when)s after you opened it. Changed: %(changed)s.") % {
        "who": who,
        "when": when,
        "changed": changed,
    }


class NoLostEditsForm(forms.ModelForm):
    """Refuses a save when the record changed since the form was opened (optimistic locking).

    The version is the record's latest history entry; the message says who changed what. The
    admin validates and saves in one transaction; the record's row is locked before its version
    is read, so of two simultaneous saves from the same version the second waits for the first,
    then sees the new version and is refused (PostgreSQL; SQLite lets one writer in at a time).
    """

    user = None  # who is saving: the admin sets it (``TrackerAdmin.get_form``)
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and hasattr(self.instance, "history"):
            self.fields["seen_version"].initial = latest_history_id(self.instance)

    def clean(self):
        cleaned = super().clean()
        if not (self.instance.pk and hasattr(self.instance, "history")):
            return cleaned
        name = self.add_prefix("seen_version")
        if name not in self.data:
            raise ValidationError(
                gettext(
                    "Not saved: the form did not say which version of the record it changes. "
                    "Reload the page and make your change again."
                ),
                code="no_version",
            )
        if transaction.get_connection().in_atomic_block:
            list(type(self.instance)._default_manager.select_for_update().filter(pk=self.instance.pk))
        seen = self.data[name]
        if latest_history_id(self.instance) != seen:
            raise ValidationError(
                gettext(
                    "Not saved: someone else changed this record while you were editing it. %(changes)s "
                    "Reload the page to see their version, then make your change again."
                )
                % {"changes": describe_changes(self.instance, seen)},
                code="stale",
            )
        return cleaned

    def _post_clean(self):
        """Once the record holds the values to save, ask the one write rule (``access.may_write``)."""
        super()._post_clean()
        if self.user is not None and not self.errors and not access.may_write(self.user, self.instance):
            self.add_error(None, gettext("Not saved: you may not save this record with these values."))


def keep_hidden_links(form):
    """Keep the links the user cannot see. A many-to-many field offers only the choices in the
    user's scope, so saving the form as sent would drop the others (a partner reporter saving
    its programme would remove the other partners working on it)."""
    if not form.instance.pk or not hasattr(form, "cleaned_data"):
        return
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelMultipleChoiceField) and name in form.cleaned_data:
            hidden = getattr(form.instance, name).exclude(pk__in=field.queryset.values("pk"))
            if hidden:
                form.cleaned_data[name] = [*form.cleaned_data[name], *hidden]


@admin.action(description=_("Export selected as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    """Export what the user can see of the selection, one row per record, every column."""
    fields = list(queryset.model._meta.fields)
    header = [f.name if not f.is_relation else f"{f.name}_id" for f in fields]
    rows = ([getattr(record, f.attname) for f in fields] for record in queryset.iterator(chunk_size=2000))
    return csv_response(f"{queryset.model._meta.model_name}.csv", header, rows)


@admin.action(description=_("Export selected as Excel"), permissions=["view"])
def export_xlsx(modeladmin, request, queryset):
    """The same rows and columns as ``export_csv``, as an Excel workbook."""
    fields = list(queryset.model._meta.fields)
    # A data file: its headers in English, whatever the admin's language.
    with translation.override(settings.LANGUAGE_CODE):
        columns = [
            (f.name if not f.is_relation else f"{f.name}_id", None, str(f.verbose_name).capitalize())
            for f in fields
        ]
        title = str(queryset.model._meta.verbose_name_plural)
    rows = ([getattr(record, f.attname) for f in fields] for record in queryset.iterator(chunk_size=2000))
    sheet = xlsx.Sheet(queryset.model._meta.model_name, columns, title=title)
    return xlsx.xlsx_response(f"{queryset.model._meta.model_name}.xlsx", sheet, rows)


class NamedAutocompleteSelect(AutocompleteSelect):
    """A search-as-you-type choice that says what to choose while empty ("Choose the
    deliverable"): the placeholder is the box's only name for screen readers."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        name = self.field.verbose_name
        attrs["data-placeholder"] = _("Choose the %(name)s") % {"name": name}
        return attrs


class TrackerAdmin(SimpleHistoryAdmin):
    """Base admin: rows scoped to the user, choices scoped, out-of-scope addresses 404."""

    form = NoLostEditsForm
    change_form_template = "admin/tracker_change_form.html"

    class Media:
        js = ["js/admin-autocomplete-names.js"]  # names the search-as-you-type choices' text boxes

    actions = [export_csv, export_xlsx]

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = access.choices_for(self.model, db_field.name, field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = access.choices_for(self.model, db_field.name, field.queryset, request.user)
        return field

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = autocomplete_source(request)
        if source is not None:
            queryset = access.choices_for(source, request.GET.get("field_name"), queryset, request.user)
        return queryset, may_have_duplicates

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return access.may_write(request.user, obj, "change")

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return access.may_write(request.user, obj, "delete")

    def save_model(self, request, obj, form, change):
        if not access.may_write(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not access.may_write(request.user, obj, "delete"):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if not all(access.may_write(request.user, obj, "delete") for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        keep_hidden_links(form)
        super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        """Inline rows ask the same rule, each as it would be saved or deleted."""
        for inline_form in formset.forms:
            keep_hidden_links(inline_form)
            if inline_form in formset.deleted_forms:
                if inline_form.instance.pk and not access.may_write(
                    request.user, inline_form.instance, "delete"
                ):
                    raise PermissionDenied
            elif inline_form.has_changed() and not access.may_write(request.user, inline_form.instance):
                raise PermissionDenied
        super().save_formset(request, form, formset, change)

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        if not hasattr(self.model, "history"):  # not tracked (frozen snapshots): Django's own log
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """A past version, to read. Reverting is off: it would save the whole past record,
        workflow fields included, past every rule; staff record a new change instead."""
        self._in_scope_or_404(request, object_id)
        if request.method != "GET":
            raise PermissionDenied(gettext("Past versions can be read, not restored: make the change anew."))
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _in_scope_or_404(self, request, object_id):
        if self.get_object(request, object_id) is None:
            raise Http404(
                gettext("No %(what)s with that key is available to you.") % {"what": self.opts.verbose_name}
            )

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Out of scope and missing look the same from outside: 404, never a hint that it exists.
        raise Http404(gettext("No %(what)s with that key is available to you.") % {"what": opts.verbose_name})


class ScopedInline:
    """Inline rows follow the same scoping as their model's own admin."""

    def get_queryset(self, request):
        return access.scope(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = NamedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = access.choices_for(self.model, db_field.name, field.queryset, request.user)
        return field


def autocomplete_source(request):
    """The model whose form field an autocomplete request fills, if this is one."""
    from django.apps import apps

    if not request.path.endswith("/autocomplete/"):
        return None
    try:
        return apps.get_model(request.GET["app_label"], request.GET["model_name"])
    except (KeyError, LookupError):
        return None
