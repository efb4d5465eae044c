"""Bad query input gets a clear answer: 400 with the reason (404 for an unknown thing in the
path), never an empty file, every row, a quietly different page or a server error. Includes the
regressions the property-based robustness test found."""

import pytest

pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.text


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/data/deliverables.csv?partner=0%0D0", "deliverables.csv does not take 'partner'; it takes plan."),
        ("/data/progress_updates.csv?partner=nope", "progress_updates.csv does not take 'partner'"),
        ("/data/deliverables.csv?plan=nope", "There is no plan 'nope'."),
        ("/data/member_state_matrix.csv?plan=2016-2025%0D%0Aevil", "There is no plan '2016-2025\\r\\nevil'."),
        ("/data/involvements.csv?partner=nope", "There is no partner 'nope'."),
        ("/data/platforms.csv?format=csv", "platforms.csv does not take 'format'; it takes plan."),
        ("/explore/deliverables/?plan=nope&format=csv", "Plan: Select a valid choice."),
        (
            "/explore/deliverables/?format=xml",
            "Unknown format 'xml': this page is also offered as csv, xlsx.",
        ),
        ("/plans/2016-2025/?format=csv", "Unknown format 'csv': this page has no other format."),
        ("/partners/?format=json", "Unknown format 'json'"),
    ],
)
def test_an_unknown_qualifier_or_format_is_refused_with_the_reason(client, url, reason):
    response = client.get(url)
    assert response.status_code == 400, url
    assert "Content-Disposition" not in response  # never a file
    assert reason.replace("'", "&#x27;") in body(response) or reason in body(response)


def test_a_data_file_refusal_is_plain_text(client):
    response = client.get("/data/deliverables.csv?plan=nope")
    assert response.status_code == 400 and response["Content-Type"] == "text/plain; charset=utf-8"


def test_a_narrowed_file_is_named_after_what_it_holds(client):
    response = client.get("/data/involvements.csv?partner=euipo")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="involvements-euipo.csv"'
    assert "euipo," in body(response) and "\nwipo," not in body(response)


def test_an_unknown_data_file_is_404_with_the_reason(client):
    response = client.get("/data/nope.csv")
    assert response.status_code == 404 and "There is no data file nope.csv" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/explore/initiatives/?plan=2016-2025&member_state=thailand",
        "/explore/initiatives/?plan=2016-2025&member_state=thailand&format=csv",
        "/api/initiatives/?plan=2016-2025&member_state=thailand",
    ],
)
def test_the_initiative_explorer_filters_by_member_state(client, url):
    """A regression: combining a distinct and a non-distinct query made this fail every time."""
    response = client.get(url)
    assert response.status_code == 200
    text = body(response)
    madrid = (
        '<td>5</td>\n    <th scope="row">\n      <a href="/plans/2016-2025/initiatives/5/">Join the Madrid'
    )
    assert madrid in text or '"number":5' in text or '2016-2025,1,5,"Join the Madrid' in text


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/goals/?plan__slug=nope", "plan__slug"),
        ("/api/deliverables/?plan=nope", "plan"),
        ("/api/programmes/?partner__slug=nope", "partner__slug"),
        ("/api/progress-updates/?year=3000", "year"),
    ],
)
def test_the_api_refuses_unknown_values_with_the_field_named(client, url, field):
    response = client.get(url)
    assert response.status_code == 400 and field in response.json()


def test_an_impossible_year_says_so(client):
    explorer = client.get("/explore/updates/?year=3000")
    assert explorer.status_code == 400
    assert "Year of progress: Ensure this value is less than or equal to 2100." in explorer.text
    report = client.get("/partners/euipo/article-67/2999/")
    assert report.status_code == 404 and "There is no Article 67 report for 2999" in report.text


def test_figure_filters_with_no_plan_loaded_find_nothing_rather_than_fail(client):
    from goals.models import ActionPlan, ProgressUpdate

    ProgressUpdate.objects.all().delete()
    ActionPlan.objects.all().delete()
    for url in ("/explore/deliverables/?status=completed", "/api/initiatives/?schedule=overdue"):
        response = client.get(url)
        assert response.status_code == 200 and "8.1" not in response.text, url
