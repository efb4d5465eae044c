"""Caching of what every anonymous visitor sees alike, invalidated by any change to the data.

Both layers are keyed by the *data version*, a token kept in the database that triggers change
in the same transaction as any change to public data (``tracker.core.dataversion``). Every process
reads it from the same database, so a change committed by any worker, command or database
shell shows on the next request to any worker; nothing depends on how the app is deployed.

- ``PublicCacheMiddleware`` reads the version once per GET request (for anonymous visitors, from
  this process's reading of the last second) and keeps whole public pages and exports in the
  cache under it, for requests without a session; staff (and anyone signed in) are never served
  from it and never fill it, so nothing but what the public may see is ever stored.
- ``derived_from_data`` keeps costly values behind the pages (the loaded plan, its figures) in
  each process's memory under the same version, so even a page not in the cache is quick to
  render. What it hands out is shared by every request of the process: only read it.
"""

import contextvars
import datetime
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from tracker.core import dataversion

_request_version = contextvars.ContextVar("tracker_data_version", default=None)


def data_version():
    """The data version: as read at the start of this GET request, else read now."""
    version = _request_version.get()
    return version if version is not None else dataversion.read()


_seen = {"version": None, "at": -1.0}  # this process's latest reading, for anonymous visitors


def recent_data_version():
    """The data version as this process read it at most ``DATA_VERSION_MAX_AGE`` seconds ago.

    Anonymous pages are the same for everyone and are most of the traffic: reading the version
    from the database for each of them would cost a round trip per request, a third of what a
    cached page costs. Reading it at most once a second per process still shows any committed
    change within a second (plus the request's own time).
    """
    now = time.monotonic()
    if now - _seen["at"] >= settings.DATA_VERSION_MAX_AGE:
        _seen["version"], _seen["at"] = dataversion.read(), now
    return _seen["version"]


_derived = {"version": None, "values": {}}  # this process's values derived from the data


def derived_from_data(key, compute):
    """``compute()``, kept in this process until the data version moves on or the day turns.

    For what is costly to rebuild on every page but is the same for every visitor: the loaded
    plan, its figures (which also depend on today's date), the list of plans. Process memory,
    not the shared cache, because unpickling thousands of model instances costs as much as the
    queries; the shared data version still tells every process when to rebuild. Off when the
    public cache is off, so the tests see every query. What it keeps is shared by every language
    of the interface: keep no translated words in it (translate them when the page is rendered).
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
    """Reads the data version once per GET or HEAD request, and answers anonymous ones for public
    pages and exports from the cache.

    It sits just after the security and static-file middleware, so a hit skips sessions,
    authentication and the view. The security middleware outside it (the Content Security
    Policy, X-Frame-Options) add their headers to a hit as to any answer, following what the view
    asked for its own answers (``HEADER_CHOICES``), which is stored with the page. Only a request
    without a session cookie can be anonymous for certain, so only those are served or stored. A
    response is stored only when its view is wrapped in ``cache_public``, it succeeded, sets no
    cookie, and (for streamed exports) its body stays under ``PUBLIC_CACHE_MAX_BYTES``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PUBLIC_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path.startswith("/healthz"):
            return self.get_response(request)  # checks the database itself, never from a cache
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        # Staff see their own changes at once: their requests read the version afresh.
        version = dataversion.read() if signed_in else recent_data_version()
        pinned = _request_version.set(version)
        try:
            if signed_in:
                return self.get_response(request)
            # The day is in the key too: schedules and overdue times move on with the date. The
            # address decides the language (tracker.core.i18n), so each language has its own key.
            key = f"tracker:page:{version}:{datetime.date.today()}:{request.get_full_path()}"
            return self.cached_response(request, key)
        finally:
            _request_version.reset(pinned)

    def cached_response(self, request, key):
        stored = cache.get(key)
        if stored is not None:
            content, status, headers, *choices = stored  # pages stored before choices were kept have none
            response = HttpResponse(content, status=status, headers=headers)
            for name, value in (choices[0] if choices else {}).items():
                setattr(response, name, value)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if not getattr(response, "public", False) or response.status_code != 200 or response.cookies:
            return response
        headers = dict(response.items())
        choices = {name: getattr(response, name) for name in HEADER_CHOICES if hasattr(response, name)}
        seconds = settings.PUBLIC_CACHE_SECONDS
        if response.streaming:
            body = response.streaming_content
            response.streaming_content = _store_when_complete(body, key, headers, choices, seconds)
        elif len(response.content) <= settings.PUBLIC_CACHE_MAX_BYTES:
            cache.set(key, (response.content, response.status_code, headers, choices), seconds)
        return response


# What a view may ask of the middleware outside the page cache for its own answers, as response
# attributes: to be framed by other sites (Django's ``xframe_options_exempt``) and its own
# Content Security Policy (django-csp's decorators). Kept with a stored page, so that a hit
# leaves with the same headers as the page did.
HEADER_CHOICES = (
    "xframe_options_exempt",
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
)


def _store_when_complete(chunks, key, headers, choices, seconds):
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
        cache.set(key, (b"".join(kept), 200, headers, choices), seconds)
