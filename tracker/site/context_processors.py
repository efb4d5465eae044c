from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from goals.selectors import public_data_state
from tracker.core.i18n import is_reviewed


def site(request):
    """What every page needs to know: whether made-up demonstration data is loaded, when the data
    last changed (both from one query per data version), who publishes the site and how to
    reach them, the site's address for links that leave it (feeds, share previews), and the
    interface's languages (the switcher, hreflang, the not-yet-reviewed notice)."""
    state = public_data_state()
    return {
        **languages(request),
        "sample_data_loaded": state.sample,
        "data_as_of": state.as_of,
        "site_publisher": settings.SITE_PUBLISHER,
        "site_contact_email": settings.SITE_CONTACT_EMAIL,
        "site_url": settings.SITE_URL,
    }


def languages(request):
    """The current page in each language of the interface: its address (absolute, as hreflang
    wants), the language's own name, and whether it is the one shown; whether the shown one has
    been reviewed by a native speaker; and the page in English, the reference. An address that
    is not in every language (the admin, an error page) is its own alternate in each."""
    current = translation.get_language()
    path = request.get_full_path()
    alternates = [
        {
            "code": code,
            "name": name,
            "url": settings.SITE_URL + translate_url(path, code),
            "path": translate_url(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "language_code": current,
        "languages": alternates,
        "language_reviewed": is_reviewed(current),
        "reference_language_page": alternates[0]["path"],
    }
