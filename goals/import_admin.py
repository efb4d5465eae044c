"""The admin's "Import CSV" page: upload, preview every row, then confirm (or nothing happens)."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext

from goals import imports

SALT = "tracker.csv-import"


class UploadForm(forms.Form):
    file = forms.FileField(help_text="A CSV file in the same columns as the site's download (UTF-8).")


class ImportAdminMixin:
    """Adds /import/ to a model admin; ``importer`` is the goals.imports class to use."""

    importer = None
    starting_file = None  # the name of the address of a file to start from, if there is one
    change_list_template = "admin/import_change_list.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        importer = self.importer(request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import %(what)s") % {"what": importer.title},
            "header": importer.header,
            "required": importer.required,
            "starting_file": self.starting_file,
        }
        # The preview's "errors only" switch posts the file checked just now, not a new upload.
        checked = request.POST.get("checked")
        form = UploadForm(None if checked else request.POST or None, request.FILES or None)
        try:
            if "confirm" in request.POST:
                text = signing.loads(request.POST["confirm"], salt=SALT, max_age=3600)
                results, written = imports.apply(importer, text)
                if written:
                    counts = summary(results)
                    self.message_user(
                        request, gettext("Imported: %(counts)s.") % {"counts": counts}, messages.SUCCESS
                    )
                    return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
                context.update(results=results, summary=summary(results), blocked=True)
            elif checked:
                text = signing.loads(checked, salt=SALT, max_age=3600)
                context.update(
                    preview_context(*imports.preview(importer, text), request.POST.get("errors_only"))
                )
            elif request.method == "POST" and form.is_valid():
                context.update(preview_context(*imports.preview(importer, form.cleaned_data["file"])))
        except imports.ImportFileError as error:
            if form.is_bound:
                form.add_error("file", str(error))
            else:  # the switch's file, read afresh
                context["problem"] = str(error)
        except signing.BadSignature:
            context["problem"] = gettext("The preview expired or was altered; upload the file again.")
        context["form"] = form
        return TemplateResponse(request, "admin/import.html", context)


def preview_context(results, text, errors_only=False):
    """What the preview page shows: every row, or only those with errors (saying how many are
    hidden), and the file, signed, to confirm it or switch the view without uploading it again."""
    errors = [r for r in results if r.action == imports.ERROR]
    signed = signing.dumps(text, salt=SALT, compress=True)
    shown = errors if errors_only and errors else results
    return {
        "results": shown,
        "summary": summary(results),
        "errors_only": shown is errors,
        "error_count": len(errors),
        "hidden": len(results) - len(shown),
        "without_errors": len(results) - len(errors),
        "checked": signed,
        "confirm": signed if not errors else None,
    }


def summary(results):
    counts = {}
    for result in results:
        counts[result.action] = counts.get(result.action, 0) + 1
    words = {"create": "to add", "update": "to change", "unchanged": "unchanged", "error": "with errors"}
    return ", ".join(f"{n} {words[action]}" for action, n in counts.items())
