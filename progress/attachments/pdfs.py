"""PDF documents: refused when they could run code or carry files; unpacked within bounds."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
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

logger = logging.getLogger(__name__)

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


def check_pdf(data: bytes, shown_name: str) -> None:
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
