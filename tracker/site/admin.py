"""Accounts in the admin: people are invited with a role (``tracker.site.accounts``)."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from tracker.site.accounts import TrackerUserAdmin

User = get_user_model()
admin.site.unregister(User)
admin.site.register(User, TrackerUserAdmin)
