"""Links to the glossary where a term first appears on a page.

``{% term "AWGIPC" %}`` writes a term the template names; ``{% terms_in text %}`` writes text
from the data with the glossary's acronyms marked in it. The first use of an entry on a page
links to its glossary entry, an acronym inside ``<abbr title="what it stands for">``; later uses
on the same page are plain text. What a page has linked is kept for its whole rendering, which
its base template and includes share (each template gets its own layer of the render context,
so it is kept in the bottom one).
"""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from tracker.site.glossary import IN_TEXT, entry_for

register = template.Library()

LINKED = "tracker.site.glossary.linked"  # the render context's set of entries linked so far


def linked_on_page(context):
    page = context.render_context.dicts[0]  # one per rendering of a page, whatever it includes
    return page.setdefault(LINKED, set())


def written(entry, spelling, shown, linked):
    """``shown`` (the entry as ``spelling``), linked to the glossary if the page has not linked it yet."""
    if entry.anchor in linked:
        return conditional_escape(shown)
    linked.add(entry.anchor)
    href = f"{reverse('glossary')}#{entry.anchor}"
    expansion = entry.spellings[spelling]
    if expansion:
        return format_html('<a class="term" href="{}"><abbr title="{}">{}</abbr></a>', href, expansion, shown)
    return format_html('<a class="term" href="{}">{}</a>', href, shown)


@register.simple_tag(takes_context=True)
def term(context, spelling, shown=None):
    """A glossary term the template writes itself: ``{% term "deliverable" "deliverables" %}``
    shows "deliverables", linked to the entry for "deliverable" on its first use on the page. A
    plain term is shown in the page's language (``glossary.SHOWN``), an acronym as it is."""
    entry = entry_for(spelling)
    if entry is None:
        raise ValueError(f"{spelling!r} is not in the glossary (tracker/site/glossary.py).")
    shown = shown or spelling
    if not entry.spellings[spelling]:
        shown = gettext(shown)
    return written(entry, spelling, shown, linked_on_page(context))


@register.simple_tag(takes_context=True)
def terms_in(context, text):
    """``text`` (escaped) with the glossary's acronyms in it linked where they first appear on
    the page: for names and descriptions that come from the data."""
    text = "" if text is None else str(text)
    linked = linked_on_page(context)
    parts, start = [], 0
    for match in IN_TEXT.finditer(text):
        spelling = match.group(1)
        parts += [
            conditional_escape(text[start : match.start()]),
            written(entry_for(spelling), spelling, spelling, linked),
        ]
        start = match.end()
    parts.append(conditional_escape(text[start:]))
    return mark_safe("".join(parts))  # every part is escaped or built by format_html
