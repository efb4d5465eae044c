"""Evidence files (goals.evidence): what is accepted on upload, what is refused with the reason,
and who may download a file (its owner's office, everyone once the update is approved)."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goals import workflow
from goals.models import ProgressUpdate
from tests.helpers import download, form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def office_file(parts):
    """An Office-style zip package with these parts (None: a damaged one)."""
    import zipfile

    if parts is None:
        return b"PK\x03\x04" + b"\x00" * 200
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


class TestEvidence:
    def upload(self, client, update, name, content):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        data = form_data(update, seen_version=seen, evidence_file=SimpleUploadedFile(name, content))
        return client.post(change, data)

    def test_a_pdf_is_accepted_and_private_until_approved(
        self, login, staff, update, client, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        assert self.upload(login(staff.ph), update, "launch.pdf", PDF).status_code == 302
        update.refresh_from_db()
        url = reverse("evidence", args=[update.pk])
        assert login(staff.ph).get(url).status_code == 200
        assert login(staff.th).get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 404
        workflow.submit(update, by=staff.ph)
        workflow.approve(update, by=staff.secretariat)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF

    def test_the_files_sha256_is_kept_and_published_with_the_data(self, login, staff, update, client):
        assert self.upload(login(staff.ph), update, "launch.pdf", PDF).status_code == 302
        update.refresh_from_db()
        assert update.evidence_sha256 == hashlib.sha256(PDF).hexdigest()
        workflow.submit(update, by=staff.ph)
        workflow.approve(update, by=staff.secretariat)
        client.logout()
        rows = download(client, "/data/progress_updates.csv")
        assert hashlib.sha256(PDF).hexdigest() in {row["evidence_file_sha256"] for row in rows}

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("tool.exe", b"MZ\x90\x00", "are not accepted"),
            ("fake.pdf", b"<html>not a pdf</html>", "does not match its .pdf extension"),
            ("notes.txt", b"\xff\xfe\xfa binary", "not plain UTF-8 text"),
        ],
    )
    def test_wrong_types_are_refused(self, login, staff, update, settings, tmp_path, name, content, message):
        settings.MEDIA_ROOT = tmp_path
        response = self.upload(login(staff.ph), update, name, content)
        assert response.status_code == 200 and message in response.text
        assert not ProgressUpdate.objects.get(pk=update.pk).evidence_file

    def test_files_over_the_limit_are_refused(self, login, staff, update, settings, tmp_path):
        settings.MEDIA_ROOT, settings.EVIDENCE_MAX_BYTES = tmp_path, 1024
        response = self.upload(login(staff.ph), update, "big.pdf", PDF + b" " * 2048)
        assert "evidence files can be at most 1.0" in response.text

    @pytest.mark.parametrize(
        ("parts", "message"),
        [
            ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 3_000_000}, "unpacks to 2.9"),
            ({"word/document.xml": b"<w:document/>"}, "is not an Office document"),
            (None, "is damaged"),
        ],
        ids=["zip-bomb", "not-office", "damaged"],
    )
    def test_office_files_must_be_sane_packages(
        self, login, staff, update, settings, tmp_path, parts, message
    ):
        settings.MEDIA_ROOT, settings.EVIDENCE_MAX_UNPACKED_BYTES = tmp_path, 1_000_000
        response = self.upload(login(staff.ph), update, "report.docx", office_file(parts))
        assert response.status_code == 200 and message in response.text
        assert not ProgressUpdate.objects.get(pk=update.pk).evidence_file

    def test_a_real_office_file_is_accepted(self, login, staff, update, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        parts = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document>Launch</w:document>"}
        assert self.upload(login(staff.ph), update, "report.docx", office_file(parts)).status_code == 302
        assert ProgressUpdate.objects.get(pk=update.pk).evidence_file.name.endswith(".docx")

    def test_a_request_over_the_size_limit_is_refused_before_it_is_read(self, login, staff, update, settings):
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        client = login(staff.ph)
        response = client.generic("POST", change, b"x" * 100, "multipart/form-data; boundary=x",
                                  CONTENT_LENGTH=str(200 * 1024 * 1024))  # fmt: skip
        assert response.status_code == 413 and b"at most" in response.content
        assert "Permissions-Policy" in response  # answered with the security headers

    def test_a_missing_file_is_404_to_the_public_and_shown_to_staff(
        self, client, login, staff, update, settings
    ):
        tmp_path = settings.BASE_DIR / "no-such-media-folder"
        settings.MEDIA_ROOT = tmp_path
        ProgressUpdate.objects.filter(pk=update.pk).update(
            evidence_file="evidence/gone.pdf", review_state="approved"
        )
        response = client.get(reverse("evidence", args=[update.pk]))
        assert response.status_code == 404 and "missing from the server" in response.text
        for role in ("secretariat", "ph", "viewer"):
            page = login(getattr(staff, role)).get(
                reverse("admin:goals_progressupdate_change", args=[update.pk])
            )
            assert page.status_code == 200, role

    def test_completed_needs_evidence(self, login, staff, update):
        client = login(staff.ph)
        change = reverse("admin:goals_progressupdate_change", args=[update.pk])
        seen = client.get(change).context["adminform"].form["seen_version"].value()
        response = client.post(
            change, form_data(update, status="completed", percent_complete="", seen_version=seen)
        )
        assert "Completed progress needs evidence" in response.text


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OFFICE = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLIDES = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
# (file name, content, Content-Type, opens in the browser)
TYPES = [
    ("launch.pdf", PDF, "application/pdf", True),
    ("photo.png", PNG, "image/png", True),
    ("photo.jpg", JPEG, "image/jpeg", True),
    ("photo.jpeg", JPEG, "image/jpeg", True),
    ("report.docx", None, WORD, False),
    ("figures.xlsx", None, EXCEL, False),
    ("slides.pptx", None, SLIDES, False),
    ("figures.csv", b"member_state,status\nPH,completed\n", "text/csv; charset=utf-8", False),
    ("notes.txt", b"<html><script>alert(1)</script></html>", "text/plain; charset=utf-8", False),
]


class TestServing:
    """PDFs and images open in the browser, with their own type, no sniffing and a policy that
    runs nothing; anything else downloads. Who may have a file is unchanged."""

    @pytest.fixture
    def stored(self, update, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

        def store(name, content):
            from django.core.files.base import ContentFile

            content = office_file(OFFICE) if content is None else content
            update.evidence_file.save(name, ContentFile(content))
            return update, content

        return store

    @pytest.mark.parametrize(("name", "content", "content_type", "inline"), TYPES, ids=[t[0] for t in TYPES])
    def test_each_type_is_served_as_itself(self, client, stored, name, content, content_type, inline):
        update, content = stored(name, content)
        ProgressUpdate.objects.filter(pk=update.pk).update(review_state="approved")
        response = client.get(reverse("evidence", args=[update.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == content
        assert response["Content-Type"] == content_type
        how = "inline" if inline else "attachment"
        suffix = name.rsplit(".", 1)[1]
        assert response["Content-Disposition"] == f'{how}; filename="evidence-8.1-{update.pk}.{suffix}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        policy = response["Content-Security-Policy"]
        assert policy.startswith("default-src 'none';") and "sandbox" in policy
        assert "frame-ancestors 'self'" in policy and "script-src" not in policy  # the review page frames it
        assert ("img-src 'self'" in policy) == content_type.startswith("image/")
        assert response["X-Frame-Options"] == "SAMEORIGIN"

    @pytest.mark.parametrize("name", ["launch.pdf", "photo.png", "report.docx", "notes.txt"])
    def test_who_may_have_it_is_unchanged(self, client, login, staff, stored, name):
        update, _ = stored(name, {t[0]: t[1] for t in TYPES}[name])
        url = reverse("evidence", args=[update.pk])
        assert client.get(url).status_code == 404  # a draft: not public, whatever its type
        assert login(staff.th).get(url).status_code == 404  # staff outside its scope
        own = login(staff.ph).get(url)
        assert own.status_code == 200 and own["Cache-Control"] == "private, no-store"
        client.logout()
        workflow.submit(update, by=staff.ph)
        assert client.get(url).status_code == 404  # submitted, not yet approved
        workflow.approve(update, by=staff.secretariat)
        public = client.get(url)
        assert public.status_code == 200 and "no-store" not in public.get("Cache-Control", "")

    def test_the_link_says_what_the_file_is(self, client, stored):
        update, _ = stored("launch.pdf", PDF)
        ProgressUpdate.objects.filter(pk=update.pk).update(review_state="approved")
        page = client.get("/plans/2016-2025/initiatives/8/8.1/")
        assert page.status_code == 200
        assert f'href="/evidence/{update.pk}/">Evidence file<span class="visually-hidden">' in page.text
        assert "</span> (PDF)</a>" in page.text
