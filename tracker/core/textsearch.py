"""Text search, the same for the site's search page and the explorer's text box.

On PostgreSQL: full-text search in English (``websearch_to_tsquery``, so "madrid protocol",
``"exact phrase"``, ``-word`` and ``or`` work as in a web search engine; "trademarks" finds
"trademark"), ranked by relevance, plus any field containing the text as typed, so that part of a
word or a code ("TMv", "8.1") still finds it. On SQLite, which has no such search: every word of
the query must appear, in any case, in one of the fields (``icontains``), and all rows rank alike.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import FloatField, Q, Value

MAX_LENGTH = 200  # characters: longer is not a search, and would cost the database for nothing
CONFIG = "english"


def _contains(fields, text):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return condition


def matching(queryset, query, fields):
    """The rows of ``queryset`` whose ``fields`` match ``query``, annotated with ``search_rank``
    (higher is more relevant; 0 for all rows on SQLite). Order them with it as you need."""
    query = query.strip()
    if connections[queryset.db].vendor == "postgresql":
        vector = SearchVector(*fields, config=CONFIG)
        search = SearchQuery(query, search_type="websearch", config=CONFIG)
        return queryset.annotate(search_vector=vector, search_rank=SearchRank(vector, search)).filter(
            Q(search_vector=search) | _contains(fields, query)
        )
    condition = Q()
    for word in query.split():
        condition &= _contains(fields, word)
    return queryset.annotate(search_rank=Value(0.0, output_field=FloatField())).filter(condition)
