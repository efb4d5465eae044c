"""Caching of anonymous public pages, invalidated by any change to the data they show.

Every rendered page is stored under the current *data version*; saving or deleting any plan,
progress or partner record (and changing their many-to-many links) moves the version on, so the
next request renders afresh. Signed-in staff are never served from the cache and never fill it,
so nothing but what the public may see is ever stored. Bulk updates that bypass ``save()``
must call ``bump_data_version()`` themselves.
"""

import uuid
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "tracker:data-version"
CACHED_APPS = ("goals", "partners")
KEPT_HEADERS = ("Content-Type", "Content-Disposition")


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_data_version(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def connect_invalidation():
    """Bump the data version on every save, delete and link change in the cached apps."""
    for app_label in CACHED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            post_save.connect(bump_data_version, sender=model, dispatch_uid=f"cache-save-{model._meta.label}")
            post_delete.connect(
                bump_data_version, sender=model, dispatch_uid=f"cache-delete-{model._meta.label}"
            )
    m2m_changed.connect(bump_data_version, dispatch_uid="cache-m2m")


def cache_public(view):
    """Serve anonymous GET requests of ``view`` from the cache (only successful, whole responses)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_CACHE_SECONDS
        anonymous = not getattr(request, "user", None) or not request.user.is_authenticated
        if not seconds or request.method not in ("GET", "HEAD") or not anonymous:
            return view(request, *args, **kwargs)
        key = f"tracker:page:{data_version()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            content, status, headers = stored
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
            cache.set(key, (response.content, response.status_code, headers), seconds)
        return response

    return wrapper
