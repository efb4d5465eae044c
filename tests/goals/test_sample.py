"""Sample data (goals.sample): every page says when made-up progress is loaded, and
`seed_synthetic` grows the plan to scale for benchmarks, flagged as sample data."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from goals.models import ActionPlan, Deliverable, ProgressUpdate
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def test_sample_banner_only_when_sample_data_is_loaded(client):
    assert "Sample data:" not in text_of(client.get(reverse("home")))
    call_command("load_plan", "--sample", stdout=io.StringIO())
    assert "Sample data:" in client.get(reverse("home")).text


def test_seed_synthetic_grows_the_plan_to_scale_as_flagged_sample_data():
    real = Deliverable.objects.filter(initiative__plan__slug="2016-2025").count()
    call_command("seed_synthetic", "--scale", "3", stdout=io.StringIO())
    assert Deliverable.objects.filter(initiative__plan__slug="2016-2025").count() == real * 3
    synthetic = ProgressUpdate.objects.filter(deliverable__code__startswith="S.")
    assert synthetic.count() == real * 2 * 3 and not synthetic.filter(is_sample=False).exists()
    call_command("seed_synthetic", "--scale", "3", stdout=io.StringIO())  # already at that scale
    assert Deliverable.objects.filter(initiative__plan__slug="2016-2025").count() == real * 3


def test_seed_synthetic_needs_the_plan():
    ActionPlan.objects.all().delete()
    with pytest.raises(CommandError, match="Load the plan first"):
        call_command("seed_synthetic")
