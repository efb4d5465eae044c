"""The explorer's set-up (goals/filters.py and the explorer's views), on its pages, in its CSV
downloads and in the API: the plan's own goals and initiatives to choose from, one wording for
"no choice", sorting by column, the line of filters in force, and codes in natural order."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from goals.models import Deliverable, MemberState, ProgressUpdate, ReportingRound, code_sort_key
from goals.progress import COUNTED, STATUS_LABELS, Schedule
from tests.factories import make_deliverable, make_goal, make_initiative, make_plan, make_update
from tests.helpers import download, text_of
from tests.sample import load_sample

pytestmark = pytest.mark.django_db

EXPLORERS = ["/explore/initiatives/", "/explore/deliverables/", "/explore/updates/"]


class Table(HTMLParser):
    """The text of each cell of a page's table body, the sortable headings with their links and
    aria-sort, and every select's options."""

    def __init__(self, html):
        super().__init__()
        self.html, self.rows, self.headers, self.selects = html, [], [], {}
        self._in = {"tbody": False, "thead": False}
        self._cell = self._header = self._select = self._option = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self._in:
            self._in[tag] = True
        elif tag == "tr" and self._in["tbody"]:
            self.rows.append([])
        elif tag in ("td", "th") and self._in["tbody"]:
            self._cell = []
        elif tag == "th" and self._in["thead"]:
            self._header = {"aria-sort": attrs.get("aria-sort"), "href": None, "text": []}
        elif tag == "a" and self._header is not None:
            self._header["href"] = attrs["href"]
        elif tag == "span" and self._header is not None and "visually-hidden" in attrs.get("class", ""):
            self._header["hidden"] = True
        elif tag == "select":
            self._select = self.selects.setdefault(attrs["name"], [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs["value"], ""]

    def handle_endtag(self, tag):
        if tag in self._in:
            self._in[tag] = False
        elif tag in ("td", "th") and self._cell is not None and self._in["tbody"]:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "th" and self._header is not None:
            self._header["text"] = " ".join("".join(self._header["text"]).split())
            self.headers.append(self._header)
            self._header = None
        elif tag == "span" and self._header is not None:
            self._header.pop("hidden", None)
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None:
            self._select.append(tuple(self._option))
            self._option = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._header is not None and not self._header.get("hidden"):
            self._header["text"].append(data.replace("▲", "").replace("▼", ""))
        if self._option is not None:
            self._option[1] += data


def table(client, url):
    return Table(text_of(client.get(url)))


def query_of(href):
    return parse_qs(urlsplit(href).query, keep_blank_values=True)


class TestChoices:
    def test_goal_and_initiative_are_chosen_from_the_plan_in_force(self, client):
        selects = table(client, "/explore/deliverables/?plan=2016-2025").selects
        assert selects["goal"][0] == ("", "Any")
        assert selects["goal"][1][1].startswith("1. Build a sturdier ASEAN IP system")
        assert [value for value, _label in selects["goal"][1:]] == ["1", "2", "3", "4"]
        initiatives = dict(selects["initiative"])
        assert len(initiatives) == 20 and initiatives["5"].startswith("5. Join the Madrid Protocol")
        assert all(len(label) <= 50 for label in initiatives.values())  # long titles end in "…"
        assert any(label.endswith("…") for label in initiatives.values())
        assert selects["plan"] == [("2026-2030", "2026-2030"), ("2016-2025", "2016-2025")]

    def test_another_plan_offers_its_own_goals_and_initiatives(self, client):
        plan = make_plan(title="Test plan", slug="test-plan")
        goal = make_goal(plan=plan, number=1, title="Only goal")
        make_initiative(goal=goal, number=3, title="Only initiative")
        selects = table(client, "/explore/updates/?plan=test-plan").selects
        assert selects["goal"] == [("", "Any"), ("1", "1. Only goal")]
        assert selects["initiative"] == [("", "Any"), ("3", "3. Only initiative")]

    @pytest.mark.parametrize("url", EXPLORERS)
    def test_every_select_offers_any_and_the_search_box_says_what_it_searches(self, client, url):
        page = text_of(client.get(url))
        selects = Table(page).selects
        assert "---------" not in page
        for name, options in selects.items():
            if name != "plan":
                assert options[0] == ("", "Any"), name
        assert {"body", "member_state", "partner", "goal"} <= set(selects)
        assert '<label for="id_q">Search titles and notes</label>' in page

    def test_selected_goal_and_initiative_narrow_the_list(self, client):
        rows = table(client, "/explore/deliverables/?plan=2016-2025&goal=1&initiative=5").rows
        assert [row[0] for row in rows] == ["5.1", "5.2", "5.3"]
        rows = table(client, "/explore/initiatives/?plan=2016-2025&goal=3").rows
        assert len(rows) > 1 and {row[2] for row in rows} == {"3"}

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("plan=2026-2030&initiative=15", "The ASEAN IPR Action Plan 2026-2030 has no initiative '15'."),
            ("plan=2016-2025&goal=9", "The ASEAN IPR Action Plan 2016-2025 has no goal '9'."),
            ("goal=abc", "has no goal 'abc'. Its goals are numbered 1, 2, 3, 4"),
        ],
    )
    def test_a_part_the_plan_lacks_is_refused_with_what_it_has(self, client, query, message):
        page = client.get(f"/explore/deliverables/?{query}")
        assert page.status_code == 400 and message.replace("'", "&#x27;") in page.text
        name = query.split("&")[-1].split("=")[0]
        removal = urljoin(
            "/explore/deliverables/", re.search(r'<a class="chip" href="([^"]*)">', page.text).group(1)
        )
        assert name not in query_of(removal.replace("&amp;", "&"))  # the line offers to drop it
        assert client.get(removal.replace("&amp;", "&")).status_code == 200
        csv = client.get(f"/explore/deliverables/?{query}&format=csv")
        assert csv.status_code == 400 and message in csv.text
        api = client.get(f"/api/deliverables/?{query}")
        assert api.status_code == 400 and message in api.json()[name][0]


def percent_of(cell):
    return None if cell in ("Dropped", "No data") else Decimal(cell.split("\u00a0")[0].split()[0])


STATUS_PLACE = {STATUS_LABELS[status]: place for place, status in enumerate(COUNTED)}
SCHEDULE_PLACE = {label: place for place, label in enumerate(Schedule.LABELS.values())}
UPDATE_STATUS_PLACE = {ProgressUpdate.Status(s).label: place for place, s in enumerate(COUNTED[:5])}

# Per explorer: each sort key with the value of a row it orders by (None sorts last either way).
FIGURE_KEYS = {
    "goal": lambda row: int(row[2]),
    "percent": lambda row: percent_of(row[3].split(" ")[0] + "\u00a0%" if "%" in row[3] else row[3]),
    "status": lambda row: STATUS_PLACE[row[4]],
    "schedule": lambda row: SCHEDULE_PLACE[re.sub(r" by .*", "", row[5])],
}
SORTS = {
    "/explore/deliverables/": {
        "code": lambda row: code_sort_key(row[0]),
        "title": lambda row: row[1].removesuffix(" provisional").lower(),
        **FIGURE_KEYS,
    },
    "/explore/initiatives/": {
        "number": lambda row: int(row[0]),
        "title": lambda row: row[1].removesuffix(" provisional").lower(),
        **FIGURE_KEYS,
    },
    "/explore/updates/": {
        "reported_on": None,  # the date as shown: checked against the database below
        "code": lambda row: code_sort_key(row[1].split(" ")[0]),
        "member_state": lambda row: None if row[2] == "–" else row[2],
        "status": lambda row: UPDATE_STATUS_PLACE[row[3].split(",")[0]],
        "round": None,
    },
}


def in_order(values, descending):
    present = [v for v in values if v is not None]
    nones = values[len(present) :]
    assert all(v is None for v in nones), "rows without a value come last"
    return present == sorted(present, reverse=descending)


class TestSorting:
    @pytest.mark.parametrize(
        ("url", "key"), [(url, key) for url, keys in SORTS.items() for key in keys if keys[key]]
    )
    @pytest.mark.parametrize("descending", [False, True])
    def test_each_column_sorts_both_ways(self, client, url, key, descending):
        if url == "/explore/updates/":
            load_sample()  # statuses other than completed
        wanted = f"-{key}" if descending else key
        page = table(client, f"{url}?sort={wanted}&plan=2016-2025")
        rows, number = list(page.rows), 1
        while f"page={number + 1}" in page.html:  # every page, in order
            number += 1
            rows += table(client, f"{url}?sort={wanted}&plan=2016-2025&page={number}").rows
        values = [SORTS[url][key](row) for row in rows]
        assert len(values) >= 10 and len(set(values)) > 1, "a sort that orders nothing proves nothing"
        assert in_order(values, descending), values
        sorted_headers = [h for h in page.headers if h["aria-sort"]]
        assert len(sorted_headers) == 1
        assert sorted_headers[0]["aria-sort"] == ("descending" if descending else "ascending")
        assert query_of(sorted_headers[0]["href"])["sort"] == [key if descending else f"-{key}"]

    @pytest.mark.parametrize("descending", [False, True])
    def test_updates_sort_by_date_and_by_round(self, client, descending):
        load_sample()
        sign = "-" if descending else ""
        page = text_of(client.get(f"/explore/updates/?plan=2016-2025&sort={sign}reported_on"))
        results = page[page.index("<tbody") : page.index("</tbody>")]  # not the "data as of" date
        dates = re.findall(r'<time datetime="([\d-]+)">', results)
        assert len(set(dates)) > 1 and dates == sorted(dates, reverse=descending)
        closing = {r.name: str(r.closes_on) for r in ReportingRound.objects.all()}
        rows = table(client, f"/explore/updates/?sort={sign}round&plan=2016-2025").rows
        rounds = [closing.get(row[5]) for row in rows]  # "Public source" has none: last
        assert len(set(rounds)) > 1 and in_order(rounds, descending), rounds

    def test_the_usual_order_is_marked_and_every_link_keeps_the_filters(self, client):
        page = table(client, "/explore/deliverables/?plan=2016-2025&goal=2&kind=platform&page=1")
        assert [h["aria-sort"] for h in page.headers][:2] == ["ascending", None]  # by code
        for header in page.headers:
            query = query_of(header["href"])
            assert query["goal"] == ["2"] and query["kind"] == ["platform"] and "page" not in query
        codes = [row[0] for row in page.rows]
        assert codes == sorted(codes, key=code_sort_key)

    def test_csv_downloads_follow_the_same_order(self, client):
        rows = download(client, "/explore/deliverables/?plan=2016-2025&sort=-percent&format=csv")
        percents = [Decimal(r["percent_complete"]) if r["percent_complete"] else None for r in rows]
        assert in_order(percents, descending=True) and len(set(percents)) > 2
        rows = download(client, "/explore/initiatives/?plan=2016-2025&sort=-title&format=csv")
        titles = [r["title"].lower() for r in rows]
        assert titles == sorted(titles, reverse=True)

    @pytest.mark.parametrize("key", ["percent", "-status", "schedule"])
    def test_a_plan_with_no_figures_yet_sorts_by_them_without_error(self, client, key):
        # No row has a value to sort by: PostgreSQL refused the "ORDER BY NULL" this once built.
        response = client.get(f"/explore/deliverables/?plan=2026-2030&sort={key}")
        assert response.status_code == 200 and "Showing" in text_of(response)

    def test_the_api_sorts_the_same_way(self, client):
        results = client.get(
            "/api/deliverables/", {"plan": "2016-2025", "sort": "-status", "page_size": 100}
        ).json()["results"]
        places = [COUNTED.index(d["figure"]["status"]) for d in results]
        assert places == sorted(places, reverse=True) and len(set(places)) > 1
        results = client.get("/api/initiatives/", {"plan": "2016-2025", "sort": "title"}).json()["results"]
        assert [i["title"].lower() for i in results] == sorted(i["title"].lower() for i in results)

    @pytest.mark.parametrize("url", EXPLORERS)
    def test_an_unknown_sort_is_refused_with_the_valid_keys(self, client, url):
        keys = ", ".join(k for key in SORTS[url] for k in (key, f"-{key}"))
        page = client.get(f"{url}?sort=colour")
        assert page.status_code == 400 and keys in page.text
        assert "&#x27;colour&#x27; is not a way to sort this list" in page.text
        csv = client.get(f"{url}?sort=colour&format=csv")
        assert csv.status_code == 400 and keys in csv.text and "Content-Disposition" not in csv
        api = client.get(
            f"/api{url.removeprefix('/explore')}".replace("updates", "progress-updates"), {"sort": "colour"}
        )
        assert api.status_code == 400 and keys in api.json()["sort"][0]

    def test_the_form_keeps_the_sort_when_filters_change(self, client):
        page = text_of(client.get("/explore/deliverables/?sort=-title"))
        assert '<input name="sort" type="hidden" id="id_sort" value="-title">' in page
        assert 'name="sort"' not in text_of(client.get("/explore/deliverables/"))


class TestFiltersInForce:
    URL = "/explore/deliverables/?plan=2016-2025&goal=2&status=completed&q=ASEAN&kind=platform&sort=-title"

    def chips(self, client, url):
        page = text_of(client.get(url))
        return page, [
            (text, urljoin(url, href.replace("&amp;", "&")))
            for href, text in re.findall(r'<a class="chip" href="([^"]*)">([^<]*) <span', page)
        ]

    def test_the_line_names_each_filter_and_the_count(self, client):
        page, chips = self.chips(client, self.URL)
        shown = len(Table(page).rows)
        assert f"Showing {shown} deliverables of the ASEAN IPR Action Plan 2016-2025" in page
        assert [text for text, _href in chips] == [
            "Goal 2", "Search: “ASEAN”", "Status: Completed", "Kind: Regional platform"
        ]  # fmt: skip
        assert "Filters (4 in force)" in page

    def test_each_link_removes_its_filter_and_keeps_the_others(self, client):
        _page, chips = self.chips(client, self.URL)
        full = query_of(self.URL)
        names = {"Goal 2": "goal", "Search: “ASEAN”": "q", "Status: Completed": "status",
                 "Kind: Regional platform": "kind"}  # fmt: skip
        for text, href in chips:
            removed = names[text]
            assert query_of(href) == {k: v for k, v in full.items() if k != removed}
            page, left = self.chips(client, href)
            assert [t for t, _ in left] == [t for t, _ in chips if t != text]
            assert f"Filters ({len(chips) - 1} in force)" in page

    def test_clear_all_keeps_the_plan_and_the_order(self, client):
        page = text_of(client.get(self.URL))
        clear = urljoin(
            self.URL, re.search(r'<a href="([^"]*)">Clear all', page).group(1).replace("&amp;", "&")
        )
        assert query_of(clear) == {"plan": ["2016-2025"], "sort": ["-title"]}
        cleared = text_of(client.get(clear))
        assert "Filters (none in force)" in cleared and 'class="chip"' not in cleared
        assert "Showing 29 deliverables" in cleared

    def test_one_of_anything_reads_in_the_singular(self, client):
        page = text_of(client.get("/explore/deliverables/?plan=2016-2025&q=TMview"))
        assert "Showing 1 deliverable of" in page and "Member state: " not in page
        page = text_of(client.get("/explore/updates/?plan=2016-2025&member_state=brunei-darussalam"))
        assert "Member state: Brunei Darussalam" in page

    def test_bodies_and_partners_read_by_their_acronym(self, client):
        _page, chips = self.chips(client, "/explore/deliverables/?body=ipophl&partner=wipo")
        assert [text for text, _ in chips] == ["Responsible body: IPOPHL", "Partner: WIPO"]


class TestNaturalOrder:
    """Codes sort as numbers read: 1.3, 2.2, 10.1, 12.2 (never 1.3, 10.1, 12.2, 2.2)."""

    CODES = ["1.3", "2.2", "10.1", "12.2"]

    @pytest.fixture
    def plan(self):
        plan = make_plan(title="Natural plan", slug="natural")
        initiative = make_initiative(goal=make_goal(plan=plan, number=1), number=1, title="One")
        state = MemberState.objects.get(iso_code="TH")
        for code in ("12.2", "10.1", "2.2", "1.3"):  # stored in the wrong order on purpose
            deliverable = make_deliverable(initiative=initiative, code=code, title=f"Deliverable {code}",
                                           per_member_state=True)  # fmt: skip
            make_update(deliverable=deliverable, review_state="approved", member_state=state,
                        narrative=f"Update on {code}")  # fmt: skip
        return plan

    def test_the_explorer_lists_codes_in_natural_order(self, client, plan):
        assert [row[0] for row in table(client, "/explore/deliverables/?plan=natural").rows] == self.CODES
        reverse = table(client, "/explore/deliverables/?plan=natural&sort=-code").rows
        assert [row[0] for row in reverse] == self.CODES[::-1]
        updates = table(client, "/explore/updates/?plan=natural&sort=code").rows
        assert [row[1].split(" ")[0] for row in updates] == self.CODES

    def test_the_initiative_page_and_the_matrix_list_them_in_natural_order(self, client, plan):
        page = text_of(client.get("/plans/natural/initiatives/1/"))
        found = re.findall(r"Deliverable (\d+\.\d+)</a>", page)
        assert found[: len(self.CODES)] == self.CODES
        matrix = text_of(client.get("/plans/natural/member-states/"))
        assert re.findall(r'<th scope="col">\s*<a href="[^"]*">(\d+\.\d+)', matrix) == self.CODES

    def test_csv_files_list_them_in_natural_order(self, client, plan):
        rows = download(client, "/explore/deliverables/?plan=natural&format=csv")
        assert [r["deliverable_code"] for r in rows] == self.CODES
        rows = download(client, "/data/deliverables.csv?plan=natural")
        assert [r["deliverable_code"] for r in rows] == self.CODES
        rows = download(client, "/explore/updates/?plan=natural&sort=code&format=csv")
        assert [r["deliverable_code"] for r in rows] == self.CODES

    def test_the_api_lists_them_in_natural_order(self, client, plan):
        results = client.get("/api/deliverables/", {"plan": "natural"}).json()["results"]
        assert [d["code"] for d in results] == self.CODES
        results = client.get("/api/progress-updates/", {"plan": "natural", "sort": "-code"}).json()["results"]
        assert [u["deliverable_code"] for u in results] == self.CODES[::-1]

    def test_the_real_plan_reads_in_natural_order_everywhere(self, client):
        codes = [row[0] for row in table(client, "/explore/deliverables/?plan=2016-2025").rows]
        assert codes.index("9.1") < codes.index("10.1") < codes.index("12.1")
        deliverables = Deliverable.objects.filter(initiative__plan__slug="2016-2025")
        assert list(deliverables.values_list("code", flat=True)) == sorted(
            deliverables.values_list("code", flat=True), key=code_sort_key
        )


@pytest.mark.parametrize(
    "url", ["/explore/deliverables/", "/explore/updates/?format=csv", "/api/deliverables/"]
)
def test_an_over_long_text_search_is_refused(client, url):
    response = client.get(url, {"q": "a" * 201})
    assert response.status_code == 400
    assert "Ensure this value has at most 200 characters (it has 201)." in response.content.decode()
