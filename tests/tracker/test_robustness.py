"""Random and hostile input on every public address, export and API endpoint never gives a
server error: unknown values get a message, an empty result or a 404."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/plans/2016-2025/",
    "/plans/2016-2025/goals/1/",
    "/plans/2016-2025/initiatives/5/",
    "/plans/2016-2025/initiatives/5/5.1/",
    "/plans/2016-2025/member-states/",
    "/member-states/",
    "/member-states/philippines/",
    "/bodies/ipophl/",
    "/platforms/",
    "/methodology/",
    "/partners/",
    "/partners/euipo/",
    "/partners/euipo/article-67/2019/",
    "/explore/initiatives/",
    "/explore/deliverables/",
    "/explore/updates/",
    "/data/",
    "/data/deliverables.csv",
    "/data/progress_updates.csv",
    "/api/plans/",
    "/api/goals/",
    "/api/initiatives/",
    "/api/deliverables/",
    "/api/progress-updates/",
    "/api/member-states/",
    "/api/bodies/",
    "/api/partners/",
    "/api/programmes/",
    "/healthz",
    "/healthz/alive",
]
PARAMETERS = [
    "plan",
    "goal",
    "initiative",
    "deliverable",
    "status",
    "schedule",
    "body",
    "partner",
    "member_state",
    "year",
    "round",
    "q",
    "kind",
    "page",
    "format",
    "partner__slug",
    "plan__slug",
    "number",
    "start_year__lte",
]

HOSTILE = [
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "' OR 1=1 --",
    "../../etc/passwd",
    "<script>",
    "%00",
    "2016-2025",
    "csv",
    "   ",
    "ipophl",
    "%",
    "\u202e",
]
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
text = text | st.sampled_from(HOSTILE)
queries = st.dictionaries(st.sampled_from(PARAMETERS), text, max_size=4)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def read(response):
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("url", PUBLIC)
@SETTINGS
@given(query=queries)
def test_random_query_strings_never_give_a_server_error(client, url, query):
    response = read(client.get(url, query))
    assert response.status_code in (200, 400, 404), (url, query, response.status_code)


segment = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(
    lambda s: "/" not in s and "?" not in s and "#" not in s
)


@SETTINGS
@given(plan=segment, number=st.integers(min_value=-5, max_value=10**12), code=segment, slug=segment)
def test_random_path_segments_never_give_a_server_error(client, plan, number, code, slug):
    from urllib.parse import quote

    number = abs(number)
    paths = [
        f"/plans/{quote(plan)}/",
        f"/plans/{quote(plan)}/goals/{number}/",
        f"/plans/2016-2025/initiatives/{number}/{quote(code)}/",
        f"/member-states/{quote(slug)}/",
        f"/bodies/{quote(slug)}/",
        f"/partners/{quote(slug)}/article-67/{number}/",
        f"/data/{quote(slug)}.csv",
        f"/api/plans/{quote(slug)}/",
        f"/api/deliverables/{quote(code)}/",
        f"/evidence/{number}/",
        f"/plans/2016-2025/rounds/{number}/meeting-pack/",
    ]
    for path in paths:
        response = read(client.get(path))
        assert response.status_code in (200, 301, 400, 404), (path, response.status_code)


def test_not_found_pages_are_the_sites_own(client):
    response = client.get(reverse("goal-detail", kwargs={"plan": "2016-2025", "number": 99}))
    assert response.status_code == 404 and "Page not found" in response.text
