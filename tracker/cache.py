"""Caching of what every anonymous visitor sees alike, invalidated by any change to the data.

Both layers are keyed by the *data version*, which moves on whenever any plan, progress or
partner record is saved or deleted (or their many-to-many links change):

- ``PublicCacheMiddleware`` keeps whole public pages and exports in the shared cache, for
  requests without a session; staff (and anyone signed in) are never served from it and never
  fill it, so nothing but what the public may see is ever stored.
- ``derived_from_data`` keeps costly values behind the pages (the loaded plan, its figures) in
  each process's memory, so even a page not in the cache is quick to render.

Bulk updates that bypass ``save()`` must call ``bump_data_version()`` themselves.
"""

import datetime
import uuid
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse

VERSION_KEY = "tracker:data-version"
CACHED_APPS = ("goals", "partners")


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_data_version(**kwargs):
    """Move the data version on now, and again when the surrounding transaction commits: a page
    rendered in between, from the data as it was before the commit, is then never served."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump_after_commit)


def _bump_after_commit():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


_derived = {"version": None, "values": {}}  # this process's values derived from the data


def derived_from_data(key, compute):
    """``compute()``, kept in this process until the data version moves on or the day turns.

    For what is costly to rebuild on every page but is the same for every visitor: the loaded
    plan, its figures (which also depend on today's date), the list of plans. Process memory,
    not the shared cache, because unpickling thousands of model instances costs as much as the
    queries; the shared data version still tells every process when to rebuild. Off when the
    public cache is off, so the tests see every query.
    """
    if not settings.PUBLIC_CACHE_SECONDS:
        return compute()
    version = (data_version(), datetime.date.today())
    if _derived["version"] != version:
        _derived["version"], _derived["values"] = version, {}
    values = _derived["values"]
    if key not in values:
        values[key] = compute()
    return values[key]


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
    """Mark ``view``'s responses to anonymous visitors as the same for everyone, so that
    ``PublicCacheMiddleware`` may store them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        response.public = user is None or not user.is_authenticated
        return response

    return wrapper


class PublicCacheMiddleware:
    """Answers anonymous GET and HEAD requests for public pages and exports from the cache.

    It sits just after the security and static-file middleware, so a hit skips sessions,
    authentication and the view; the stored headers include those the inner middleware set
    (the Content Security Policy among them). Only a request without a session cookie can be
    anonymous for certain, so only those are served or stored. A response is stored only
    when its view is wrapped in ``cache_public``, it succeeded, sets no cookie, and (for
    streamed exports) its body stays under ``PUBLIC_CACHE_MAX_BYTES``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_CACHE_SECONDS
        if (
            not seconds
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            return self.get_response(request)
        key = f"tracker:page:{data_version()}:{request.get_full_path()}"
        stored = cache.get(key)
        if stored is not None:
            content, status, headers = stored
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if not getattr(response, "public", False) or response.status_code != 200 or response.cookies:
            return response
        headers = dict(response.items())
        if response.streaming:
            body = response.streaming_content
            response.streaming_content = _store_when_complete(body, key, headers, seconds)
        elif len(response.content) <= settings.PUBLIC_CACHE_MAX_BYTES:
            cache.set(key, (response.content, response.status_code, headers), seconds)
        return response


def _store_when_complete(chunks, key, headers, seconds):
    """Pass a streamed body on unchanged, storing it once it has all gone out (if small enough)."""
    kept, size = [], 0
    for chunk in chunks:
        yield chunk
        if kept is not None:
            size += len(chunk)
            if size > settings.PUBLIC_CACHE_MAX_BYTES:
                kept = None
            else:
                kept.append(chunk)
    if kept is not None:
        cache.set(key, (b"".join(kept), 200, headers), seconds)
