"""Importing CSV in the export format: progress updates and indicator values (for reporters) and
deliverables (plan structure, for the secretariat).

A file is read in full and every row checked first (the preview); nothing is written unless
every row is valid, and then all rows are written in one transaction. Rows are matched to
existing records by their codes, so importing an exported file again changes nothing. A
reporter can import only the rows it could enter by hand (``tracker.core.access``), and imported
progress enters the review workflow as submitted, never approved.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from goals import exports, rounds, workflow
from goals.access import indicator_reporting_of, reporting_of
from goals.models import (
    ActionPlan,
    Deliverable,
    Indicator,
    IndicatorValue,
    Initiative,
    MemberState,
    ProgressUpdate,
    ReportingRound,
)
from tracker.core import access
from tracker.core.csvsafe import EXTRA_CELLS, UnreadableCSV, read_csv_text
from tracker.core.parsing import error_messages, yes_or_no

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong encoding, missing columns)."""


@dataclass
class RowResult:
    line: int
    action: str = UNCHANGED
    label: str = ""
    errors: list = field(default_factory=list)
    values: dict = field(default_factory=dict)
    instance: object = None

    def fail(self, message):
        self.errors.append(message)
        self.action = ERROR


def read_csv(uploaded, required):
    """The rows of an uploaded CSV as dicts of cells exactly as exported (``tracker.core.csvsafe``
    undoes its own escaping), with the line each came from; and the file's text."""
    raw = uploaded.read() if hasattr(uploaded, "read") else uploaded
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")) from None
    if "\x00" in text:  # no database keeps it in text (PostgreSQL refuses it)
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(
            _("Line %(line)s holds a NUL character, which is not text. Nothing was imported.")
            % {"line": line}
        )
    try:
        rows, header = read_csv_text(text)
    except UnreadableCSV as error:
        raise ImportFileError(str(error)) from None
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(
            _("The file lacks the column(s): %(columns)s. Start from a CSV downloaded from the site.")
            % {"columns": ", ".join(missing)}
        )
    return rows, text


def _key(row, column):
    """A code or name that identifies something: surrounding spaces are not part of it."""
    return row.get(column, "").strip()


def _date(row, column, result):
    try:
        return datetime.date.fromisoformat(row[column].strip())
    except ValueError:
        result.fail(
            _("%(column)s must be a date written YYYY-MM-DD, not %(given)r.")
            % {"column": column, "given": row[column]}
        )


def _flag(row, column, result):
    answer = yes_or_no(row.get(column, ""))
    if answer is None:
        result.fail(
            _("%(column)s must be true or false, not %(given)r.") % {"column": column, "given": row[column]}
        )
    return answer


def _whole(row, column, result, low=None, high=None, required=True):
    value = _key(row, column)
    if not value:
        if required:
            result.fail(_("%(column)s is empty.") % {"column": column})
        return None
    try:
        number = Decimal(value)
        if not number.is_finite() or number != number.to_integral_value():
            raise InvalidOperation
        number = int(number)
    except InvalidOperation:
        result.fail(
            _("%(column)s must be a whole number, not %(given)r.") % {"column": column, "given": value}
        )
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        result.fail(
            _("%(column)s must be from %(low)s to %(high)s, not %(given)s.")
            % {"column": column, "low": low, "high": high, "given": number}
        )
        return None
    return number


class ProgressImport:
    """Progress updates, in the columns of progress_updates.csv."""

    title = "progress updates"
    required = [
        "plan",
        "deliverable_code",
        "member_state",
        "status",
        "percent_complete",
        "reported_on",
        "reporting_round",
    ]
    compared = [
        "status",
        "percent_complete",
        "reported_on_precision",
        "narrative",
        "evidence_url",
        "provisional",
        "provisional_note",
    ]
    header = exports.progress_updates.header

    def __init__(self, user):
        self.user = user
        self.plans = {p.slug: p for p in ActionPlan.objects.all()}
        self.deliverables = {
            (d.initiative.plan.slug, d.code): d
            for d in Deliverable.objects.select_related("initiative__plan")
        }
        self.states = {s.iso_code: s for s in MemberState.objects.all()}
        self.rounds = {(r.plan.slug, r.name): r for r in ReportingRound.objects.select_related("plan")}
        self._existing = None

    def existing(self, deliverable, state, reporting_round, reported_on):
        """The update a row would change: one the user can see (approved, or in its scope) with
        the same deliverable, state, round and date. Every update is read once per file."""
        if self._existing is None:
            visible = access.scope(ProgressUpdate.objects.all(), self.user).values("pk")
            candidates = ProgressUpdate.objects.filter(
                Q(review_state=ProgressUpdate.ReviewState.APPROVED) | Q(pk__in=visible)
            ).order_by("-pk")  # of several, the latest stored, as before
            self._existing = {}
            for update in candidates:
                key = (update.deliverable_id, update.member_state_id, update.round_id, update.reported_on)
                self._existing.setdefault(key, update)
        return self._existing.get(
            (deliverable.pk, state.pk if state else None, reporting_round.pk if reporting_round else None,
             reported_on)
        )  # fmt: skip

    def check(self, line, row):
        code, iso = _key(row, "deliverable_code"), _key(row, "member_state")
        result = RowResult(line, label=f"{code} {iso}".strip())
        plan = self.plans.get(_key(row, "plan"))
        if plan is None:
            result.fail(_("Unknown plan %(plan)r.") % {"plan": row["plan"]})
            return result
        deliverable = self.deliverables.get((plan.slug, code))
        if deliverable is None:
            result.fail(
                _("The plan %(plan)s has no deliverable %(code)r.") % {"plan": plan.slug, "code": code}
            )
            return result
        secretariat = access.is_secretariat(self.user)
        if not secretariat and deliverable.pk not in reporting_of(self.user).deliverables:
            result.fail(
                _("You do not report on %(code)s: only its responsible bodies and the secretariat do.")
                % {"code": deliverable.code}
            )
        state = None
        if iso:
            state = self.states.get(iso.upper())
            if state is None:
                result.fail(
                    _("Unknown member state %(state)r: use its two-letter ISO code.")
                    % {"state": row["member_state"]}
                )
            elif not secretariat and not reporting_of(self.user).allows(deliverable, state.pk):
                result.fail(
                    _("You do not report for %(state)s on %(item)s.")
                    % {"state": state.name, "item": deliverable.code}
                )
        reporting_round = None
        if row["reporting_round"]:
            reporting_round = self.rounds.get((plan.slug, row["reporting_round"]))
            if reporting_round is None:
                result.fail(
                    _("The plan %(plan)s has no reporting round named %(round)r.")
                    % {"plan": plan.slug, "round": row["reporting_round"]}
                )
        status = _key(row, "status")
        if status not in ProgressUpdate.Status.values:
            choices = ", ".join(ProgressUpdate.Status.values)
            result.fail(
                _("status must be one of %(choices)s, not %(given)r.")
                % {"choices": choices, "given": row["status"]}
            )
        values = {
            "deliverable": deliverable,
            "member_state": state,
            "round": reporting_round,
            "status": status,
            "percent_complete": _whole(row, "percent_complete", result, 0, 100),
            "reported_on": _date(row, "reported_on", result),
            "reported_on_precision": _key(row, "reported_on_precision") or "day",
            "narrative": row.get("narrative", ""),
            "evidence_url": _key(row, "evidence_url"),
            "provisional": _flag(row, "provisional", result),
            "provisional_note": row.get("provisional_note", ""),
        }
        if result.errors:
            return result
        # Someone else's draft is not found: this row is then a new report of one's own.
        existing = self.existing(deliverable, state, reporting_round, values["reported_on"])
        if existing is not None and all(getattr(existing, f) == values[f] for f in self.compared):
            result.action, result.instance = UNCHANGED, existing
            return result
        if existing is not None and workflow.is_locked(existing):
            result.fail(
                _(
                    "It would change an update that is %(state)s and locked; "
                    "record a new update with another date instead."
                )
                % {"state": existing.get_review_state_display().lower()}
            )
            return result
        if reporting_round is None:
            result.fail(_("reporting_round is empty: name the open round this progress is reported in."))
            return result
        if reporting_round.state != ReportingRound.State.OPEN:
            result.fail(_("The round %(round)s is not open for reporting.") % {"round": reporting_round.name})
            return result
        instance = existing or ProgressUpdate(submitted_by=self.user)
        for name, value in values.items():
            setattr(instance, name, value)
        if not access.may_write(self.user, instance):
            result.fail(_("You may not record this progress."))
            return result
        try:
            # The related records come from the lookups above, and the database's check
            # constraints repeat rules the model's clean() and the bounds above already apply:
            # neither needs a query per row.
            instance.full_clean(exclude=["submitted_by", "deliverable", "member_state", "round"],
                                validate_constraints=False)  # fmt: skip
        except ValidationError as error:
            for message in error_messages(error):
                result.fail(message)
            return result
        result.action, result.instance, result.values = (UPDATE if existing else CREATE), instance, values
        return result

    def write_all(self, results):
        """Every checked row goes to the secretariat for review, saved once each."""
        workflow.submit_imported([result.instance for result in results], by=self.user)


def my_rows(bodies, today):
    """The file a focal point starts an import from: one row per report ``bodies`` owe in the
    open rounds (``goals.rounds.due_rows``, the rule of My deliverables and missing reports), in
    ``ProgressImport.header``'s columns, with the round, today's date and, where one is
    approved, the latest status, percent and evidence filled in, as the admin's form does."""
    for row in rounds.due_rows(bodies):
        latest = row.latest_approved
        values = {
            "plan": row.reporting_round.plan.slug,
            "deliverable_code": row.deliverable.code,
            "deliverable_title": row.deliverable.title,
            "member_state": row.member_state.iso_code if row.member_state else "",
            "status": latest.status if latest else "",
            "percent_complete": latest.percent_complete if latest else None,
            "reported_on": today,
            "reported_on_precision": ProgressUpdate.DatePrecision.DAY.value,
            "reporting_round": row.reporting_round.name,
            "evidence_url": latest.evidence_url if latest else "",
            "provisional": False,
            "is_sample": False,
        }
        yield [values.get(column, "") for column in ProgressImport.header]


class DeliverableImport:
    """Plan structure: deliverables, in the columns of deliverables.csv (computed columns ignored)."""

    title = "deliverables"
    required = [
        "plan",
        "initiative_number",
        "deliverable_code",
        "title",
        "kind",
        "per_member_state",
        "weight",
    ]
    compared = [
        "title",
        "kind",
        "per_member_state",
        "planned_start",
        "planned_end",
        "weight",
        "dropped_in",
        "url",
        "provisional",
        "provisional_note",
        "source_url",
    ]
    header = exports.deliverables.header

    def __init__(self, user):
        if not access.is_secretariat(user):
            raise PermissionDenied(_("Only the secretariat imports plan structure."))
        self.user = user
        self.initiatives = {(i.plan.slug, i.number): i for i in Initiative.objects.select_related("plan")}

    def check(self, line, row):
        code = _key(row, "deliverable_code")
        result = RowResult(line, label=code)
        number = _whole(row, "initiative_number", result, 1)
        initiative = self.initiatives.get((_key(row, "plan"), number))
        if number is not None and initiative is None:
            result.fail(
                _("The plan %(plan)r has no initiative %(number)s.") % {"plan": row["plan"], "number": number}
            )
        values = {
            "title": row["title"],
            "kind": _key(row, "kind"),
            "per_member_state": _flag(row, "per_member_state", result),
            "planned_start": _date(row, "planned_start", result) if _key(row, "planned_start") else None,
            "planned_end": _date(row, "planned_end", result) if _key(row, "planned_end") else None,
            "weight": None,
            "dropped_in": row.get("dropped_in", ""),
            "url": _key(row, "url"),
            "provisional": _flag(row, "provisional", result),
            "provisional_note": row.get("provisional_note", ""),
            "source_url": _key(row, "source_url"),
        }
        try:
            values["weight"] = Decimal(_key(row, "weight") or "1")
            if not values["weight"].is_finite():
                raise InvalidOperation
        except InvalidOperation:
            result.fail(_("weight must be a number, not %(given)r.") % {"given": row["weight"]})
        if result.errors:
            return result
        existing = Deliverable.objects.filter(initiative=initiative, code=code).first()
        if existing is not None and all(getattr(existing, f) == values[f] for f in self.compared):
            result.action, result.instance = UNCHANGED, existing
            return result
        instance = existing or Deliverable(initiative=initiative, code=code)
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            instance.full_clean()
        except ValidationError as error:
            for message in error_messages(error):
                result.fail(message)
            return result
        result.action, result.instance = (UPDATE if existing else CREATE), instance
        return result

    def write_all(self, results):
        for result in results:
            result.instance._change_reason = "Imported from CSV"
            result.instance.save()


class IndicatorValueImport:
    """Values of typed indicators, in the columns of indicator_values.csv; they enter the review
    workflow as submitted, as progress does."""

    title = "indicator values"
    required = ["plan", "indicator", "member_state", "measured_on", "value", "reporting_round", "source_url"]
    compared = ["value", "measured_on", "source_url", "note"]
    header = exports.indicator_values.header

    def __init__(self, user):
        self.user = user
        self.plans = {p.slug: p for p in ActionPlan.objects.all()}
        self.indicators = {(i.plan.slug, i.slug): i for i in Indicator.objects.select_related("plan")}
        self.states = {s.iso_code: s for s in MemberState.objects.all()}
        self.rounds = {(r.plan.slug, r.name): r for r in ReportingRound.objects.select_related("plan")}
        visible = access.scope(IndicatorValue.objects.all(), user).values("pk")
        self.existing = {
            (v.indicator_id, v.member_state_id, v.round_id): v
            for v in IndicatorValue.objects.filter(
                Q(review_state=IndicatorValue.ReviewState.APPROVED) | Q(pk__in=visible), round__isnull=False
            ).order_by("pk")
        }

    def check(self, line, row):
        slug, iso = _key(row, "indicator"), _key(row, "member_state")
        result = RowResult(line, label=f"{slug} {iso}".strip())
        plan = self.plans.get(_key(row, "plan"))
        if plan is None:
            result.fail(_("Unknown plan %(plan)r.") % {"plan": row["plan"]})
            return result
        indicator = self.indicators.get((plan.slug, slug))
        if indicator is None:
            result.fail(_("The plan %(plan)s has no indicator %(slug)r.") % {"plan": plan.slug, "slug": slug})
            return result
        if indicator.is_computed:
            result.fail(
                _("%(indicator)s is computed from the tracker's records: its values are never typed in.")
                % {"indicator": indicator.name}
            )
            return result
        secretariat = access.is_secretariat(self.user)
        if not secretariat and indicator.pk not in indicator_reporting_of(self.user).indicators:
            result.fail(
                _("You do not report on %(indicator)s: only the bodies responsible and the secretariat do.")
                % {"indicator": indicator.name}
            )
        state = None
        if iso:
            state = self.states.get(iso.upper())
            if state is None:
                result.fail(
                    _("Unknown member state %(state)r: use its two-letter ISO code.")
                    % {"state": row["member_state"]}
                )
            elif not secretariat and not indicator_reporting_of(self.user).allows(indicator, state.pk):
                result.fail(
                    _("You do not report for %(state)s on %(item)s.")
                    % {"state": state.name, "item": indicator.name}
                )
        reporting_round = self.rounds.get((plan.slug, row["reporting_round"].strip()))
        if not row["reporting_round"].strip():
            result.fail(_("reporting_round is empty: name the open round this value is reported in."))
        elif reporting_round is None:
            result.fail(
                _("The plan %(plan)s has no reporting round named %(round)r.")
                % {"plan": plan.slug, "round": row["reporting_round"]}
            )
        elif reporting_round.state != ReportingRound.State.OPEN:
            result.fail(_("The round %(round)s is not open for reporting.") % {"round": reporting_round.name})
        number = _key(row, "value")
        try:
            value = Decimal(number)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            result.fail(_("value must be a number, not %(given)r.") % {"given": row["value"]})
            value = None
        values = {
            "indicator": indicator,
            "member_state": state,
            "round": reporting_round,
            "value": value,
            "measured_on": _date(row, "measured_on", result),
            "source_url": _key(row, "source_url"),
            "note": row.get("note", ""),
        }
        if result.errors:
            return result
        existing = self.existing.get((indicator.pk, state.pk if state else None, reporting_round.pk))
        if existing is not None and all(getattr(existing, f) == values[f] for f in self.compared):
            result.action, result.instance = UNCHANGED, existing
            return result
        if existing is not None and workflow.is_locked(existing):
            result.fail(
                _(
                    "This round already has a value that is %(state)s and "
                    "locked; ask the secretariat to un-approve it to correct it."
                )
                % {"state": existing.get_review_state_display().lower()}
            )
            return result
        instance = existing or IndicatorValue(submitted_by=self.user)
        for name, given in values.items():
            setattr(instance, name, given)
        if not access.may_write(self.user, instance):
            result.fail(_("You may not record this value."))
            return result
        try:
            instance.full_clean(exclude=["submitted_by", "indicator", "member_state", "round"])
        except ValidationError as error:
            for message in error_messages(error):
                result.fail(message)
            return result
        result.action, result.instance, result.values = (UPDATE if existing else CREATE), instance, values
        return result

    def write_all(self, results):
        """Every checked row goes to the secretariat for review, saved once each."""
        workflow.submit_imported([result.instance for result in results], by=self.user)


def preview(importer, uploaded):
    """Check every row; returns the results and the file's text (to confirm without re-uploading)."""
    rows, text = read_csv(uploaded, importer.required)
    if not rows:
        raise ImportFileError(_("The file has a header but no rows."))
    results = []
    for line, row in rows:
        if EXTRA_CELLS in row:
            result = RowResult(line)
            result.fail(
                _("This row has %(count)s cell(s) more than the header has columns.")
                % {"count": len(row[EXTRA_CELLS])}
            )
            results.append(result)
        else:
            results.append(importer.check(line, row))
    first_line = {}
    for result in results:
        if result.action != CREATE:
            continue
        key = (result.label, str(result.values.get("reported_on", "")), str(result.values.get("round", "")))
        if key in first_line:
            result.fail(_("The same row appears twice (first on line %(line)s).") % {"line": first_line[key]})
        first_line.setdefault(key, result.line)
    return results, text


@transaction.atomic
def apply(importer, text):
    """Check the file again and write every row, or nothing if any row fails."""
    results, _text = preview(importer, text)
    if any(result.action == ERROR for result in results):
        transaction.set_rollback(True)
        return results, False
    importer.write_all([result for result in results if result.action in (CREATE, UPDATE)])
    return results, True
