"""Evidence files attached to progress updates: what is accepted, where it is kept and how it
is served.

Files live under MEDIA_ROOT/evidence/ and are never served from there directly: the
``evidence`` view hands a file out only to those allowed to see its update (anyone once the
update is approved, before that only staff whose scope includes it). PDFs and images open in the
browser (``SERVED``), with their own type, no type sniffing and a Content Security Policy that
runs nothing; every other type downloads.
"""

import hashlib
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Accepted types: extension -> the bytes such a file starts with (None: plain text, checked as UTF-8).
ACCEPTED = {
    ".pdf": [b"%PDF-"],
    ".png": [b"\x89PNG\r\n\x1a\n"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".docx": [b"PK\x03\x04"],
    ".xlsx": [b"PK\x03\x04"],
    ".pptx": [b"PK\x03\x04"],
    ".csv": None,
    ".txt": None,
}


# A served file runs nothing and loads nothing, in a sandbox (an origin of its own); only the
# tracker's own pages may frame it (the review page shows the evidence beside the update).
# Chromium's PDF viewer works in such a sandbox (tests/browser checks it opens).
DOCUMENT_POLICY = "default-src 'none'; sandbox; frame-ancestors 'self'"
# A browser shows an image in a document of its own, which it styles inline.
IMAGE_POLICY = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"
)


@dataclass(frozen=True)
class Serving:
    content_type: str
    inline: bool  # shown in the browser; else downloaded
    policy: str = DOCUMENT_POLICY
    label: str = ""  # what it is, in the links to it


SERVED = {
    ".pdf": Serving("application/pdf", True, label="PDF"),
    ".png": Serving("image/png", True, IMAGE_POLICY, "image"),
    ".jpg": Serving("image/jpeg", True, IMAGE_POLICY, "image"),
    ".jpeg": Serving("image/jpeg", True, IMAGE_POLICY, "image"),
    ".docx": Serving(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False, label="Word"
    ),
    ".xlsx": Serving(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False, label="Excel"
    ),
    ".pptx": Serving(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", False, label="PowerPoint"
    ),
    ".csv": Serving("text/csv; charset=utf-8", False, label="CSV"),
    ".txt": Serving("text/plain; charset=utf-8", False, label="text"),
}
UNKNOWN = Serving("application/octet-stream", False)


def serving(name):
    """How an evidence file of this name is served (a type no longer accepted downloads)."""
    return SERVED.get(Path(name).suffix.lower(), UNKNOWN)


def evidence_path(update, filename):
    """A unique, unguessable name per file, keeping the original extension."""
    return f"evidence/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def file_sha256(file):
    """The SHA-256 of a file's content, read in pieces (evidence files may be 10 MB)."""
    digest = hashlib.sha256()
    was_closed = file.closed
    if was_closed:
        file.open("rb")
    try:
        for piece in file.chunks():  # from the start
            digest.update(piece)
    finally:
        if was_closed:
            file.close()
        else:
            file.seek(0)
    return digest.hexdigest()


def validate_evidence(file):
    limit = settings.EVIDENCE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; evidence files can be at most {filesizeformat(limit)}."
        )
    suffix = Path(file.name).suffix.lower()
    if suffix not in ACCEPTED:
        raise ValidationError(
            f"Files of type {suffix or '(none)'} are not accepted. Use one of: "
            + ", ".join(sorted(ACCEPTED))
            + "."
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(2048)
    file.seek(position)
    signatures = ACCEPTED[suffix]
    if signatures is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 4:  # a multi-byte character cut at the end is fine
                raise ValidationError(f"This {suffix} file is not plain UTF-8 text.") from None
    elif not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(f"This file's content does not match its {suffix} extension.")
    if suffix in OFFICE:
        check_office_package(file, suffix)


OFFICE = {".docx", ".xlsx", ".pptx"}
MAX_OFFICE_PARTS = 10_000


def check_office_package(file, suffix):
    """An Office file is a zip package: refuse one that is not a sane package or that would unpack
    to far more than it weighs (a "zip bomb" that fills the disk or memory of whoever opens it)."""
    position = file.tell()
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ValidationError(
            f"This {suffix} file is damaged: it is not a readable Office document."
        ) from None
    finally:
        file.seek(position)
    if not any(part.filename == "[Content_Types].xml" for part in parts):
        raise ValidationError(f"This {suffix} file is not an Office document.")
    unpacked = sum(part.file_size for part in parts)
    limit = settings.EVIDENCE_MAX_UNPACKED_BYTES
    if len(parts) > MAX_OFFICE_PARTS or unpacked > limit:
        raise ValidationError(
            f"This {suffix} file unpacks to {filesizeformat(unpacked)} in {len(parts)} parts; Office "
            f"evidence files may unpack to at most {filesizeformat(limit)}."
        )
