"""Checking that evidence links still answer (``manage.py check_evidence_links``, run from cron).

Each distinct address of approved evidence is asked once per run: a HEAD request, then a GET
where a server refuses HEAD. An answer below 400 (after redirects) counts as answered; an error
status, a timeout or a failed connection does not. ``EvidenceLink`` keeps when each address last
answered and since when it has not, and pages say "not reachable since <date>" under such links.
"""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from goals.models import EvidenceLink, ProgressUpdate

RETRY_WITH_GET = {403, 405, 501}  # servers that refuse HEAD, or refuse it differently from GET


@dataclass(frozen=True)
class Outcome:
    url: str
    answered: bool
    problem: str = ""


def addresses():
    """The evidence addresses the public sees: of approved updates, each once."""
    urls = ProgressUpdate.objects.public().exclude(evidence_url="").values_list("evidence_url", flat=True)
    return sorted(set(urls))


def ask(url, timeout):
    """Whether ``url`` answers, and if not, what went wrong, in a few words."""
    headers = {"User-Agent": f"ASEAN IPR Action Plan Tracker link check (+{settings.SITE_URL}/about/)"}
    status = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return Outcome(url, False, f"no answer ({reason})"[:200])
        if status not in RETRY_WITH_GET:
            break
    return Outcome(url, status < 400, "" if status < 400 else f"HTTP {status}")


def check(urls=None, *, timeout=15, workers=8, now=None):
    """Ask every address (``addresses()`` by default) and record the outcome; the outcomes."""
    urls = addresses() if urls is None else urls
    now = now or timezone.now()
    web = [url for url in urls if url.startswith(("http://", "https://"))]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda url: ask(url, timeout), web))
    known = {link.url: link for link in EvidenceLink.objects.filter(url__in=web)}
    for outcome in outcomes:
        link = known.get(outcome.url) or EvidenceLink(url=outcome.url)
        link.checked_at = now
        link.problem = outcome.problem
        if outcome.answered:
            link.answered_at, link.failing_since = now, None
        elif link.failing_since is None:
            link.failing_since = now
        link.save()
    return outcomes


def failing_since():
    """For a queryset of updates (or their history): since when the row's evidence link has
    not answered, or None; as an annotation, so listing updates takes no query more."""
    failing = EvidenceLink.objects.filter(url=OuterRef("evidence_url"), failing_since__isnull=False)
    return Subquery(failing.values("failing_since")[:1])
