"""The audit log across every tracked model: who changed what, when, and which fields."""

from django.apps import apps
from django.utils import timezone

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
HEADER = ["changed_at", "changed_by", "action", "model", "object_id", "object", "changed_fields", "reason"]


def tracked_models():
    return [
        m for m in apps.get_models() if m.__name__.startswith("Historical") and hasattr(m, "history_object")
    ]


def audit_rows():
    """Rows oldest first per record; the changed fields are worked out from the entry before.
    Accounts, roles and staff access are tracked too: changes to rights are in the log."""
    for history_model in tracked_models():
        previous = {}
        records = history_model.objects.select_related("history_user").order_by("id", "history_id")
        for record in records.iterator(chunk_size=500):
            before = previous.get(record.id)
            if record.history_type == "~" and before is not None:
                changed = record.diff_against(before).changed_fields  # links (many-to-many) included
            else:
                changed = []
            previous[record.id] = record
            yield [
                timezone.localtime(record.history_date).isoformat(timespec="seconds"),
                record.history_user.get_username() if record.history_user else "(system)",
                ACTIONS.get(record.history_type, record.history_type),
                history_model.instance_type._meta.verbose_name,
                record.id,
                str(record.instance) if record.history_type != "-" else f"#{record.id}",
                " ".join(changed),
                record.history_change_reason or "",
            ]
