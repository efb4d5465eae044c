"""Languages of the interface: which one a request is answered in, and whether its translation
has been reviewed.

The language comes from the address alone: ``/id/...`` is Bahasa Indonesia, ``/vi/...``
Vietnamese, and an address without a prefix is English, the reference (``i18n_patterns`` with
``prefix_default_language=False`` in ``tracker.site.urls``). Neither the browser's
Accept-Language nor a cookie changes it, so each address has exactly one answer: the public page
cache (keyed by the address) can never hand one language's page to another, and no
``Vary: Accept-Language`` is needed. This is why the site uses this middleware instead of
Django's ``LocaleMiddleware``, which would add that header and read the browser's preference on
addresses outside the prefixed patterns (the admin, the API, the data files).

The one exception is the staff admin, which has no prefix: staff choose its language in its
header (Django's ``set_language`` view, at ``/i18n/setlang/``), which keeps the choice in the
language cookie. The cookie is read for the admin's addresses (and ``/i18n/``) only, never for
the public pages, the API or the files, which the public cache keys by address alone.
"""

from django.conf import settings
from django.utils import translation

# Addresses whose language the staff member's choice (the language cookie) decides.
CHOSEN_LANGUAGE_PREFIXES = ("/admin/", "/i18n/")


def language_of(path):
    """The language an address is in: its prefix, else English."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def chosen_language(request):
    """The language a staff member chose for the admin (the language cookie), if it is one of
    the site's; else None."""
    choice = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return choice if choice in dict(settings.LANGUAGES) else None


def language_of_request(request):
    """The language a request is answered in: its address's, or, in the admin, the one the
    staff member chose."""
    path = request.path_info
    if path.startswith(CHOSEN_LANGUAGE_PREFIXES):
        return chosen_language(request) or settings.LANGUAGE_CODE
    return language_of(path)


def is_reviewed(language):
    """Whether a native speaker has reviewed the translation into ``language`` (English, the
    reference, always is)."""
    return language == settings.LANGUAGE_CODE or bool(settings.TRANSLATIONS_REVIEWED.get(language))


class LanguageFromAddressMiddleware:
    """Answers each request in the language of its address (in the admin, the one its user
    chose), and says so (Content-Language).

    The language is active only while the request is handled, so nothing outside it (another
    request on the same thread, a test) is left in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_of_request(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
