"""Small helpers the tests share."""


def text_of(response):
    """A page's text, once it is sure the page answered 200: a check that something is absent
    from an error page would pass for the wrong reason."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.text


def deliverable(code):
    """A deliverable of the 2016-2025 plan, by its code."""
    from goals.models import Deliverable

    return Deliverable.objects.get(initiative__plan__slug="2016-2025", code=code)


def form_data(update, **changes):
    """What the admin's change form of a progress update posts, with ``changes`` made."""
    data = {
        "deliverable": update.deliverable_id, "round": update.round_id, "status": update.status,
        "percent_complete": str(update.percent_complete), "reported_on": str(update.reported_on),
        "reported_on_precision": "day", "narrative": update.narrative,
    }  # fmt: skip
    return {**data, **changes}
