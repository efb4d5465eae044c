"""Citable dataset releases (tracker.site.releases): publishing a round publishes the whole
dataset as a versioned zip that never changes, with checksums, at a permanent address listed
on /data/releases/ with a suggested citation; the latest data keeps its own address."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from goals import workflow
from goals.models import ProgressUpdate
from tests.factories import make_update
from tests.helpers import deliverable, text_of
from tests.sample import load_sample
from tracker.core import exports
from tracker.site import urls  # noqa: F401  (importing the site registers every app's files)
from tracker.site.models import DatasetRelease

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(staff, open_round):
    """The test round, published by the secretariat in one step, as the admin's button does."""
    workflow.move_round_through(open_round, "publish", by=staff.secretariat)
    return DatasetRelease.objects.get(round=open_round)


def zip_of(client, release):
    response = client.get(f"/data/releases/{release.version}/{release.file_name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "immutable" in response["Cache-Control"]
    return b"".join(response.streaming_content)


def test_publishing_a_round_publishes_a_versioned_release_with_every_file(client, published, tmp_path):
    from frictionless import Package

    year = datetime.date.today().year
    assert published.version == f"{year}.1"
    content = zip_of(client, published)
    assert hashlib.sha256(content).hexdigest() == published.sha256 and len(content) == published.size
    archive = zipfile.ZipFile(io.BytesIO(content))
    expected = {f"{name}.csv" for name in exports.REGISTRY} | {"asean-ipr-tracker.xlsx", "datapackage.json"}
    assert set(archive.namelist()) == expected
    package = json.loads(archive.read("datapackage.json"))
    assert package["version"] == published.version
    assert package["reporting_round"]["name"] == "Test round"
    assert package["id"].endswith(f"/data/releases/{published.version}/")
    assert package["created"].startswith(str(year))
    for resource in package["resources"]:
        digest = hashlib.sha256(archive.read(resource["path"])).hexdigest()
        assert resource["hash"] == f"sha256:{digest}" and resource["bytes"] == len(
            archive.read(resource["path"])
        )
    assert {f["path"]: f["sha256"] for f in published.files} == {
        r["path"]: r["hash"].removeprefix("sha256:") for r in package["resources"]
    }
    archive.extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()  # checks every hash and size too
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_release_never_changes_while_the_latest_data_does(client, published, staff):
    before = zip_of(client, published)
    make_update(
        deliverable=deliverable("5.1"), review_state="approved", narrative="Approved after the release"
    )
    assert zip_of(client, published) == before
    latest = zipfile.ZipFile(io.BytesIO(client.get("/data/dataset.zip").content))
    assert "Approved after the release" in latest.read("progress_updates.csv").decode("utf-8-sig")
    assert (
        "Approved after the release"
        not in zipfile.ZipFile(io.BytesIO(before)).read("progress_updates.csv").decode()
    )
    published.sha256 = "0" * 64
    with pytest.raises(ValidationError, match="cannot be changed once published"):
        published.save()
    with pytest.raises(ValidationError, match="cannot be deleted"):
        DatasetRelease.objects.get().delete()


def test_the_releases_page_lists_them_with_a_citation_and_checksums(client, published):
    listing = text_of(client.get("/data/releases/"))
    assert f'href="/data/releases/{published.version}/"' in listing and "Test round" in listing
    page = text_of(client.get(published.get_absolute_url()))
    assert published.sha256 in page
    assert f"(version {published.version}) [Data set]" in page
    assert (
        "Test round" in page and f"http://testserver/data/releases/{published.version}/" not in page
    )  # SITE_URL
    for file in published.files:
        assert file["sha256"] in page
    assert "None registered yet" in page
    assert f"/data/releases/{published.version}/" in text_of(client.get("/data/"))


def test_a_doi_can_be_added_by_the_secretariat_only_and_must_be_one(client, published, staff):
    url = f"/admin/site/datasetrelease/{published.pk}/change/"
    client.force_login(staff.ph)
    assert client.get(url).status_code == 200  # may look
    assert client.post(url, {"doi": "10.5281/zenodo.1"}).status_code == 403
    client.force_login(staff.secretariat)
    refused = client.post(url, {"doi": "https://doi.org/10.5281/zenodo.1"})
    assert refused.status_code == 200 and "is not a DOI" in refused.text
    assert DatasetRelease.objects.get().doi == ""
    assert client.post(url, {"doi": "10.5281/zenodo.1234567"}).status_code == 302
    page = text_of(client.get(published.get_absolute_url()))
    assert (
        'href="https://doi.org/10.5281/zenodo.1234567"' in page
        and "https://doi.org/10.5281/zenodo.1234567" in (DatasetRelease.objects.get().citation)
    )
    assert client.get("/admin/site/datasetrelease/add/").status_code == 403


def test_rounds_published_before_releases_get_theirs_once(client):
    load_sample()
    out = io.StringIO()
    call_command("publish_releases", stdout=out)
    made = DatasetRelease.objects.order_by("version")
    assert made.count() == 4 and all(release.includes_sample for release in made)
    assert "Published dataset release" in out.getvalue()
    call_command("publish_releases", stdout=(again := io.StringIO()))
    assert "Every published round has its dataset release." in again.getvalue() and made.count() == 4
    release = made.first()
    assert release.file_name.startswith("SAMPLE-DATA-")
    assert "do not cite it" in text_of(client.get(release.get_absolute_url()))


def test_unknown_releases_and_files_answer_404(client, published):
    assert client.get("/data/releases/1999.1/").status_code == 404
    missing = client.get(f"/data/releases/{published.version}/other.zip")
    assert missing.status_code == 404 and "/data/releases/ lists them all" in missing.text
    assert client.get(f"/data/releases/1999.1/{published.file_name}").status_code == 404


def test_a_publication_that_fails_leaves_no_release_and_the_round_unpublished(staff, open_round, monkeypatch):
    from tracker.site import dataset

    def broken():
        raise OSError("disk full")

    monkeypatch.setattr(dataset, "files", broken)
    with pytest.raises(OSError):
        workflow.move_round_through(open_round, "publish", by=staff.secretariat)
    open_round.refresh_from_db()
    assert open_round.state == "open" and not DatasetRelease.objects.exists()
    assert ProgressUpdate.objects.exists()
