"""Photos: decoded within a pixel budget, rebuilt from their pixels alone (no metadata left)."""

from __future__ import annotations

import io
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

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


def reencode_photo(data: bytes, shown_name: str, budget: DecodingBudget) -> tuple[bytes, str]:
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
