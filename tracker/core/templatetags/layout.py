"""Layout pieces every app's templates share."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_block_tag
def scroll_region(content, *label):
    """A wide table in a box of its own that scrolls sideways on a narrow screen, so the page
    never does. The box is a named region a keyboard can reach (arrow keys then scroll it) and
    a screen reader announces; shadows at its edges show there is more to see. The label's parts
    are joined: ``{% scroll_region "Progress by " plan.goal_term %}`` is named "Table: Progress by
    strategic goal"."""
    # Not the name of the section around it.
    name = gettext("Table: %(name)s") % {"name": "".join(str(part) for part in label)}
    return format_html(
        '<div class="table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>', name, content
    )
