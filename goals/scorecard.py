"""The member-state scorecard: each member state's share of a plan's state-by-state deliverables
done, what it still has to do and its latest approved progress.

It reads the plan's figures (``goals.progress``): the deliverables the figures count (not dropped,
and part of the plan at the round shown), the member states they expect to act, and each state's
latest approved update on each deliverable, the same cells as the member-state matrix. A state's
part counts as the figures count it (``goals.progress.state_part``): completed is done, a report
that it was dropped for that state leaves it out, anything else (or no report) is still to do.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext, gettext_lazy

from goals.progress import ApprovedUpdate, Status, round_percent, state_part
from tracker.core.badquery import BadQuery


@dataclass(frozen=True)
class StateScore:
    state: object  # a MemberState
    expected: bool  # expected to act on the plan: it had joined ASEAN by the plan's end
    done: tuple = ()  # the deliverables it has completed
    to_do: tuple = ()  # the deliverables it has still to do
    latest: ApprovedUpdate | None = None  # its latest approved update counted
    latest_deliverable: object = None  # that update's deliverable

    @property
    def total(self):
        return len(self.done) + len(self.to_do)

    @property
    def share(self):
        """The percent of its deliverables done; None when it has none to do."""
        if not self.expected or not self.total:
            return None
        value = round_percent(Decimal(len(self.done)) * 100 / self.total)
        return Decimal("99.9") if value == 100 and self.to_do else value


def score(state, expected, deliverables, latest):
    """A state's score over ``deliverables`` (the state-by-state ones its figures count), from
    ``latest``, its latest approved update on each (``{deliverable_id: update}``)."""
    if not expected:
        return StateScore(state, False)
    done, to_do = [], []
    for deliverable in deliverables:
        part = state_part(state.pk, latest.get(deliverable.pk))
        if part.included:
            (done if part.status == Status.COMPLETED else to_do).append(deliverable)
    counted = [latest[d.pk] for d in deliverables if d.pk in latest]
    newest = max(counted, key=lambda u: (u.reported_on, u.pk), default=None)
    by_pk = {d.pk: d for d in deliverables}
    return StateScore(
        state,
        True,
        tuple(done),
        tuple(to_do),
        newest,
        by_pk[newest.deliverable_id] if newest else None,
    )


def counted_deliverables(data, progress):
    """The plan's state-by-state deliverables its figures count."""
    return [d for d in data.deliverables if d.per_member_state and progress.deliverables[d.pk].included]


def plan_scores(data, progress, states):
    """Each of ``states`` (every member state, by name) with its score on the plan."""
    deliverables = counted_deliverables(data, progress)
    scores = []
    for state in states:
        latest = {d.pk: progress.latest.get((d.pk, state.pk)) for d in deliverables}
        latest = {pk: update for pk, update in latest.items() if update is not None}
        scores.append(score(state, state.pk in progress.expected_states, deliverables, latest))
    return scores


SORTS = {
    "name": gettext_lazy("member state, A to Z"),
    "-name": gettext_lazy("member state, Z to A"),
    "share": gettext_lazy("share done, lowest first"),
    "-share": gettext_lazy("share done, highest first"),
}


def sorted_scores(scores, key):
    """The scores in the order asked for (``SORTS``); states with no share come last."""
    if key not in SORTS:
        offered = "; ".join(f"{name} ({meaning})" for name, meaning in SORTS.items())
        raise BadQuery(
            gettext("Unknown sort %(key)s. The scorecard sorts by %(offered)s.")
            % {"key": repr(key), "offered": offered}
        )
    by_name = sorted(scores, key=lambda s: s.state.name, reverse=key == "-name")
    if key in ("name", "-name"):
        return by_name
    with_share = [s for s in by_name if s.share is not None]
    without = [s for s in by_name if s.share is None]
    return sorted(with_share, key=lambda s: s.share, reverse=key == "-share") + without


def sort_headers(key):
    """For each sortable column: the sort its heading's link asks for next (the share column
    starts with the highest), and its ``aria-sort`` when the table is sorted by it."""
    return {
        "name": {
            "next": "-name" if key == "name" else "name",
            "aria": {"name": "ascending", "-name": "descending"}.get(key),
        },
        "share": {
            "next": "share" if key == "-share" else "-share",
            "aria": {"share": "ascending", "-share": "descending"}.get(key),
        },
    }
