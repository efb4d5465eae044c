from django.conf import settings

from goals.selectors import public_data_state


def site(request):
    """What every page needs to know: whether made-up demonstration data is loaded, when the data
    last changed (both from one query per data version), who publishes the site and how to
    reach them, and the site's address for links that leave it (feeds, share previews)."""
    state = public_data_state()
    return {
        "sample_data_loaded": state.sample,
        "data_as_of": state.as_of,
        "site_publisher": settings.SITE_PUBLISHER,
        "site_contact_email": settings.SITE_CONTACT_EMAIL,
        "site_url": settings.SITE_URL,
    }
