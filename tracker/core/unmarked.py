"""Finds interface text in a template that is not marked for translation.

Used by the test that keeps the marked templates marked (tests/tracker/test_i18n.py) and
by anyone marking a template (``python manage.py shell -c "from tracker.core.unmarked import
report; report('templates/x.html')"``). A template's text is read as the browser would see
it, Django's tags and variables replaced by a placeholder; what ``{% translate %}`` and
``{% blocktranslate %}`` enclose, comments, scripts, styles and code (``<code>``, ``<kbd>``,
``<samp>``, ``<pre>``) are left out. What remains is
interface text needing translation when it holds a word of two letters or more that is not in
``KEPT_AS_IS``: the element's text, the attributes people read or hear (``alt``, ``title``,
``aria-label``, ``placeholder``, ``content`` of a page's description and share tags), and quoted
text given to a tag or a filter (``|default:"No data"``), unless it reads as code (a single
lowercase word, a path, a format).
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# Proper nouns, acronyms and codes kept as they are in every language, in one place.
KEPT_AS_IS = frozenset(
    {
        "ASEAN",
        "AWGIPC",
        "IPR",
        "IP",
        "CSV",
        "JSON",
        "API",
        "OpenAPI",
        "SVG",
        "XLSX",
        "Atom",
        "CC",
        "BY",
        "WIPO",
        "EUIPO",
        "ECAP",
        "ARISE",
        "GitHub",
        "SPDX",
        "ZIP",
        "PDF",
        "DOI",
        "SHA",
        "HTML",
        "Excel",
    }
)

PLACEHOLDER = "\x00"
# Elements whose text is code (file names, commands), not words to translate.
NOT_READ_AS_TEXT = {"script", "style", "code", "kbd", "samp", "pre"}
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description", "aria-roledescription"}
META_READ = re.compile(r"(description|title|alt|site_name)$")
WORD = re.compile(r"[^\W\d_]{2,}")
QUOTED = re.compile(r"""(?:"([^"]*)"|'([^']*)')""")
# Tags whose quoted arguments name things (templates, URLs, blocks) or are compared, never text
# people read.
CODE_TAGS = {
    "url",
    "include",
    "extends",
    "load",
    "block",
    "static",
    "now",
    "translate",
    "trans",
    "if",
    "elif",
    # A glossary term's spelling, the key of its entry (tracker/site/glossary.py), which holds
    # the words: translating the glossary is a step of its own.
    "term",
}


def needs_translation(text):
    """The words of ``text`` that are not kept as they are, if any."""
    # A file's extension ("{{ name }}.csv") is code, as are the words of an address.
    text = re.sub(r"(?<=\S)\.[A-Za-z0-9]+\b|https?://\S+", " ", text)
    text = html.unescape(text.replace(PLACEHOLDER, " "))
    return [word for word in WORD.findall(text) if word not in KEPT_AS_IS]


def reads_as_code(literal):
    return bool(
        re.fullmatch(r"[a-z0-9_\-./:#?=&%]*|[a-zA-Z0-9_\-./:#?=&%]*[/._:][a-zA-Z0-9_\-./:#?=&%]*", literal)
    ) or (
        # a date format ("j F Y") or a single letter
        bool(re.fullmatch(r"[A-Za-z](?:[\s,./:\-\\]+[A-Za-z]?)*", literal)) and not WORD.search(literal)
    )


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_READ_AS_TEXT:
            self.skipping += 1
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            is_read = (
                name in READ_ATTRIBUTES
                or (
                    tag == "meta"
                    and name == "content"
                    and META_READ.search(attributes.get("name") or attributes.get("property") or "")
                )
                or (tag == "input" and name == "value" and attributes.get("type") in ("submit", "button"))
            )
            if is_read and needs_translation(value):
                self.found.append(value.strip())

    def handle_endtag(self, tag):
        if tag in NOT_READ_AS_TEXT and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and needs_translation(data):
            self.found.append(" ".join(data.split()))

    def handle_entityref(self, name):
        pass

    def handle_charref(self, name):
        pass


def unmarked(source):
    """The pieces of interface text in a template's source that are not marked for translation."""
    found, parts, skip_until = [], [], None
    for token in Lexer(source).tokenize():
        content = token.contents
        if skip_until:
            if token.token_type == TokenType.BLOCK and content.split()[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(content)
            continue
        if token.token_type == TokenType.COMMENT:
            continue
        # A variable stands for text; a tag for nothing (it may sit inside an element's tag).
        parts.append(PLACEHOLDER if token.token_type == TokenType.VAR else " ")
        name = content.split()[0] if content.split() else ""
        if token.token_type == TokenType.BLOCK:
            if name in ("blocktranslate", "blocktrans"):
                skip_until = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
                continue
            if name == "comment":
                skip_until = "endcomment"
                continue
            if name in CODE_TAGS or name.startswith("end"):
                continue
        for double, single in QUOTED.findall(content):
            literal = double or single
            if literal and not reads_as_code(literal) and needs_translation(literal):
                found.append(literal)
    reader = _Reader()
    reader.feed("".join(parts))
    reader.close()
    return reader.found + found


def report(path):
    """Print what a template still has unmarked (for people marking it)."""
    for piece in unmarked(Path(path).read_text()):
        print(piece)
