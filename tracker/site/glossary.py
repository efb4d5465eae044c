"""The glossary: the acronyms and terms the site uses, each with its own anchor on /glossary/.

The ``{% term %}`` and ``{% terms_in %}`` tags (``tracker.site.templatetags.glossary``) link the
first use of an entry on a page to it. Expansions follow the bodies' and partners' own names as
recorded in the plan data files.

The entries are built once per process, so they hold no translated words: the explanations,
expansions and section titles are lazy (``gettext_lazy``), translated when a page shows them, and
a plain term's English spelling stays the key templates name it by (``spelling``), shown in the
page's language as ``term``. Acronyms stay as they are in every language.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    anchor: str  # its id on the glossary page, and the fragment that links to it
    spelling: str  # as the site writes it in English: the key templates name it by
    meaning: str  # one paragraph (translated when shown)
    expansion: str = ""  # what an acronym stands for (an <abbr title>); empty for a plain term
    aliases: tuple = ()  # (spelling, expansion) of other names the site uses: a former name, say
    in_text: bool = True  # whether {% terms_in %} marks it in running text (not for everyday words)
    page: tuple = ()  # (URL name, kwargs) of its page on this site, if it has one
    see: tuple = ()  # anchors of related entries

    @property
    def term(self):
        """The term as the page's language writes it: an acronym as it is, a plain term translated."""
        return self.spelling if self.is_abbreviation else gettext(self.spelling)

    @property
    def is_abbreviation(self):
        return bool(self.expansion)

    @property
    def spellings(self):
        """{spelling: what it stands for ("" for a plain word)}, its own term first."""
        return {self.spelling: self.expansion, **dict(self.aliases)}

    @property
    def related(self):
        return [ENTRIES[anchor] for anchor in self.see]

    def page_url(self):
        if not self.page:
            return ""
        name, kwargs = self.page
        return reverse(name, kwargs=kwargs)


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    entries: tuple


SECTIONS = (
    Section(
        "section-tracker",
        _("How the tracker describes a plan"),
        (
            Entry(
                "action-plan",
                gettext_noop("action plan"),
                _(
                    "A programme of regional intellectual property work that the ASEAN IP offices agree for "
                    "a set period. The tracker holds the ASEAN IPR Action Plan 2016-2025 and its successor "
                    "for 2026-2030; earlier plans covered 2004-2010 and 2011-2015."
                ),
                in_text=False,
            ),
            Entry(
                "strategic-goal",
                gettext_noop("strategic goal"),
                _(
                    "The top level of a plan: the 2016-2025 plan has four. The 2026-2030 plan names its top "
                    "level strategic measures instead (five, of which four have been reported so far); the "
                    "tracker shows both as goals."
                ),
                aliases=(("strategic measure", ""),),
                in_text=False,
                see=("initiative",),
            ),
            Entry(
                "initiative",
                gettext_noop("initiative"),
                _(
                    "A headline line of work under a goal, such as joining the international filing "
                    "treaties. The 2016-2025 plan has nineteen. An initiative is made of deliverables."
                ),
                in_text=False,
                see=("deliverable",),
            ),
            Entry(
                "deliverable",
                gettext_noop("deliverable"),
                _(
                    "A concrete output of an initiative, with planned dates where known: a study, a "
                    "database, a set of guidelines, a treaty accession. Progress is reported on "
                    "deliverables; every figure above them is computed from theirs."
                ),
                in_text=False,
                see=("state-by-state-deliverable", "progress-update"),
            ),
            Entry(
                "state-by-state-deliverable",
                gettext_noop("state-by-state deliverable"),
                _(
                    "A deliverable that each member state achieves for itself, such as acceding to the "
                    "Madrid Protocol. Its percent is the share of the member states expected to act that "
                    "have done it; the member-state matrix shows one row per state."
                ),
                in_text=False,
                page=("matrix-default", {}),
            ),
            Entry(
                "responsible-body",
                gettext_noop("responsible body"),
                _(
                    "An organisation with a part in a piece of work: the lead (or champion) steers it, "
                    "implementing bodies carry it out and supporting bodies help. Bodies are the AWGIPC, "
                    "its task forces and networks, the ASEAN Secretariat and each member state's IP office."
                ),
                in_text=False,
            ),
            Entry(
                "reporting-round",
                gettext_noop("reporting round"),
                _(
                    "A period, usually ahead of an AWGIPC meeting, in which focal points report progress. "
                    "When the secretariat publishes a round its figures are frozen: any page can be viewed "
                    "as it stood at that round, and each round has a meeting pack."
                ),
                in_text=False,
            ),
            Entry(
                "progress-update",
                gettext_noop("progress update"),
                _(
                    "A dated report on a deliverable (for a state-by-state deliverable, on one member "
                    "state): its status, percent complete, a short account and a link to evidence. Facts "
                    "taken from public sources, such as the date a treaty took effect for a state, are "
                    "recorded the same way."
                ),
                in_text=False,
                see=("approved",),
            ),
            Entry(
                "approved",
                gettext_noop("approved"),
                _(
                    "Reviewed and accepted by the secretariat. Only approved progress is shown or counted, "
                    "on the pages, in the downloads and in the API; drafts, reports awaiting review and "
                    "reports returned for changes never are."
                ),
                in_text=False,
            ),
            Entry(
                "provisional",
                gettext_noop("provisional"),
                _(
                    "Marks a record some of whose details (a title, a number, a date) no source confirms. A "
                    "note beside it says what is known and what is not, so that a guess is never read as a "
                    "fact."
                ),
                in_text=False,
            ),
            Entry(
                "percent-delivered",
                gettext_noop("percent delivered"),
                _(
                    "How much of something has been delivered, from 0 to 100 %. A deliverable without "
                    "approved progress counts as 0 %; initiatives, goals and plans are weighted averages of "
                    "their parts."
                ),
                in_text=False,
                page=("methodology", {}),
            ),
            Entry(
                "coverage",
                gettext_noop("coverage"),
                _(
                    'How much of what a figure is made of has approved progress, as in "19 of 29 '
                    'deliverables have approved progress". Read a percent together with its coverage.'
                ),
                in_text=False,
            ),
            Entry(
                "schedule-assessment",
                gettext_noop("schedule assessment"),
                _(
                    "Whether an item keeps to its planned dates, computed from its percent and the percent "
                    "expected by now: completed, not yet due, on track, at risk, off track, overdue (past "
                    "its planned end and not completed) or no data. The methodology page gives the "
                    "thresholds."
                ),
                in_text=False,
                page=("methodology", {}),
            ),
            Entry(
                "dropped",
                gettext_noop("dropped"),
                _(
                    "Taken out of a plan at a review, or reported as no longer pursued. A dropped part is "
                    "left out of the averages and named where it would have counted."
                ),
                in_text=False,
            ),
            Entry(
                "weight",
                gettext_noop("weight"),
                _(
                    "How much a part counts in its parent's average. Every weight is 1 unless the plan says "
                    "otherwise."
                ),
                in_text=False,
            ),
            Entry(
                "focal-point",
                gettext_noop("focal point"),
                _(
                    "The person in a responsible body, or at a partner, who records its progress or its "
                    "cooperation in the tracker."
                ),
                in_text=False,
            ),
            Entry(
                "data-as-of",
                gettext_noop("data as of"),
                _(
                    "The day of the latest approved change to the data behind the figures: a progress "
                    "update approved or corrected, or a correction to the plan's records. It is shown under "
                    "every page's header."
                ),
                in_text=False,
            ),
            Entry(
                "sample-data",
                gettext_noop("sample data"),
                _(
                    "Made-up progress loaded only to demonstrate the tracker. When it is present, every "
                    "page and every download says so."
                ),
                in_text=False,
            ),
        ),
    ),
    Section(
        "section-asean",
        _("ASEAN and its IP bodies"),
        (
            Entry(
                "asean",
                "ASEAN",
                _("The regional organisation of eleven South-East Asian states."),
                expansion=_("Association of Southeast Asian Nations"),
                in_text=False,
                see=("ams",),
            ),
            Entry(
                "ams",
                "AMS",
                _(
                    "The member states of ASEAN: Brunei Darussalam, Cambodia, Indonesia, Lao PDR, Malaysia, "
                    "Myanmar, the Philippines, Singapore, Thailand and Viet Nam, joined by Timor-Leste on "
                    "26 October 2025 as the eleventh."
                ),
                expansion=_("ASEAN Member States"),
                page=("matrix-default", {}),
            ),
            Entry(
                "aec",
                "AEC",
                _(
                    "ASEAN's single market and production base. The 2016-2025 plan was drawn up to serve "
                    "the AEC Blueprint 2025."
                ),
                expansion=_("ASEAN Economic Community"),
            ),
            Entry(
                "aem",
                "AEM",
                _("The meeting of ASEAN's economy ministers, to which the AWGIPC reports."),
                expansion=_("ASEAN Economic Ministers"),
            ),
            Entry(
                "asec",
                "ASEC",
                _(
                    "ASEAN's secretariat in Jakarta, which supports the member states' sectoral bodies, the "
                    "AWGIPC among them."
                ),
                expansion=_("ASEAN Secretariat"),
                page=("body-detail", {"slug": "asean-secretariat"}),
            ),
            Entry(
                "awgipc",
                "AWGIPC",
                _(
                    "The body of the member states' IP offices that cooperates on intellectual property "
                    "under the economy ministers. Set up in 1996 under the 1995 framework agreement, it "
                    "meets about twice a year under a rotating chair, and drew up the action plans this "
                    "site tracks."
                ),
                expansion=_("ASEAN Working Group on Intellectual Property Cooperation"),
                page=("body-detail", {"slug": "awgipc"}),
            ),
            Entry(
                "afaipc",
                "AFAIPC",
                _(
                    "The agreement under which ASEAN cooperates on intellectual property, signed in Bangkok "
                    "on 15 December 1995. An upgrade has been under negotiation since 2025."
                ),
                expansion=_("ASEAN Framework Agreement on Intellectual Property Cooperation"),
            ),
            Entry(
                "aspec",
                "ASPEC",
                _(
                    "Patent work-sharing among participating ASEAN offices, which may draw on one another's "
                    "search and examination results; running since 15 June 2009, with Singapore as its "
                    "champion. A task force of the AWGIPC runs it."
                ),
                expansion=_("ASEAN Patent Examination Cooperation"),
                page=("body-detail", {"slug": "aspec-task-force"}),
            ),
            Entry(
                "aniee",
                "ANIEE",
                _(
                    "The network of the member states' enforcement experts that leads the plan's "
                    "enforcement work."
                ),
                expansion=_("ASEAN Network of IP Enforcement Experts"),
                page=("body-detail", {"slug": "aniee"}),
            ),
            Entry(
                "ipawg",
                "IPAWG",
                _("The working group that steers the ASEAN IP Academy, which trains the offices' staff."),
                expansion=_("ASEAN IP Academy Working Group"),
                page=("body-detail", {"slug": "ip-academy-working-group"}),
            ),
            Entry(
                "tisc",
                "TISC",
                _(
                    "A centre, often in a university or research institute, that helps inventors and firms "
                    "use patent information; the ASEAN TISC network links them."
                ),
                expansion=_("Technology and Innovation Support Center"),
            ),
        ),
    ),
    Section(
        "section-partners",
        _("Partners"),
        (
            Entry(
                "wipo",
                "WIPO",
                _(
                    "The United Nations agency for intellectual property, which runs the PCT, Madrid and "
                    "Hague systems. It has worked with ASEAN since 1993 and built the ASEAN IP Register."
                ),
                expansion=_("World Intellectual Property Organization"),
                page=("partner-detail", {"slug": "wipo"}),
            ),
            Entry(
                "euipo",
                "EUIPO",
                _(
                    "The European Union's office for trade marks and designs, which implements the EU's IP "
                    "cooperation programmes with ASEAN (ECAP III, ARISE+ IPR and their successors)."
                ),
                expansion=_("European Union Intellectual Property Office"),
                page=("partner-detail", {"slug": "euipo"}),
            ),
            Entry(
                "epo",
                "EPO",
                _(
                    "The patent office of the European Patent Organisation, which signed a regional "
                    "memorandum of cooperation with the ASEAN IP offices in 2014."
                ),
                expansion=_("European Patent Office"),
                page=("partner-detail", {"slug": "epo"}),
            ),
            Entry(
                "jpo",
                "JPO",
                _(
                    "Japan's IP office, which agrees joint IP action plans with the ASEAN offices at yearly "
                    "heads-of-office meetings."
                ),
                expansion=_("Japan Patent Office"),
                page=("partner-detail", {"slug": "jpo"}),
            ),
            Entry(
                "kipo",
                "KIPO",
                _(
                    "Korea's IP office, which signed a memorandum of cooperation with the ten ASEAN IP "
                    "offices in 2018. On 1 October 2025 it became a ministry, the Ministry of Intellectual "
                    "Property (MOIP)."
                ),
                expansion=_("Korean Intellectual Property Office"),
                aliases=(("MOIP", _("Ministry of Intellectual Property (formerly KIPO)")),),
                page=("partner-detail", {"slug": "kipo"}),
            ),
            Entry(
                "iponz",
                "IPONZ",
                _(
                    "New Zealand's IP office, which works with ASEAN together with IP Australia through the "
                    "AANZFTA economic cooperation work programme."
                ),
                expansion=_("Intellectual Property Office of New Zealand"),
                page=("partner-detail", {"slug": "iponz"}),
            ),
            Entry(
                "cnipa",
                "CNIPA",
                _(
                    "China's IP administration, called the State Intellectual Property Office (SIPO) until "
                    "2018. It meets the ASEAN offices every year under a 2009 memorandum of understanding."
                ),
                expansion=_("China National Intellectual Property Administration (formerly SIPO)"),
                aliases=(("SIPO", _("State Intellectual Property Office (now CNIPA)")),),
                page=("partner-detail", {"slug": "cnipa"}),
            ),
            Entry(
                "uspto",
                "USPTO",
                _(
                    "The United States' patent and trade mark office, which runs training for ASEAN offices "
                    "under an arrangement with the ASEAN Secretariat."
                ),
                expansion=_("United States Patent and Trademark Office"),
                page=("partner-detail", {"slug": "uspto"}),
            ),
            Entry(
                "inta",
                "INTA",
                _(
                    "A worldwide association of trade mark owners and practitioners that addresses the "
                    "AWGIPC."
                ),
                expansion=_("International Trademark Association"),
                page=("partner-detail", {"slug": "inta"}),
            ),
            Entry(
                "icc-bascap",
                "ICC BASCAP",
                _(
                    "A business initiative of the International Chamber of Commerce against counterfeiting "
                    "and piracy."
                ),
                expansion=_("ICC Business Action to Stop Counterfeiting and Piracy"),
                page=("partner-detail", {"slug": "icc-bascap"}),
            ),
            Entry(
                "asean-ipa",
                "ASEAN IPA",
                _(
                    "The regional association of IP practitioners, which holds a yearly meeting with the "
                    "AWGIPC."
                ),
                expansion=_("ASEAN Intellectual Property Association"),
                page=("partner-detail", {"slug": "asean-ipa"}),
            ),
        ),
    ),
    Section(
        "section-agreements",
        _("Treaties, reports and programmes"),
        (
            Entry(
                "wto",
                "WTO",
                _(
                    "The organisation of the world's trading nations, whose TRIPS Council reviews technical "
                    "cooperation on intellectual property every year."
                ),
                expansion=_("World Trade Organization"),
            ),
            Entry(
                "trips",
                "TRIPS",
                _(
                    "The WTO agreement setting minimum standards for protecting and enforcing intellectual "
                    "property."
                ),
                expansion=_("Agreement on Trade-Related Aspects of Intellectual Property Rights"),
                see=("trips-article-67",),
            ),
            Entry(
                "trips-article-67",
                gettext_noop("TRIPS Article 67"),
                _(
                    "The article of the TRIPS agreement under which developed-country WTO Members give "
                    "developing and least-developed Members technical and financial cooperation, such as "
                    "help with drafting laws and with setting up and training IP offices. Those Members "
                    "describe their programmes to the TRIPS Council every year: in the IP/C/W/ document "
                    "series until 2019, and from 2020 in IP/C/R/TC/ followed by the Member's code. The "
                    "tracker assembles each partner's yearly report."
                ),
                aliases=(("Article 67", ""),),
            ),
            Entry(
                "pct",
                "PCT",
                _(
                    "The WIPO treaty that lets an applicant seek patent protection in many countries with "
                    "one international application."
                ),
                expansion=_("Patent Cooperation Treaty"),
            ),
            Entry(
                "madrid-protocol",
                gettext_noop("Madrid Protocol"),
                _(
                    "The WIPO treaty that lets a trade mark owner seek protection in many countries with "
                    "one international application (the Madrid System)."
                ),
                in_text=False,
            ),
            Entry(
                "hague-agreement",
                gettext_noop("Hague Agreement"),
                _(
                    "The WIPO treaty for registering industrial designs internationally; the plan counts "
                    "accession to its 1999 Geneva Act."
                ),
                in_text=False,
            ),
            Entry(
                "ecap",
                "ECAP",
                _(
                    "The European Union's IP cooperation programmes with ASEAN: ECAP I, the Patents and "
                    "Trademarks Programme (1993-1997), ECAP II (from 2000) and ECAP III (2009-2015), which "
                    "produced the regional trade mark, design and GI databases."
                ),
                expansion=_("EC-ASEAN Intellectual Property Rights Cooperation Programme"),
            ),
            Entry(
                "arise-plus-ipr",
                "ARISE+ IPR",
                _(
                    "The intellectual property part of the EU's ASEAN Regional Integration Support "
                    "programme, run by the EUIPO from 2018."
                ),
                expansion=_("ASEAN Regional Integration Support from the EU – Intellectual Property Rights"),
            ),
            Entry(
                "aanzfta",
                "AANZFTA",
                _(
                    "The free trade area of ASEAN, Australia and New Zealand, whose IP committee and "
                    "economic cooperation work programme fund IP work in the region."
                ),
                expansion=_("ASEAN-Australia-New Zealand Free Trade Area"),
            ),
            Entry(
                "mou",
                "MoU",
                _(
                    "A written agreement to cooperate that creates no binding obligations; some partners "
                    "call it a memorandum of cooperation (MoC)."
                ),
                expansion=_("memorandum of understanding"),
                aliases=(("MoC", _("memorandum of cooperation")),),
            ),
        ),
    ),
    Section(
        "section-ip",
        _("Intellectual property terms"),
        (
            Entry(
                "ip",
                "IP",
                _(
                    "Creations of the mind that the law protects, such as inventions (patents), brands "
                    "(trade marks), designs and creative works (copyright); IPR are the rights themselves."
                ),
                expansion=_("intellectual property"),
                aliases=(("IPR", _("intellectual property rights")),),
                in_text=False,
            ),
            Entry(
                "gi",
                "GI",
                _(
                    "A sign used on products that come from a particular place and owe their qualities or "
                    "reputation to it."
                ),
                expansion=_("geographical indication"),
            ),
            Entry(
                "gr-tk-tce",
                "GR, TK and TCE",
                _(
                    "Genetic resources, traditional knowledge and traditional cultural expressions: what "
                    "communities hold and pass down, whose protection one of the plan's goals covers."
                ),
                expansion=_("genetic resources, traditional knowledge and traditional cultural expressions"),
                aliases=(
                    ("GR", _("genetic resources")),
                    ("TK", _("traditional knowledge")),
                    ("TCE", _("traditional cultural expressions")),
                ),
            ),
            Entry(
                "cmo",
                "CMO",
                _(
                    "An organisation that licenses works and collects and shares out royalties for the "
                    "copyright holders it represents."
                ),
                expansion=_("collective management organisation"),
            ),
            Entry(
                "msme",
                "MSME",
                _(
                    "Micro, small and medium-sized enterprises, which several of the plan's initiatives aim "
                    "to help use IP."
                ),
                expansion=_("micro, small and medium-sized enterprises"),
                aliases=(("MSMEs", _("micro, small and medium-sized enterprises")),),
            ),
        ),
    ),
)

# The other forms of plain terms that templates show with ``{% term %}`` ("strategic goals"), so
# that the catalogs hold them: the tag shows a plain term in the page's language.
SHOWN = (
    gettext_noop("strategic goals"),
    gettext_noop("initiatives"),
    gettext_noop("deliverables"),
    gettext_noop("reporting rounds"),
    gettext_noop("progress updates"),
    gettext_noop("responsible bodies"),
    gettext_noop("state-by-state deliverables"),
    gettext_noop("action plans"),
    gettext_noop("strategic measure"),
    gettext_noop("strategic measures"),
)

ENTRIES = {entry.anchor: entry for section in SECTIONS for entry in section.entries}
BY_SPELLING = {spelling: entry for entry in ENTRIES.values() for spelling in entry.spellings}
# Whole words only, as written, the longest first (so "TRIPS Article 67" wins over "TRIPS").
IN_TEXT = re.compile(
    r"(?<![\w+])("
    + "|".join(
        re.escape(spelling)
        for spelling in sorted(
            (spelling for entry in ENTRIES.values() if entry.in_text for spelling in entry.spellings),
            key=len,
            reverse=True,
        )
    )
    + r")(?![\w+])"
)


def entry_for(spelling):
    """The entry for a term as the site writes it (or one of its other names), or None."""
    return BY_SPELLING.get(spelling)
