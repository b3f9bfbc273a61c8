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

import io
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import Configuration, PasswordType, PdfReader, apply_configuration, get_configuration
from pypdf.errors import LimitReachedError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from progress.models import StoryAttachment

logger = logging.getLogger(__name__)

MAX_ATTACHMENTS_PER_STORY = 5
# Longest side of a stored photo: plenty for a report, a fraction of a phone's 12 to 50 megapixels,
# and far lighter for the people on slow connections who open it.
MAX_PHOTO_SIDE = 2560
# What the header of a photo may declare, checked before any pixel is decoded: a small file can
# declare a gigantic canvas (a decompression bomb). 50 megapixels admits the largest phone photos
# (48 and 50 MP sensors), which are JPEGs and never decoded at full size (below).
MAX_PHOTO_PIXELS = 50_000_000
# What may be held decoded in memory for one photo. Pillow keeps up to 4 bytes a pixel, and
# scaling an image with transparency makes one more full-size copy, so one photo needs at most
# about 8 bytes x 16 MP = 128 MB, whatever its file size (measured: 130 MiB for a whole request
# with a 16 MP PNG, tests/progress/test_attachments.py). JPEGs are decoded at 1/2, 1/4 or 1/8
# scale, which brings every JPEG within the 50 MP above under this; a PNG cannot be decoded at a
# reduced scale, so a PNG over 16 MP is refused. PNGs are screenshots, charts and scans: a 5K
# screen is 14.7 MP, an A4 page scanned at 400 dpi 15.5 MP.
MAX_DECODED_PIXELS = 16_000_000
# What all the photos of one submission may have decoded together: five photos of a 12 MP phone
# camera, or of a 48-50 MP one decoded at half scale, make 61-63 MP. Memory does not add up
# (photos are decoded one at a time), time does: this bounds what one request can make the
# server do. JPEGs are decoded at a smaller scale rather than refused where that fits.
MAX_DECODED_PIXELS_PER_SUBMISSION = 64_000_000
_LARGEST_JPEG_REDUCTION = 8
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
        _check_pdf(data, shown_name)
        return ProcessedAttachment(
            content=data,
            content_type="application/pdf",
            kind=StoryAttachment.Kind.DOCUMENT,
            original_name=name,
        )
    content, content_type = _reencode_photo(data, shown_name, budget or DecodingBudget())
    return ProcessedAttachment(
        content=content,
        content_type=content_type,
        kind=StoryAttachment.Kind.PHOTO,
        original_name=name,
    )


# --- Photos -------------------------------------------------------------------------------------


class DecodingBudget:
    """The pixels one submission may still have decoded, shared by all of its files.

    Photos are decoded one after the other and each one's memory is freed before the next, so
    the peak of a request is that of its largest photo (``MAX_DECODED_PIXELS``). What five
    photos add up to is time: a submission spends its pixels before each decode, and a photo
    that would go over is refused without being decoded. Refused photos keep what they spent, so
    damaged files cannot buy free work.
    """

    def __init__(self, pixels: int | None = None) -> None:
        self.remaining = MAX_DECODED_PIXELS_PER_SUBMISSION if pixels is None else pixels

    def spend(self, pixels: int, shown_name: str) -> None:
        if pixels > self.remaining:
            raise ValidationError(
                _(
                    "“%(name)s” was not added: the photos of one save can have at most "
                    "%(limit)s megapixels together. Attach fewer photos at a time (save a draft "
                    "and add the others when you edit it) or smaller ones."
                ),
                code="over_budget",
                params={
                    "name": shown_name,
                    "limit": _megapixels(MAX_DECODED_PIXELS_PER_SUBMISSION),
                },
            )
        self.remaining -= pixels


def _megapixels(pixels: int) -> str:
    """A number of pixels in megapixels, in the reader's notation ("16", "0,5" in Swedish)."""
    return number_format(Decimal(pixels) / 1_000_000, use_l10n=True)


def _reencode_photo(data: bytes, shown_name: str, budget: DecodingBudget) -> tuple[bytes, str]:
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
    # Image.open reads the header only; every limit below is applied before a pixel is decoded.
    # (Pillow's own DecompressionBombWarning is left alone: turning warnings into errors changes
    # process-wide state, unsafe in a threaded server, and the checks below are stricter anyway.)
    try:
        image = Image.open(io.BytesIO(data), formats=_IMAGE_FORMATS)
    except UnidentifiedImageError as error:
        raise not_accepted from error
    except Image.DecompressionBombError as error:
        raise _too_many_pixels(shown_name, None) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise damaged from error
    with image:
        if image.width * image.height > MAX_PHOTO_PIXELS:
            raise _too_many_pixels(shown_name, image)
        is_jpeg = image.format in _JPEG_FORMATS
        if is_jpeg:
            _decode_jpeg_at_reduced_scale(image, limit=min(MAX_DECODED_PIXELS, budget.remaining))
        decoded_pixels = image.width * image.height
        if decoded_pixels > MAX_DECODED_PIXELS:
            raise _too_many_pixels(shown_name, image)
        budget.spend(decoded_pixels, shown_name)
        try:
            return _rebuild(image, is_jpeg=is_jpeg), "image/jpeg" if is_jpeg else "image/png"
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
            raise damaged from error


def _decode_jpeg_at_reduced_scale(image: Image.Image, *, limit: int) -> None:
    """Ask libjpeg to decode at 1/2, 1/4 or 1/8 scale: what is kept, in a fraction of the memory.

    The scale is the largest that still leaves the stored size (``MAX_PHOTO_SIDE``) sharp, made
    larger where the decoded photo would otherwise exceed ``limit``; then the photo is kept a
    little smaller than ``MAX_PHOTO_SIDE`` rather than refused. Only the header has been read:
    ``draft`` changes what ``load`` will decode, and ``image.size`` becomes the decoded size.
    """
    width, height = image.size
    scale = 1
    while scale < _LARGEST_JPEG_REDUCTION and max(width, height) // (scale * 2) >= MAX_PHOTO_SIDE:
        scale *= 2
    while (
        scale < _LARGEST_JPEG_REDUCTION
        and _ceil_div(width, scale) * _ceil_div(height, scale) > limit
    ):
        scale *= 2
    if scale > 1:
        # Pillow picks the largest of 1/8, 1/4, 1/2 that decodes to at least the size asked.
        image.draft("RGB", (max(1, width // scale), max(1, height // scale)))


def _ceil_div(number: int, divisor: int) -> int:
    return -(-number // divisor)


def _too_many_pixels(shown_name: str, image: Image.Image | None) -> ValidationError:
    if image is not None and image.format not in _JPEG_FORMATS:
        # Only JPEG can be decoded at a reduced scale; a PNG is held whole in memory.
        return ValidationError(
            _(
                "“%(name)s” is %(width)d × %(height)d pixels; a PNG image can have at most "
                "%(limit)s megapixels. Save it as a JPEG photo, or at a smaller size, and "
                "attach it again."
            ),
            code="too_many_pixels",
            params={
                "name": shown_name,
                "width": image.width,
                "height": image.height,
                "limit": _megapixels(MAX_DECODED_PIXELS),
            },
        )
    return ValidationError(
        _(
            "“%(name)s” has too many pixels; photos can have at most %(limit)s megapixels. "
            "Send a smaller copy of it."
        ),
        code="too_many_pixels",
        params={"name": shown_name, "limit": _megapixels(MAX_PHOTO_PIXELS)},
    )


def _rebuild(image: Image.Image, *, is_jpeg: bool) -> bytes:
    """A new image made of the photo's pixels only, upright and no larger than needed.

    Every step after decoding works on as few full-size copies as it can: a photo already in
    the mode it is saved in is scaled in place, one that is not is converted once and the
    decoded original released; the EXIF rotation is applied after scaling, on the small image.
    """
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if has_alpha and not is_jpeg else "RGB"
    image.load()
    if image.mode == mode:
        pixels = image
    else:
        pixels = image.convert(mode)  # keeps ``info``, and with it the EXIF rotation
        image.close()  # the decoded original is not needed any more
    if pixels.mode == "RGBA" and max(pixels.size) > MAX_PHOTO_SIDE:
        # Pillow scales an image with transparency through a premultiplied copy ("RGBa") while
        # the caller still holds the original: three full-size images at once. Making that copy
        # here and releasing the original keeps it to two.
        premultiplied = pixels.convert("RGBa")
        pixels.close()
        premultiplied.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
        pixels = premultiplied.convert("RGBA")
        premultiplied.close()
    else:
        pixels.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    # Phones store photos sideways and note the rotation in EXIF; apply it before EXIF goes.
    ImageOps.exif_transpose(pixels, in_place=True)
    # Built from raw pixel bytes, the new image has an empty ``info``: nothing of the original
    # file's EXIF, GPS, XMP, ICC profile, text chunks or comments can ride along when saving.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    pixels.close()
    output = io.BytesIO()
    if is_jpeg:
        # Progressive JPEGs show a rough picture early on a slow connection.
        clean.save(output, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    else:
        clean.save(output, "PNG", optimize=True)
    return output.getvalue()


# --- PDF documents -----------------------------------------------------------------------------

# pypdf turns what it parses into Python objects, some 30 times the bytes they were parsed from,
# and keeps every decompressed object stream for as long as the document is open. A 680 KB PDF
# of ten object streams that each unpack to 70 MB took 748 MB and two minutes to check. So what
# is unpacked is bounded per stream and per document, each object stream is let go once its
# objects are inspected, and the page tree is flattened only up to a cap.
MAX_PDF_PAGES = 1000
# Object streams hold dictionaries only (pages, fonts, links, tags), 100 to 200 of them per
# stream as Acrobat, qpdf, iText and pdfTeX write them: well under 1 MB unpacked.
MAX_PDF_STREAM_BYTES = 4 * 1024 * 1024
# All object streams of one document together: the structure of a long tagged report.
MAX_PDF_UNPACKED_BYTES = 16 * 1024 * 1024
# What a cross-reference table of 10 MB can list (20 bytes an entry); a compressed one could
# otherwise list millions in a few kilobytes.
MAX_PDF_OBJECTS = 500_000


def _pdf_limits() -> Configuration:
    """pypdf's own limits, lowered for the length of one check (a context variable: per thread)."""
    return get_configuration().with_overwrites(
        zlib_maximum_output_length=MAX_PDF_STREAM_BYTES,
        lzw_maximum_output_length=MAX_PDF_STREAM_BYTES,
        run_length_maximum_output_length=MAX_PDF_STREAM_BYTES,
        brotli_maximum_output_length=MAX_PDF_STREAM_BYTES,
        jbig2_maximum_output_length=MAX_PDF_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_PDF_STREAM_BYTES,
        # A chain of filters (up to 16) is work on every link.
        stream_decoding_work_maximum_length=2 * MAX_PDF_STREAM_BYTES,
        # Counted in the entries of the page dictionaries flattening copies (a page has 5 to 15,
        # with what it inherits), so the pages themselves are counted after flattening.
        page_tree_maximum_page_entries=50 * MAX_PDF_PAGES,
    )


def _check_pdf(data: bytes, shown_name: str) -> None:
    """Refuse PDFs that cannot be read, are locked, too large to check, or can act.

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
    too_large = ValidationError(
        _(
            "“%(name)s” unpacks to more than can be checked here (%(limit)s). Export or print "
            "it again as a PDF, or attach only the pages that matter."
        ),
        code="too_complex",
        params={"name": shown_name, "limit": filesizeformat(MAX_PDF_UNPACKED_BYTES)},
    )
    try:
        with apply_configuration(_pdf_limits()):
            reader = PdfReader(
                io.BytesIO(data), strict=False, xref_stream_maximum_entries=MAX_PDF_OBJECTS
            )
            if reader.is_encrypted and not _opens_without_password(reader):
                raise ValidationError(
                    _("“%(name)s” is protected with a password. Attach a copy without one."),
                    code="encrypted",
                    params={"name": shown_name},
                )
            if _listed_object_count(reader) > MAX_PDF_OBJECTS or not _unpacks_within_limit(reader):
                raise too_large
            pages = len(reader.pages)
            if pages > MAX_PDF_PAGES:
                raise ValidationError(
                    _(
                        "“%(name)s” has more than %(limit)d pages. Attach only the pages that "
                        "matter, or split it into shorter documents."
                    ),
                    code="too_many_pages",
                    params={"name": shown_name, "limit": MAX_PDF_PAGES},
                )
            if pages == 0:
                raise damaged
            active = _has_active_content(reader)
    except ValidationError:
        raise
    except LimitReachedError as error:
        logger.info("attachment.pdf_over_limit")
        raise too_large from error
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


def _listed_object_count(reader: PdfReader) -> int:
    return sum(len(entries) for entries in reader.xref.values()) + len(reader.xref_objStm)


def _unpacks_within_limit(reader: PdfReader) -> bool:
    """Whether the object streams unpack to at most ``MAX_PDF_UNPACKED_BYTES`` together.

    Measured by unpacking them one at a time and letting each go: cheap next to parsing what is
    inside, which happens only once the whole is known to fit.
    """
    unpacked = 0
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        stream = reader.get_object(number)
        if isinstance(stream, StreamObject):
            unpacked += len(stream.get_data())
        reader.resolved_objects.clear()  # pypdf's cache, which would keep the unpacked bytes
        if unpacked > MAX_PDF_UNPACKED_BYTES:
            return False
    return True


def _listed_objects(reader: PdfReader) -> Iterator[PdfObject]:
    """Every object the document lists, with pypdf's cache emptied as soon as it is not needed.

    pypdf parses an object stream's objects all at once and keeps them; taking the objects in
    the order of their streams and emptying the cache between streams holds one stream's worth
    of parsed objects at a time instead of the whole document's.
    """
    yield reader.trailer
    for generation, entries in reader.xref.items():
        for number in entries:
            yield IndirectObject(number, generation, reader)
            reader.resolved_objects.clear()
    current_stream = None
    for number, (stream, _index) in sorted(reader.xref_objStm.items(), key=lambda item: item[1]):
        if stream != current_stream:
            reader.resolved_objects.clear()
            current_stream = stream
        yield IndirectObject(number, 0, reader)
    reader.resolved_objects.clear()


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
