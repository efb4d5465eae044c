"""Small helpers the tests share."""

import csv
import io


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


def download(client, url):
    """The rows of a CSV file downloaded from ``url``, once sure it is one: 200, CSV, an attachment,
    with the byte-order mark spreadsheet programs need."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"].startswith('attachment; filename="')
        and ".csv" in response["Content-Disposition"]
    )
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark for spreadsheet programs
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
