"""Deliverables get a natural sort key for their code ("2.2" before "10.1"), filled for the
deliverables already recorded and for their history."""

import re

from django.db import migrations, models


def code_sort_key(code):
    """As ``goals.models.code_sort_key`` was written when this migration was made."""
    return "".join(part.zfill(10) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", code))


def fill_sort_keys(apps, schema_editor):
    for name in ("Deliverable", "HistoricalDeliverable"):
        model = apps.get_model("goals", name)
        rows = list(model.objects.only("pk", "code"))
        for row in rows:
            row.sort_key = code_sort_key(row.code)
        model.objects.bulk_update(rows, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0005_weight_validator_as_decimal"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliverable",
            name="sort_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="historicaldeliverable",
            name="sort_key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=120),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="deliverable",
            options={"ordering": ["initiative__plan__start_year", "initiative__number", "sort_key"]},
        ),
    ]
