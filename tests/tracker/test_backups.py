"""A backup restored into an empty database gives back identical counts and content."""

import datetime
import io
import json
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import CommandError, call_command

from tests.sample import load_sample
from tracker.core import dataversion, roles

BACKED_UP_APPS = ("goals", "partners", "tracker")


TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def to_the_millisecond(value):
    """Backups keep times to the millisecond (Django's JSON format), so compare them so."""
    if isinstance(value, str) and TIMESTAMP.match(value):
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.isoformat(timespec="milliseconds")
    return value


def everything():
    # The data version is each database's own: restoring moves it on (checked below).
    models = [
        m
        for m in apps.get_models()
        if m._meta.app_label in BACKED_UP_APPS and m._meta.model_name != "dataversion"
    ]
    models += [get_user_model(), apps.get_model("auth", "Group")]
    # Natural keys: permissions get new ids when a database is rebuilt, the same names.
    dumped = {
        m._meta.label: json.loads(
            serializers.serialize("json", m.objects.order_by("pk"), use_natural_foreign_keys=True)
        )
        for m in models
    }
    for records in dumped.values():
        for record in records:
            record["fields"] = {key: to_the_millisecond(value) for key, value in record["fields"].items()}
    # Users and groups are restored by name (natural keys), and everything refers to them by name.
    for label, key in (("auth.User", "username"), ("auth.Group", "name")):
        for record in dumped[label]:
            del record["pk"]
        dumped[label].sort(key=lambda record, key=key: record["fields"][key])
    return dumped


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_back_everything(tmp_path, django_user_model):
    from django.contrib.auth.models import Group

    from tracker.core.roles import ensure_roles

    ensure_roles()  # earlier transactional tests may have flushed the migration's groups
    load_sample()
    user = django_user_model.objects.create_user("focal", "f@example.org", "a-long-test-password")
    user.groups.add(Group.objects.get(name=roles.FOCAL_POINT))
    before = everything()
    version_before = dataversion.read()
    file = tmp_path / "tracker.tar.gz"
    call_command("backup", str(file), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    assert not apps.get_model("goals", "ActionPlan").objects.exists()
    call_command("restore", str(file), stdout=io.StringIO())

    after = everything()
    assert dataversion.read() not in ("", version_before)  # every cache sees the restored data as new
    assert after.keys() == before.keys()
    for label in before:
        assert len(after[label]) == len(before[label]), label
        for restored, original in zip(after[label], before[label], strict=True):
            changed = {
                key: (original["fields"].get(key), restored["fields"].get(key))
                for key in original["fields"].keys() | restored["fields"].keys()
                if original["fields"].get(key) != restored["fields"].get(key)
            }
            assert restored == original, f"{label} {original.get('pk')}: {changed}"


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data(tmp_path):
    file = tmp_path / "b.tar.gz"
    call_command("backup", str(file), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds plan data"):
        call_command("restore", str(file))


@pytest.mark.django_db
def test_backup_never_overwrites_a_file(tmp_path):
    file = tmp_path / "b.tar.gz"
    file.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(file))
    assert file.read_text() == "keep me"


def test_a_backup_must_be_one_archive(tmp_path):
    with pytest.raises(CommandError, match=r"Name the backup \.tar\.gz"):
        call_command("backup", str(tmp_path / "b.json.gz"))


@pytest.mark.django_db(transaction=True)
def test_a_restored_evidence_file_is_served_again(tmp_path, settings, client):
    """The archive holds the evidence files: restored on a new machine (an empty MEDIA_ROOT),
    an approved update's evidence link serves the same file."""
    from django.core.files.base import ContentFile

    from goals.models import ProgressUpdate
    from tracker.core.roles import ensure_roles

    ensure_roles()
    load_sample()
    settings.MEDIA_ROOT = tmp_path / "old-machine"
    update = ProgressUpdate.objects.public().first()
    content = b"%PDF-1.4\n% the launch report\n%%EOF\n"
    update.evidence_file.save("launch.pdf", ContentFile(content))
    assert client.get(f"/evidence/{update.pk}/").status_code == 200
    archive = tmp_path / "tracker.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-machine"
    output = io.StringIO()
    call_command("restore", str(archive), stdout=output)
    assert "1 evidence file(s)" in output.getvalue()
    response = client.get(f"/evidence/{update.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == content


@pytest.mark.django_db
def test_restore_never_overwrites_a_different_file(tmp_path, settings):
    import tarfile

    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "a.pdf").write_bytes(b"%PDF- in the backup")
    (tmp_path / "database.json").write_text("[]")
    archive = tmp_path / "b.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "database.json", arcname="database.json")
        tar.add(tmp_path / "media" / "evidence" / "a.pdf", arcname="media/evidence/a.pdf")
    settings.MEDIA_ROOT = tmp_path / "live"
    (tmp_path / "live" / "evidence").mkdir(parents=True)
    (tmp_path / "live" / "evidence" / "a.pdf").write_bytes(b"%PDF- a different file")
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="differ from the backup"):
        call_command("restore", str(archive))
    assert (tmp_path / "live" / "evidence" / "a.pdf").read_bytes() == b"%PDF- a different file"
