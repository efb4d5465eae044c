"""The admin's "Import CSV" page: upload, preview every row, then confirm (or nothing happens)."""

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

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
            "title": f"Import {importer.title}",
            "header": importer.header,
            "required": importer.required,
            "starting_file": self.starting_file,
        }
        form = UploadForm(request.POST or None, request.FILES or None)
        try:
            if "confirm" in request.POST:
                text = signing.loads(request.POST["confirm"], salt=SALT, max_age=3600)
                results, written = imports.apply(importer, text)
                if written:
                    counts = summary(results)
                    self.message_user(request, f"Imported: {counts}.", messages.SUCCESS)
                    return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))
                context.update(results=results, summary=summary(results), blocked=True)
            elif request.method == "POST" and form.is_valid():
                results, text = imports.preview(importer, form.cleaned_data["file"])
                context.update(results=results, summary=summary(results))
                if not any(r.action == imports.ERROR for r in results):
                    context["confirm"] = signing.dumps(text, salt=SALT, compress=True)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        except signing.BadSignature:
            form.add_error(None, "The preview expired or was altered; upload the file again.")
        context["form"] = form
        return TemplateResponse(request, "admin/import.html", context)


def summary(results):
    counts = {}
    for result in results:
        counts[result.action] = counts.get(result.action, 0) + 1
    words = {"create": "to add", "update": "to change", "unchanged": "unchanged", "error": "with errors"}
    return ", ".join(f"{n} {words[action]}" for action, n in counts.items())
