"""Content in the page's language where a translation is entered (``goals.models.Translatable``).

``{% translated record "title" %}`` writes the record's title in the page's language, else the
English title inside ``<span lang="en">`` so that screen readers read it with an English voice.
On an English page it is the title as before, with nothing around it.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def translated(record, field):
    language = get_language()
    translate = getattr(record, "translated", None)
    if translate is None:  # a record with no translations: its English words
        return getattr(record, field)
    text, shown_in = translate(field, language)
    if shown_in == language:
        return text
    return format_html('<span lang="{}">{}</span>', shown_in, text)
