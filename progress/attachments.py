"""Checking and cleaning what people attach to their stories (DESIGN §6, "Safety of people").

A photo of a meeting can put the people in it at risk: phones write the place it was taken
(GPS), the time and the device into the file. So uploads are judged by their content, never by
their name or the browser's claimed type; photos are rebuilt from their pixels alone, which
leaves every kind of metadata (EXIF, GPS, XMP, IPTC, ICC, comments) behind; and PDFs that could
run code or carry other files are refused.

Only what comes out of ``process_upload`` is ever written to storage.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PasswordType, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from progress.models import StoryAttachment

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS_PER_STORY = 5
# Longest side of a stored photo: plenty for a report, a fraction of a phone's 12 to 48 megapixels,
# and far lighter for the people on slow connections who open it.
MAX_PHOTO_SIDE = 2560
# Checked on the header, before any pixel is decoded: a small PNG can declare a gigantic canvas
# (a decompression bomb). 50 megapixels admits the largest ordinary phone photos (48 MP).
MAX_PHOTO_PIXELS = 50_000_000
JPEG_QUALITY = 85

# Pillow is asked to recognise these formats only. Without the list it would try every decoder
# it has, some of them (EPS through Ghostscript, for one) with a long history of exploits.
# MPO is how Pillow names JPEGs that carry extra frames (depth or HDR maps from phone cameras).
_IMAGE_FORMATS = ("JPEG", "PNG")
_JPEG_FORMATS = {"JPEG", "MPO"}

# PDF names that make a document do something rather than show something: run JavaScript (also
# inside XFA forms), start a program, carry other files or Flash content. None of them belongs in
# a report or a scanned letter; all of them are how malicious PDFs work.
_ACTIVE_PDF_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/XFA",
    }
)

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


def process_upload(upload: UploadedFile) -> ProcessedAttachment:
    """Check one uploaded file and return what may be stored of it, or raise ValidationError."""
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
        _check_pdf(data, shown_name)
        return ProcessedAttachment(
            content=data,
            content_type="application/pdf",
            kind=StoryAttachment.Kind.DOCUMENT,
            original_name=name,
        )
    content, content_type = _reencode_photo(data, shown_name)
    return ProcessedAttachment(
        content=content,
        content_type=content_type,
        kind=StoryAttachment.Kind.PHOTO,
        original_name=name,
    )


# --- Photos -------------------------------------------------------------------------------------


def _reencode_photo(data: bytes, shown_name: str) -> tuple[bytes, str]:
    not_accepted = ValidationError(
        _(
            "“%(name)s” is neither a photo (JPEG or PNG) nor a PDF document; "
            "other kinds of files cannot be attached."
        ),
        code="file_type",
        params={"name": shown_name},
    )
    damaged = ValidationError(
        _("“%(name)s” could not be read as a photo. It may be damaged."),
        code="damaged",
        params={"name": shown_name},
    )
    # Image.open reads the header only; the canvas is measured before any pixel is decoded.
    # (Pillow's own DecompressionBombWarning is left alone: turning warnings into errors changes
    # process-wide state, unsafe in a threaded server, and the check below is stricter anyway.)
    try:
        image = Image.open(io.BytesIO(data), formats=_IMAGE_FORMATS)
    except UnidentifiedImageError as error:
        raise not_accepted from error
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(shown_name) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise damaged from error
    with image:
        if image.width * image.height > MAX_PHOTO_PIXELS:
            raise _too_many_pixels(shown_name)
        is_jpeg = image.format in _JPEG_FORMATS
        try:
            return _rebuild(image, is_jpeg=is_jpeg), "image/jpeg" if is_jpeg else "image/png"
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
            raise damaged from error


def _too_many_pixels(shown_name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has too many pixels; photos can have at most %(limit)d megapixels."),
        code="too_many_pixels",
        params={"name": shown_name, "limit": MAX_PHOTO_PIXELS // 1_000_000},
    )


def _rebuild(image: Image.Image, *, is_jpeg: bool) -> bytes:
    """A new image made of the photo's pixels only, upright and no larger than needed."""
    if is_jpeg:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is far larger than what
        # is kept: a fraction of the memory and time of a full decode.
        image.draft("RGB", (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
    # Phones store photos sideways and note the rotation in EXIF; apply it before EXIF goes.
    upright = ImageOps.exif_transpose(image) or image
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha and not is_jpeg else "RGB"
    pixels = upright.convert(mode)
    pixels.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    # Built from raw pixel bytes, the new image has an empty ``info``: nothing of the original
    # file's EXIF, GPS, XMP, ICC profile, text chunks or comments can ride along when saving.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    output = io.BytesIO()
    if is_jpeg:
        # Progressive JPEGs show a rough picture early on a slow connection.
        clean.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        clean.save(output, "PNG", optimize=True)
    return output.getvalue()


# --- PDF documents -----------------------------------------------------------------------------


def _check_pdf(data: bytes, shown_name: str) -> None:
    """Refuse PDFs that cannot be read, are locked, or can act (run scripts, start programs).

    The document is parsed rather than scanned as bytes: most PDFs written today keep their
    objects in compressed object streams, where a byte scan sees nothing, and PDF names may be
    written with ``#xx`` escapes (``/J#61vaScript``), which the parser decodes. Every object the
    cross-reference tables list is inspected, reachable or not. The file is stored as uploaded,
    so its own metadata (author, software) stays: rewriting PDFs breaks too many of them.
    """
    damaged = ValidationError(
        _("“%(name)s” could not be read as a PDF document. It may be damaged."),
        code="damaged",
        params={"name": shown_name},
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ValidationError(
                _("“%(name)s” is protected with a password. Attach a copy without one."),
                code="encrypted",
                params={"name": shown_name},
            )
        if len(reader.pages) == 0:
            raise damaged
        active = _has_active_content(reader)
    except ValidationError:
        raise
    except Exception as error:
        # Hostile or broken files make parsers fail in every way there is (and pypdf raises
        # more than its own error types on them); any failure to read means the file is refused.
        logger.info("attachment.pdf_unreadable error=%s", type(error).__name__)
        raise damaged from error
    if active:
        raise ValidationError(
            _(
                "“%(name)s” contains scripts, embedded files or actions that start programs, "
                "which cannot be accepted. Print or export it again as a plain PDF."
            ),
            code="active_content",
            params={"name": shown_name},
        )


def _opens_without_password(reader: PdfReader) -> bool:
    """Many PDFs are "encrypted" only to restrict printing, with an empty password to open."""
    try:
        return reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:
        # pypdf needs an extra package for AES; a file we cannot open we cannot inspect.
        return False


def _listed_objects(reader: PdfReader) -> Iterator[PdfObject]:
    yield reader.trailer
    for generation, entries in reader.xref.items():
        for number in entries:
            yield IndirectObject(number, generation, reader)
    for number in reader.xref_objStm:
        yield IndirectObject(number, 0, reader)


def _has_active_content(reader: PdfReader) -> bool:
    for listed in _listed_objects(reader):
        # References lead to other listed objects, which are inspected on their own turn; only
        # what is written inline in this one is walked here.
        stack: list[PdfObject | None] = [
            listed.get_object() if isinstance(listed, IndirectObject) else listed
        ]
        while stack:
            item = stack.pop()
            if isinstance(item, NameObject) and item in _ACTIVE_PDF_NAMES:
                return True
            if isinstance(item, DictionaryObject):  # stream objects included
                if any(key in _ACTIVE_PDF_NAMES for key in item):
                    return True
                stack.extend(v for v in item.values() if not isinstance(v, IndirectObject))
            elif isinstance(item, ArrayObject):
                stack.extend(v for v in item if not isinstance(v, IndirectObject))
    return False
