"""Accounts in the admin (people are invited with a role: ``tracker.site.accounts``) and the
dataset releases."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from tracker.core import access
from tracker.site.accounts import TrackerUserAdmin
from tracker.site.models import DatasetRelease

User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, TrackerUserAdmin)


@admin.register(DatasetRelease)
class DatasetReleaseAdmin(admin.ModelAdmin):
    """Releases are made by publishing a round and never change; the secretariat may add the
    DOI once one is registered. Every staff member may look."""

    list_display = ["version", "round", "published_at", "includes_sample", "doi"]
    list_select_related = ["round__plan"]
    fields = ["version", "round", "published_at", "archive", "sha256", "size", "includes_sample", "doi"]
    readonly_fields = ["version", "round", "published_at", "archive", "sha256", "size", "includes_sample"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return access.is_secretariat(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
