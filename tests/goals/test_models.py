"""The rules the database holds: bad data is refused by the database itself, and by model
validation with a message a person can act on."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goals.models import Body, Initiative, ProgressUpdate, Responsibility
from tests.factories import (
    make_body,
    make_deliverable,
    make_goal,
    make_initiative,
    make_member_state,
    make_plan,
    make_round,
    make_update,
)

pytestmark = pytest.mark.django_db


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def messages(error):
    return " ".join(m for ms in error.value.message_dict.values() for m in ms)


class TestProgressPercent:
    def test_database_refuses_percent_over_100(self):
        refused_by_database(lambda: make_update(percent_complete=150))

    def test_validation_explains_percent_over_100(self):
        update = make_update()
        update.percent_complete = 150
        with pytest.raises(ValidationError) as error:
            update.full_clean()
        assert "less than or equal to 100" in messages(error)

    def test_database_refuses_completed_below_100(self):
        refused_by_database(lambda: make_update(status=ProgressUpdate.Status.COMPLETED, percent_complete=60))

    def test_validation_explains_completed_means_100(self):
        update = make_update()
        update.status, update.percent_complete = ProgressUpdate.Status.COMPLETED, 60
        with pytest.raises(ValidationError) as error:
            update.full_clean()
        assert "completed deliverable is 100 %" in messages(error)

    def test_empty_percent_is_implied_by_completed_and_not_started(self):
        update = make_update()
        for status, implied in [("completed", 100), ("not_started", 0)]:
            update.status, update.percent_complete = status, None
            update.full_clean()
            assert update.percent_complete == implied

    def test_in_progress_needs_a_percent(self):
        update = make_update()
        update.percent_complete = None
        with pytest.raises(ValidationError) as error:
            update.full_clean()
        assert "Give the percent complete" in messages(error)


class TestMemberStateRows:
    def test_per_member_state_deliverable_needs_a_state(self):
        update = make_update(deliverable=make_deliverable(per_member_state=True))
        with pytest.raises(ValidationError) as error:
            update.full_clean()
        assert "tracked per member state" in messages(error)

    def test_plain_deliverable_refuses_a_state(self):
        update = make_update(member_state=make_member_state())
        with pytest.raises(ValidationError) as error:
            update.full_clean()
        assert "leave the member state empty" in messages(error)

    def test_round_of_another_plan_is_refused(self):
        update = make_update(round=make_round())
        with pytest.raises(ValidationError) as error:
            update.full_clean()
        assert "another plan" in messages(error)


class TestUniqueNumbersAndCodes:
    def test_goal_numbers_are_unique_per_plan(self):
        goal = make_goal(number=1)
        refused_by_database(lambda: make_goal(plan=goal.plan, number=1))
        make_goal(number=1)  # another plan may reuse the number

    def test_initiative_numbers_are_unique_across_the_goals_of_a_plan(self):
        plan = make_plan()
        make_initiative(goal=make_goal(plan=plan), number=7)
        other_goal = make_goal(plan=plan)
        refused_by_database(lambda: make_initiative(goal=other_goal, number=7))
        duplicate = Initiative(goal=other_goal, number=7, title="Same number")
        with pytest.raises(ValidationError, match="already has an initiative with this number"):
            duplicate.full_clean()

    def test_initiative_takes_its_plan_from_its_goal(self):
        goal = make_goal()
        assert make_initiative(goal=goal).plan == goal.plan

    def test_deliverable_codes_are_unique_per_initiative(self):
        deliverable = make_deliverable(code="9.1")
        refused_by_database(lambda: make_deliverable(initiative=deliverable.initiative, code="9.1"))
        make_deliverable(code="9.1")  # another initiative may reuse the code

    def test_iso_codes_are_unique(self):
        refused_by_database(lambda: make_member_state(iso_code="SG"))

    def test_iso_code_must_be_two_capitals(self):
        state = make_member_state()
        state.iso_code = "sgp"
        with pytest.raises(ValidationError) as error:
            state.full_clean()
        assert "two capital letters" in messages(error)


class TestPeriods:
    def test_plan_cannot_end_before_it_starts(self):
        refused_by_database(lambda: make_plan(start_year=2030, end_year=2020))

    def test_round_cannot_close_before_it_opens(self):
        refused_by_database(
            lambda: make_round(opens_on=datetime.date(2026, 5, 1), closes_on=datetime.date(2026, 4, 1))
        )

    def test_deliverable_end_before_start_is_explained(self):
        deliverable = make_deliverable()
        deliverable.planned_start, deliverable.planned_end = (
            datetime.date(2026, 5, 1),
            datetime.date(2026, 1, 1),
        )
        with pytest.raises(ValidationError) as error:
            deliverable.full_clean()
        assert "planned end cannot come before the planned start" in messages(error)


class TestBodiesAndResponsibilities:
    def test_ip_office_must_belong_to_a_member_state(self):
        refused_by_database(lambda: make_body(kind=Body.Kind.IP_OFFICE))

    def test_responsibility_points_at_one_target(self):
        deliverable = make_deliverable()
        body = make_body()
        refused_by_database(
            lambda: Responsibility.objects.create(
                body=body, initiative=deliverable.initiative, deliverable=deliverable, role="lead"
            )
        )
        refused_by_database(lambda: Responsibility.objects.create(body=body, role="lead"))

    def test_provisional_record_needs_a_note(self):
        initiative = make_initiative(provisional=True)
        with pytest.raises(ValidationError) as error:
            initiative.full_clean()
        assert "Say what is known" in messages(error)


class TestNaturalSortKey:
    """Deliverables keep their code's natural sort key however they are written."""

    def test_the_key_orders_codes_as_numbers_read(self):
        from goals.models import code_sort_key

        codes = ["12.2", "1.10", "10.1", "1.3", "2.2", "1.9", "S.2", "1.3a"]
        assert sorted(codes, key=code_sort_key) == [
            "1.3",
            "1.3a",
            "1.9",
            "1.10",
            "2.2",
            "10.1",
            "12.2",
            "S.2",
        ]

    def test_save_bulk_insert_and_a_changed_code_keep_it(self):
        from goals.models import Deliverable, code_sort_key

        deliverable = make_deliverable(code="10.1")
        assert Deliverable.objects.get(pk=deliverable.pk).sort_key == code_sort_key("10.1")
        deliverable.code = "2.2"
        deliverable.save(update_fields=["code"])
        assert Deliverable.objects.get(pk=deliverable.pk).sort_key == code_sort_key("2.2")
        [bulk] = Deliverable.objects.bulk_create([Deliverable(initiative=deliverable.initiative, code="12.2",
                                                              title="Bulk")])  # fmt: skip
        assert Deliverable.objects.get(pk=bulk.pk).sort_key == code_sort_key("12.2")

    def test_the_migration_fills_the_keys_of_recorded_deliverables(self):
        import importlib

        from django.apps import apps as registry
        from django.db import connection

        from goals.models import Deliverable, code_sort_key

        migration = importlib.import_module("goals.migrations.0006_deliverable_sort_key")
        Deliverable.objects.update(sort_key="")
        Deliverable.history.update(sort_key="")
        migration.fill_sort_keys(registry, connection.schema_editor())
        for code, key in Deliverable.objects.values_list("code", "sort_key"):
            assert key == code_sort_key(code)
        assert not Deliverable.history.filter(sort_key="").exists()


def test_rounds_closed_before_the_time_was_stored_take_it_from_the_history(staff, open_round):
    """The migration that added ``closed_at`` reads it from the audit history: the first record of
    the round as closed. A round loaded as closed, with no such record, keeps none."""
    import importlib

    from django.apps import apps

    from goals import workflow
    from goals.models import ReportingRound

    workflow.move_round(open_round, "close", by=staff.secretariat)
    loaded_closed = make_round(plan=open_round.plan, state="closed")
    ReportingRound.objects.update(closed_at=None)  # as before the migration
    recorded = open_round.history.filter(state="closed").earliest("history_date").history_date
    migration = importlib.import_module("goals.migrations.0007_plan_wording_and_round_closing_time")
    migration.closing_times_from_history(apps, None)
    open_round.refresh_from_db()
    loaded_closed.refresh_from_db()
    assert open_round.closed_at == recorded and loaded_closed.closed_at is None
