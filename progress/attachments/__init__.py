"""Checking and cleaning what people attach to their stories (DESIGN §6, "Safety of people").

A photo of a meeting can put the people in it at risk: phones write the place it was taken
(GPS), the time and the device into the file. So uploads are judged by their content, never by
their name or the browser's claimed type; photos are rebuilt from their pixels alone, which
leaves every kind of metadata (EXIF, GPS, XMP, IPTC, ICC, comments) behind; and PDFs that could
run code or carry other files are refused.

A small file can also ask for a great deal of memory: a 200 KB PNG can declare 50 megapixels,
a PDF of a few hundred kilobytes can unpack to gigabytes. So every limit is applied before the
work it limits: pixels are counted from the header and decoded at most ``MAX_DECODED_PIXELS`` a
photo and ``MAX_DECODED_PIXELS_PER_SUBMISSION`` a submission; PDFs are unpacked within
``MAX_PDF_STREAM_BYTES`` a stream and ``MAX_PDF_UNPACKED_BYTES`` a document.

Only what comes out of ``process_upload`` is ever written to storage.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from progress.attachments.pdfs import check_pdf
from progress.attachments.photos import (
    MAX_DECODED_PIXELS,
    MAX_DECODED_PIXELS_PER_SUBMISSION,
    MAX_PHOTO_PIXELS,
    MAX_PHOTO_SIDE,
    DecodingBudget,
    reencode_photo,
)
from progress.models import StoryAttachment

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS_PER_STORY = 5
# Format controls are dropped from names (right-to-left overrides make "gpj.exe" read as
# "exe.jpg"), except the zero-width (non-)joiners that Persian and Indic names need.
_KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d"}
MAX_NAME_LENGTH = 120

_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
STORED_CONTENT_TYPES = frozenset(_EXTENSIONS)


@dataclass(frozen=True, slots=True)
class ProcessedAttachment:
    """An upload that passed the checks: the bytes to store, and what they are."""

    content: bytes
    content_type: str
    kind: str  # a StoryAttachment.Kind value
    original_name: str


def max_bytes() -> int:
    return int(settings.ATTACHMENT_MAX_BYTES)


def clean_original_name(name: str | None) -> str:
    """The uploaded name, safe to show: no folders, no control or direction characters."""
    name = unicodedata.normalize("NFC", name or "")
    # Browsers on Windows used to send the whole path; either separator may appear.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        character
        for character in name
        if not unicodedata.category(character).startswith("C")
        or character in _KEPT_FORMAT_CHARACTERS
    )
    name = " ".join(name.split()).lstrip(". ")
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and 0 < len(extension) <= 10:
        return stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip() + "." + extension
    return name[:MAX_NAME_LENGTH].rstrip()


def download_name(original_name: str, content_type: str) -> str:
    """The name a file is served under: its own stem, with the extension of what it really is."""
    stem = original_name.rpartition(".")[0] or original_name
    return f"{stem or 'attachment'}.{_EXTENSIONS.get(content_type, 'bin')}"


def process_upload(
    upload: UploadedFile, *, budget: DecodingBudget | None = None
) -> ProcessedAttachment:
    """Check one uploaded file and return what may be stored of it, or raise ValidationError.

    The files of one submission share one ``budget``; without one, the file has a budget of its
    own.
    """
    name = clean_original_name(upload.name)
    shown_name = name or str(_("the file"))
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file can be at most %(limit)s."),
            code="too_large",
            params={
                "name": shown_name,
                "size": filesizeformat(upload.size or 0),
                "limit": filesizeformat(limit),
            },
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:  # the declared size lied
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s."),
            code="too_large",
            params={"name": shown_name, "limit": filesizeformat(limit)},
        )
    if data.startswith(b"%PDF-"):
        check_pdf(data, shown_name)
        return ProcessedAttachment(
            content=data,
            content_type="application/pdf",
            kind=StoryAttachment.Kind.DOCUMENT,
            original_name=name,
        )
    content, content_type = reencode_photo(data, shown_name, budget or DecodingBudget())
    return ProcessedAttachment(
        content=content,
        content_type=content_type,
        kind=StoryAttachment.Kind.PHOTO,
        original_name=name,
    )


__all__ = [
    "MAX_ATTACHMENTS_PER_STORY",
    "MAX_DECODED_PIXELS",
    "MAX_DECODED_PIXELS_PER_SUBMISSION",
    "MAX_NAME_LENGTH",
    "MAX_PHOTO_PIXELS",
    "MAX_PHOTO_SIDE",
    "STORED_CONTENT_TYPES",
    "DecodingBudget",
    "ProcessedAttachment",
    "clean_original_name",
    "download_name",
    "max_bytes",
    "process_upload",
]
