"""The glossary's entries and the tags that link a term's first use on a page to its entry."""

import pytest
from django.template import Context, Engine, Template

from tests.helpers import text_of
from tracker.site.glossary import ENTRIES, IN_TEXT, entry_for

AWGIPC = (
    '<a class="term" href="/glossary/#awgipc">'
    '<abbr title="ASEAN Working Group on Intellectual Property Cooperation">AWGIPC</abbr></a>'
)


def render(source, **context):
    return Template("{% load glossary %}" + source).render(Context(context))


class TestEntries:
    def test_anchors_are_unique_ids_and_spellings_unique(self):
        spellings = [spelling for entry in ENTRIES.values() for spelling in entry.spellings]
        assert len(spellings) == len(set(spellings))
        for anchor in ENTRIES:
            assert anchor == anchor.lower() and " " not in anchor

    def test_every_related_entry_exists(self):
        for entry in ENTRIES.values():
            assert [other.anchor for other in entry.related] == list(entry.see)

    def test_a_former_name_finds_its_entry(self):
        assert entry_for("SIPO").anchor == "cnipa" and entry_for("MOIP").anchor == "kipo"
        assert entry_for("strategic measure").anchor == "strategic-goal"
        assert entry_for("no such thing") is None

    def test_whole_words_only_longest_first(self):
        found = [m.group(1) for m in IN_TEXT.finditer("ASPECT, ASPEC TF; TRIPS Article 67 and TRIPS; xWIPO")]
        assert found == ["ASPEC", "TRIPS Article 67", "TRIPS"]


class TestTags:
    def test_the_first_use_links_to_the_entry_later_ones_are_plain(self):
        html = render('{% term "AWGIPC" %} and again {% term "AWGIPC" %}')
        assert html == f"{AWGIPC} and again AWGIPC"

    def test_a_plain_term_links_without_abbr_and_can_be_shown_inflected(self):
        html = render('{% term "deliverable" "deliverables" %}')
        assert html == '<a class="term" href="/glossary/#deliverable">deliverables</a>'

    def test_an_unknown_term_is_a_mistake_in_the_template(self):
        with pytest.raises(ValueError, match="not in the glossary"):
            render('{% term "AWGIPX" %}')

    def test_terms_in_text_are_marked_and_the_text_escaped(self):
        html = render("{% terms_in text %}", text="<b>AWGIPC</b> & the AEC; AWGIPC again, a deliverable")
        assert html == (
            f"&lt;b&gt;{AWGIPC}&lt;/b&gt; &amp; the "
            '<a class="term" href="/glossary/#aec"><abbr title="ASEAN Economic Community">AEC</abbr></a>'
            "; AWGIPC again, a deliverable"
        )

    def test_a_former_name_shows_what_it_stood_for(self):
        html = render("{% terms_in text %}", text="SIPO, now CNIPA")
        assert (
            '<a class="term" href="/glossary/#cnipa"><abbr title="State Intellectual Property Office' in html
        )
        assert html.endswith(", now CNIPA")  # the same entry, already linked

    def test_tags_share_what_the_page_has_linked(self):
        html = render('{% terms_in text %} {% term "AWGIPC" %}', text="The AWGIPC")
        assert html == f"The {AWGIPC} AWGIPC"

    def test_a_page_and_what_it_includes_share_what_they_have_linked(self):
        templates = {
            "page.html": '{% load glossary %}{% term "AWGIPC" %}|{% include "part.html" %}|'
            '{% term "ASPEC" %}',
            "part.html": '{% load glossary %}{% term "AWGIPC" %} {% term "ASPEC" %}',
        }
        engine = Engine(
            loaders=[("django.template.loaders.locmem.Loader", templates)],
            libraries={"glossary": "tracker.site.templatetags.glossary"},
        )
        first, included, last = engine.get_template("page.html").render(Context()).split("|")
        assert first == AWGIPC and included.startswith("AWGIPC ") and 'href="/glossary/#aspec"' in included
        assert last == "ASPEC"

    def test_every_render_starts_afresh(self):
        template = Template('{% load glossary %}{% term "AWGIPC" %}')
        assert template.render(Context()) == template.render(Context()) == AWGIPC

    def test_empty_text(self):
        assert render("{% terms_in text %}", text=None) == "" == render("{% terms_in text %}", text="")


@pytest.mark.django_db
class TestOnPages:
    def test_the_overview_marks_the_acronyms_of_the_plans_summary(self, client):
        page = text_of(client.get("/plans/2016-2025/"))
        lead = page[page.index('<p class="lead">') : page.index("</p>", page.index('<p class="lead">'))]
        assert AWGIPC in lead and 'href="/glossary/#aec"' in lead

    def test_a_bodys_acronym_links_in_its_heading_and_the_footer_does_not_repeat_it(self, client):
        page = text_of(client.get("/bodies/awgipc/"))
        heading = page[page.index("<h1>") : page.index("</h1>")]
        assert AWGIPC in heading
        assert page.count('href="/glossary/#awgipc"') == 1  # the footer's publisher names it again, plain
        publisher = "Secretariat of the ASEAN Working Group on Intellectual Property Cooperation (AWGIPC)"
        assert f"Publisher: {publisher}." in page

    def test_without_it_on_the_page_the_footer_links_the_publishers_acronym(self, client):
        page = text_of(client.get("/methodology/"))
        footer = page[page.index("<footer") :]
        assert AWGIPC in footer

    def test_a_partners_acronym_and_article_67_link_to_the_glossary(self, client):
        page = text_of(client.get("/partners/euipo/"))
        heading = page[page.index("<h1>") : page.index("</h1>")]
        expansion = "European Union Intellectual Property Office"
        assert (
            f'<a class="term" href="/glossary/#euipo"><abbr title="{expansion}">EUIPO</abbr></a>' in heading
        )
        assert 'Reports under <a class="term" href="/glossary/#trips-article-67">TRIPS Article 67</a>' in page

    def test_the_partner_list_links_each_acronym_once(self, client):
        page = text_of(client.get("/partners/"))
        for anchor in ("wipo", "euipo", "epo", "jpo", "kipo", "iponz", "cnipa", "uspto", "trips-article-67"):
            assert page.count(f'href="/glossary/#{anchor}"') == 1, anchor
