"""Story attachments: checked by content, photos stripped of location, served by access rule."""

from __future__ import annotations

import io
import json
import math
import os
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageFile, PngImagePlugin
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks
from pytest_django.fixtures import Settings

from conftest import World
from portal.models import AccessLog
from progress import attachments, services
from progress.models import ChangeStory, StoryAttachment
from tests import factories
from tests.progress.test_stories import _story_form

if TYPE_CHECKING:
    # What the test client returns: a response with the template context attached.
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

TITLE = "The water committee listens"
GPS_IFD = 0x8825
EXIF_ORIENTATION = 0x0112
EXIF_MAKE = 0x010F


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


# --- Files to upload ----------------------------------------------------------------------------


def _jpeg_with_gps(*, orientation: int = 1) -> bytes:
    """A phone photo as phones write them: camera make, GPS position, rotation flag."""
    image = Image.new("RGB", (64, 48), (200, 40, 40))
    exif = Image.Exif()
    exif[EXIF_MAKE] = "Phonemaker"
    exif[EXIF_ORIENTATION] = orientation
    exif[GPS_IFD] = {
        1: "N",
        2: (59.0, 19.0, 48.0),
        3: "E",
        4: (18.0, 4.0, 7.0),
    }
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    data = output.getvalue()
    # The upload really carries what must be removed.
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)[1] == "N"
    return data


def _png_with_text() -> bytes:
    image = Image.new("RGBA", (40, 30), (10, 120, 200, 128))
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Taken at the union office, Calle 5")
    output = io.BytesIO()
    image.save(output, "PNG", pnginfo=info)
    return output.getvalue()


def _pdf(
    *, open_action: dict[str, Any] | None = None, embedded_file: bool = False, password: str = ""
) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if open_action:
        action = DictionaryObject(
            {
                NameObject(key): NameObject(value)
                if value.startswith("/")
                else TextStringObject(value)
                for key, value in open_action.items()
            }
        )
        # Uncompressed, as pypdf writes them: the escaped-name case below edits the bytes.
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if embedded_file:
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


JAVASCRIPT_ACTION = {"/S": "/JavaScript", "/JS": "app.alert('hello');"}
LAUNCH_ACTION = {"/S": "/Launch", "/F": "cmd.exe"}


def _pdf_with_escaped_javascript_name() -> bytes:
    # "/J#61vaScript" is "/JavaScript" to every PDF reader; a byte scan would miss it.
    content = _pdf(open_action=JAVASCRIPT_ACTION)
    assert b"/JavaScript" in content
    return content.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


def _pdf_with_object_streams(*streams: list[bytes], unpacked_padding: int = 0) -> bytes:
    """A PDF keeping objects in compressed object streams, as most PDFs written today do.

    Each argument is the objects of one stream. ``unpacked_padding`` bytes after them make each
    stream unpack to that much more: a megabyte of them packs into a kilobyte, a small file that
    unpacks to a large one. pypdf reads such files but cannot write them, hence bytes by hand.
    """
    body = bytearray(b"%PDF-1.7\n")
    offsets: dict[int, int] = {}

    def add(number: int, content: bytes) -> None:
        offsets[number] = len(body)
        body.extend(b"%d 0 obj\n%s\nendobj\n" % (number, content))

    add(1, b"<</Type/Catalog/Pages 2 0 R>>")
    add(2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>")
    add(3, b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>")
    first_stream = 4
    next_object = first_stream + len(streams)
    in_stream: dict[int, int] = {}  # object number -> number of its stream
    for position, objects in enumerate(streams):
        numbers = range(next_object, next_object + len(objects))
        next_object += len(objects)
        offsets_in_stream, contents = [], b""
        for number, content in zip(numbers, objects, strict=True):
            in_stream[number] = first_stream + position
            offsets_in_stream.append(b"%d %d" % (number, len(contents)))
            contents += content + b"\n"
        header = b" ".join(offsets_in_stream) + b"\n"
        compressor = zlib.compressobj(9)
        packed = [compressor.compress(header + contents)]
        padding = b"0" * 1_048_576  # never parsed: the objects before it are all that is read
        for start in range(0, unpacked_padding, len(padding)):
            packed.append(compressor.compress(padding[: unpacked_padding - start]))
        data = b"".join(packed) + compressor.flush()
        add(
            first_stream + position,
            b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream"
            % (len(objects), len(header), len(data), data),
        )
    xref_number = next_object
    rows = [b"\x00" + struct.pack(">IH", 0, 65535)]
    for number in range(1, xref_number):
        if number in in_stream:
            rows.append(b"\x02" + struct.pack(">IH", in_stream[number], 0))
        else:
            rows.append(b"\x01" + struct.pack(">IH", offsets[number], 0))
    rows.append(b"\x01" + struct.pack(">IH", len(body), 0))
    table = zlib.compress(b"".join(rows))
    xref_offset = len(body)
    add(
        xref_number,
        b"<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Filter/FlateDecode/Length %d>>\nstream\n%s\n"
        b"endstream" % (xref_number + 1, len(table), table),
    )
    body.extend(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    return bytes(body)


JAVASCRIPT_IN_AN_OBJECT = b"<</S/JavaScript/JS(app.alert('hello');)>>"


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>fetch('/stories/').then(r => r.text()).then(alert)</script></svg>"
)


def _upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    # The browser's content type is whatever the sender says; it is never relied on.
    return SimpleUploadedFile(name, content, content_type=content_type)


def _post_story(client: Client, world: World, *files: SimpleUploadedFile) -> TestResponse:
    return client.post(reverse("story-create"), _story_form(world, attachments=list(files)))


def _download(client: Client, attachment: StoryAttachment) -> FileResponse:
    return client.get(reverse("story-attachment", args=[attachment.pk]))  # type: ignore[return-value]


def _body(response: FileResponse) -> bytes:
    # Reading the stream to its end lets the test client close the file itself. Calling
    # response.close() here would send request_finished outside the client's guard, and on
    # PostgreSQL that closes the connection of the test's transaction.
    return b"".join(response.streaming_content)  # type: ignore[arg-type]


def _status(client: Client, attachment: StoryAttachment) -> int:
    response = _download(client, attachment)
    if response.streaming:
        _body(response)  # a FileResponse holds the file open until it is read, as a server would
    return response.status_code


def _attachment_on(
    story: ChangeStory, content: bytes | None = None, name: str = "meeting.jpg"
) -> StoryAttachment:
    processed = attachments.process_upload(_upload(name, content or _jpeg_with_gps()))
    return services.attachment_add(story=story, item=processed)


def _stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


def _form_errors(response: TestResponse) -> list[str]:
    return list(response.context["form"].errors.get("attachments", []))


# --- Photos -------------------------------------------------------------------------------------


def test_it_gives_back_a_photo_without_location_or_any_metadata(
    world: World, client_as: Callable[[str], Client]
) -> None:
    client = client_as("partner")
    response = _post_story(client, world, _upload("meeting.jpg", _jpeg_with_gps()))
    story = ChangeStory.objects.get(title=TITLE)
    assert response["Location"] == reverse("story-detail", args=[story.pk])
    attachment = story.attachments.get()
    assert (attachment.kind, attachment.content_type) == ("photo", "image/jpeg")

    download = _download(client, attachment)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    body = _body(download)
    photo = Image.open(io.BytesIO(body))
    assert photo.format == "JPEG"
    assert dict(photo.getexif()) == {}
    assert photo.getexif().get_ifd(GPS_IFD) == {}
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(photo.info)
    assert b"Exif" not in body
    assert b"Phonemaker" not in body
    assert b"GPS" not in body
    assert attachment.size == len(body)


def test_it_turns_sideways_photos_upright_before_dropping_the_rotation_flag(
    world: World, client_as: Callable[[str], Client]
) -> None:
    # Orientation 6: the camera held upright, the sensor's pixels stored turned 90°.
    _post_story(client_as("partner"), world, _upload("upright.jpg", _jpeg_with_gps(orientation=6)))
    attachment = StoryAttachment.objects.get(story__title=TITLE)
    body = _body(_download(client_as("partner"), attachment))
    assert Image.open(io.BytesIO(body)).size == (48, 64)


def test_it_shrinks_large_photos(world: World, client_as: Callable[[str], Client]) -> None:
    output = io.BytesIO()
    Image.new("RGB", (4000, 1000), (0, 90, 0)).save(output, "JPEG")
    processed = attachments.process_upload(_upload("wide.jpg", output.getvalue()))
    assert Image.open(io.BytesIO(processed.content)).size == (attachments.MAX_PHOTO_SIDE, 640)


def test_it_keeps_png_transparency_and_drops_its_text(
    world: World, client_as: Callable[[str], Client]
) -> None:
    processed = attachments.process_upload(_upload("logo.jpg", _png_with_text(), "image/jpeg"))
    # Judged by content, so the ".jpg" name does not make it a JPEG.
    assert processed.content_type == "image/png"
    image = Image.open(io.BytesIO(processed.content))
    assert image.mode == "RGBA"
    assert "Comment" not in image.info
    assert b"union office" not in processed.content


def test_it_refuses_pictures_with_too_many_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments.photos, "MAX_PHOTO_PIXELS", 1000)
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("huge.jpg", _jpeg_with_gps()))
    assert refused.value.code == "too_many_pixels"


def test_it_refuses_a_damaged_photo() -> None:
    truncated = _jpeg_with_gps()[:300]
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("broken.jpg", truncated))
    assert refused.value.code == "damaged"


# --- Decoding limits: what one submission can make the server hold ------------------------------


def _png_of_nothing(width: int, height: int) -> bytes:
    """An RGBA PNG of transparent rows: a few hundred bytes per megapixel, a decompression bomb.

    Written chunk by chunk, because making it with Pillow would hold the whole canvas here.
    """
    row = b"\x00" + bytes(width * 4)  # filter type 0, then four zero bytes a pixel
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _jpeg(width: int, height: int) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 60)).save(output, "JPEG", quality=90)
    return output.getvalue()


def test_it_refuses_a_png_larger_than_it_can_decode_with_a_form_error(
    world: World,
    client_as: Callable[[str], Client],
    monkeypatch: pytest.MonkeyPatch,
    media_root: Path,
) -> None:
    monkeypatch.setattr(attachments.photos, "MAX_DECODED_PIXELS", 1000)
    response = _post_story(client_as("partner"), world, _upload("chart.png", _png_with_text()))
    [error] = _form_errors(response)
    assert error == (
        "“chart.png” is 40 × 30 pixels; a PNG image can have at most 0.001 megapixels. "
        "Save it as a JPEG photo, or at a smaller size, and attach it again."
    )
    assert not ChangeStory.objects.filter(title=TITLE).exists()
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    ("mode", "stored_mode"),
    [("P", "RGBA"), ("L", "RGB"), ("LA", "RGBA"), ("RGBA", "RGBA")],
)
def test_it_converts_and_scales_pngs_of_every_mode(mode: str, stored_mode: str) -> None:
    # Wider than what is kept, so each is converted (where needed), then scaled down.
    image = Image.new(mode, (3000, 20))
    output = io.BytesIO()
    image.save(output, "PNG", **({"transparency": 0} if mode == "P" else {}))
    processed = attachments.process_upload(_upload("chart.png", output.getvalue()))
    stored = Image.open(io.BytesIO(processed.content))
    assert (stored.mode, stored.size) == (stored_mode, (2560, 17))


def test_it_refuses_the_bomb_of_the_issue_from_its_header() -> None:
    # 7,070 x 7,070 RGBA: under the 50 MP a header may declare, 200 MB once decoded.
    bomb = _png_of_nothing(7070, 7070)
    assert len(bomb) < 200_000
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("bomb.png", bomb, "image/png"))
    assert refused.value.code == "too_many_pixels"
    assert "7070 × 7070 pixels" in refused.value.messages[0]


def test_it_decodes_a_jpeg_over_the_limit_at_a_smaller_scale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 64 x 48 is 3,072 pixels: over a limit of 1,000, but half of it (768) is under.
    monkeypatch.setattr(attachments.photos, "MAX_DECODED_PIXELS", 1000)
    processed = attachments.process_upload(_upload("meeting.jpg", _jpeg_with_gps()))
    assert Image.open(io.BytesIO(processed.content)).size == (32, 24)


def test_it_decodes_a_large_jpeg_no_larger_than_what_is_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 6,000 px wide: half is 3,000, still more than the 2,560 kept; a quarter would be less.
    decoded: list[tuple[int, int]] = []
    original_load = ImageFile.ImageFile.load

    def load(image: ImageFile.ImageFile) -> Any:
        decoded.append(image.size)
        return original_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    processed = attachments.process_upload(_upload("wide.jpg", _jpeg(6000, 400)))
    assert decoded[0] == (3000, 200)  # the first load is the decoding; later ones are no-ops
    assert Image.open(io.BytesIO(processed.content)).size == (2560, 171)


def test_it_shares_one_decoding_budget_among_the_files_of_a_submission(
    world: World,
    client_as: Callable[[str], Client],
    monkeypatch: pytest.MonkeyPatch,
    media_root: Path,
) -> None:
    # Room for two 40 x 30 PNGs (1,200 pixels each), not for a third.
    monkeypatch.setattr(attachments.photos, "MAX_DECODED_PIXELS_PER_SUBMISSION", 3000)
    png = _png_with_text()
    response = _post_story(
        client_as("partner"),
        world,
        _upload("one.png", png),
        _upload("two.png", png),
        _upload("three.png", png),
    )
    [error] = _form_errors(response)
    assert error == (
        "“three.png” was not added: the photos of one save can have at most 0.003 megapixels "
        "together. Attach fewer photos at a time (save a draft and add the others when you "
        "edit it) or smaller ones."
    )
    assert not ChangeStory.objects.filter(title=TITLE).exists()
    assert _stored_files(media_root) == []


def test_it_decodes_a_jpeg_smaller_to_fit_what_is_left_of_the_budget(
    world: World, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A 40 x 30 PNG spends 1,200 pixels; the 64 x 48 JPEG (3,072) fits the 2,000 left at half.
    monkeypatch.setattr(attachments.photos, "MAX_DECODED_PIXELS_PER_SUBMISSION", 3200)
    response = _post_story(
        client_as("partner"),
        world,
        _upload("chart.png", _png_with_text()),
        _upload("meeting.jpg", _jpeg_with_gps()),
    )
    assert response.status_code == 302
    photo = StoryAttachment.objects.get(story__title=TITLE, content_type="image/jpeg")
    assert Image.open(photo.file.path).size == (32, 24)


def test_it_refuses_in_the_language_of_the_person(
    world: World, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(attachments.photos, "MAX_DECODED_PIXELS", 1000)
    client = client_as("partner")
    client.cookies["django_language"] = "es"
    response = _post_story(client, world, _upload("chart.png", _png_with_text()))
    [error] = _form_errors(response)
    assert error.startswith("“chart.png” tiene 40 × 30 píxeles")


# What one photo can make the server hold, derived from the decoding limit: Pillow keeps at most
# 4 bytes a pixel, and at most two full-size images exist at once (the decoded one and a
# converted copy, or the decoded one and the passes that scale it down, each smaller than it).
# A third full-size image's worth is left for the request around it: Django, the form, the
# uploaded files. 3 x 4 B x 16 MP = 192 MB. Before these limits, one of the issue's PNGs made
# 858 MB.
MEMORY_BOUND = 3 * 4 * attachments.MAX_DECODED_PIXELS
PROJECT_ROOT = Path(__file__).resolve().parents[2]
_SIDE_UNDER_THE_LIMIT = math.isqrt(attachments.MAX_DECODED_PIXELS)
# The largest photos phones take: 50 MP sensors, 8,160 x 6,120.
_PHONE_PHOTO = (8160, 6120)


def _post_in_a_fresh_process(tmp_path: Path, files: dict[str, bytes]) -> dict[str, Any]:
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        DEBUG="true",
        DATABASE_URL="sqlite://:memory:",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "tests.progress.attachment_memory_probe"]
        + [str(tmp_path / name) for name in files],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def _five_bombs() -> dict[str, bytes]:
    # The issue's upload: 7,070 x 7,070 RGBA, under the 50 MP a header may declare, 194 KB.
    bomb = _png_of_nothing(7070, 7070)
    return {f"bomb{n}.png": bomb for n in range(5)}


def _png_at_the_decoding_limit() -> dict[str, bytes]:
    return {"scan.png": _png_of_nothing(_SIDE_UNDER_THE_LIMIT, _SIDE_UNDER_THE_LIMIT)}


def _five_phone_photos() -> dict[str, bytes]:
    photo = _jpeg(*_PHONE_PHOTO)
    return {f"phone{n}.jpg": photo for n in range(5)}


def _five_pdf_bombs() -> dict[str, bytes]:
    # Four object streams that unpack to 70 MB each, 270 KB of file.
    bomb = _pdf_with_object_streams(*[[b"<<>>"]] * 4, unpacked_padding=70_000_000)
    return {f"report{n}.pdf": bomb for n in range(5)}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize(
    ("make_files", "refusal"),
    [
        pytest.param(_five_bombs, "a PNG image can have at most", id="five-7070x7070-pngs"),
        pytest.param(_png_at_the_decoding_limit, None, id="png-at-the-decoding-limit"),
        pytest.param(_five_phone_photos, None, id="five-50mp-jpegs"),
        pytest.param(_five_pdf_bombs, "unpacks to more than", id="five-pdf-bombs"),
    ],
)
def test_it_keeps_the_memory_of_a_worst_case_submission_under_its_bound(
    tmp_path: Path, make_files: Callable[[], dict[str, bytes]], refusal: str | None
) -> None:
    assert _PHONE_PHOTO[0] * _PHONE_PHOTO[1] <= attachments.MAX_PHOTO_PIXELS
    files = make_files()
    report = _post_in_a_fresh_process(tmp_path, files)
    print(
        f"attachments: {len(files)} file(s) of {max(map(len, files.values())):,} bytes, "
        f"peak {report['peak_bytes'] / 2**20:.0f} MiB in one request "
        f"(bound {MEMORY_BOUND / 2**20:.0f} MiB; high-water mark reset: "
        f"{report['high_water_mark_reset']})"
    )
    if refusal is None:
        assert report["status"] == 302, report["errors"]
        assert report["stories"] == 1
        assert len(report["attachments"]) == len(files)
    else:
        assert report["status"] == 200
        assert len(report["errors"]) == len(files)
        assert all(refusal in error for error in report["errors"])
        assert report["stories"] == 0
    assert report["peak_bytes"] < MEMORY_BOUND


# --- What is refused ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.jpg", EXECUTABLE, "image/jpeg"),
        ("drawing.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
        ("drawing.png", SVG_WITH_SCRIPT, "image/png"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ],
    ids=["renamed-executable", "svg-with-script", "svg-renamed-png", "html-renamed-pdf"],
)
def test_it_refuses_files_that_are_not_photos_or_pdfs_with_a_form_error(
    world: World,
    client_as: Callable[[str], Client],
    media_root: Path,
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    response = _post_story(client_as("partner"), world, _upload(name, content, content_type))
    assert response.status_code == 200
    [error] = _form_errors(response)
    assert f"“{name}” is neither a photo (JPEG or PNG) nor a PDF document" in error
    assert error in response.content.decode()
    assert not ChangeStory.objects.filter(title=TITLE).exists()
    assert _stored_files(media_root) == []


def test_it_refuses_a_file_over_the_limit_with_a_form_error(
    world: World,
    client_as: Callable[[str], Client],
    settings: Settings,
    media_root: Path,
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 2048
    large = _pdf() + b"%" + b"x" * 3000
    response = _post_story(client_as("partner"), world, _upload("big.pdf", large))
    [error] = _form_errors(response)
    assert error.startswith("“big.pdf” is ")
    assert "a file can be at most 2.0\xa0KB" in error
    assert not ChangeStory.objects.filter(title=TITLE).exists()
    assert _stored_files(media_root) == []


def test_it_names_every_refused_file_and_keeps_none(
    world: World, client_as: Callable[[str], Client], media_root: Path
) -> None:
    response = _post_story(
        client_as("partner"),
        world,
        _upload("good.jpg", _jpeg_with_gps()),
        _upload("photo.jpg", EXECUTABLE),
        _upload("drawing.svg", SVG_WITH_SCRIPT),
    )
    errors = _form_errors(response)
    assert len(errors) == 2
    assert "“photo.jpg”" in errors[0] and "“drawing.svg”" in errors[1]
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    "content",
    [
        _pdf(open_action=JAVASCRIPT_ACTION),
        _pdf_with_escaped_javascript_name(),
        _pdf(open_action=LAUNCH_ACTION),
        _pdf(embedded_file=True),
    ],
    ids=["javascript", "escaped-javascript-name", "launch-action", "embedded-file"],
)
def test_it_refuses_pdfs_that_can_act(content: bytes) -> None:
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("report.pdf", content, "application/pdf"))
    assert refused.value.code == "active_content"


def test_it_refuses_a_password_protected_pdf() -> None:
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("locked.pdf", _pdf(password="s3cret")))
    assert refused.value.code == "encrypted"


def test_it_reads_objects_in_compressed_object_streams() -> None:
    harmless = _pdf_with_object_streams([b"<</Title(Minutes)>>", b"[1 2 3]"], [b"<<>>"])
    processed = attachments.process_upload(_upload("minutes.pdf", harmless))
    assert processed.content_type == "application/pdf"
    # The script sits in the second of two streams, after the cache of the first is emptied.
    hostile = _pdf_with_object_streams([b"<<>>", b"<<>>"], [b"<<>>", JAVASCRIPT_IN_AN_OBJECT])
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("minutes.pdf", hostile))
    assert refused.value.code == "active_content"


def test_it_refuses_a_pdf_whose_object_stream_unpacks_too_large() -> None:
    # 5 MB of padding in one stream: over the 4 MB one stream may unpack to, from 5 KB of file.
    bomb = _pdf_with_object_streams([b"<<>>"], unpacked_padding=5 * 1024 * 1024)
    assert len(bomb) < 10_000
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("report.pdf", bomb))
    assert refused.value.code == "too_complex"
    assert refused.value.messages == [
        "“report.pdf” unpacks to more than can be checked here (16.0\xa0MB). Export or print it "
        "again as a PDF, or attach only the pages that matter."
    ]


def test_it_refuses_a_pdf_whose_object_streams_unpack_too_large_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(attachments.pdfs, "MAX_PDF_UNPACKED_BYTES", 3000)
    two_of_2000_bytes = [[b"<<>>"], [b"<<>>"]]
    fitting = _pdf_with_object_streams(two_of_2000_bytes[0], unpacked_padding=2000)
    assert attachments.process_upload(_upload("one.pdf", fitting)).kind == "document"
    over = _pdf_with_object_streams(*two_of_2000_bytes, unpacked_padding=2000)
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("two.pdf", over))
    assert refused.value.code == "too_complex"


def test_it_refuses_a_pdf_with_too_many_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(attachments.pdfs, "MAX_PDF_PAGES", 2)
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    with pytest.raises(attachments.ValidationError) as refused:
        attachments.process_upload(_upload("book.pdf", output.getvalue()))
    assert refused.value.code == "too_many_pages"
    assert "has more than 2 pages" in refused.value.messages[0]
    writer.remove_page(0)
    output = io.BytesIO()
    writer.write(output)
    assert attachments.process_upload(_upload("book.pdf", output.getvalue())).kind == "document"


def test_it_caps_the_number_of_attachments_per_story(
    world: World, client_as: Callable[[str], Client]
) -> None:
    draft = factories.StoryFactory.create(partner=world.alpha, status=ChangeStory.Status.DRAFT)
    for _ in range(attachments.MAX_ATTACHMENTS_PER_STORY - 1):
        _attachment_on(draft)
    data = _story_form(
        world,
        submit=None,
        save="draft",
        attachments=[_upload("one.jpg", _jpeg_with_gps()), _upload("two.jpg", _jpeg_with_gps())],
    )
    data.pop("form_token")
    response = client_as("partner").post(reverse("story-edit", args=[draft.pk]), data)
    [error] = _form_errors(response)
    assert "at most 5 photos and documents; it has 4 and you chose 2" in error
    assert draft.attachments.count() == attachments.MAX_ATTACHMENTS_PER_STORY - 1


# --- What is accepted and how it is served --------------------------------------------------------


def test_it_accepts_a_pdf_and_serves_it_as_a_download(
    world: World, client_as: Callable[[str], Client]
) -> None:
    content = _pdf()
    client = client_as("partner")
    _post_story(client, world, _upload("Annual report.pdf", content, "application/octet-stream"))
    attachment = StoryAttachment.objects.get(story__title=TITLE)
    assert (attachment.kind, attachment.content_type) == ("document", "application/pdf")

    download = _download(client, attachment)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Annual report.pdf"'
    assert _body(download) == content


def test_it_sends_headers_that_keep_the_browser_from_running_uploads(
    world: World, client_as: Callable[[str], Client]
) -> None:
    attachment = _attachment_on(world.alpha_story, name="meeting.png")
    response = _download(client_as("partner"), attachment)
    _body(response)
    assert response["Content-Disposition"] == 'inline; filename="meeting.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "sandbox" in response["Content-Security-Policy"]


def test_it_stores_files_under_random_names(
    world: World, client_as: Callable[[str], Client], media_root: Path
) -> None:
    _post_story(
        client_as("partner"), world, _upload("../../María at the march.jpg", _jpeg_with_gps())
    )
    attachment = StoryAttachment.objects.get(story__title=TITLE)
    stored_name = str(attachment.file.name)
    assert re.fullmatch(r"attachments/[0-9a-f]{32}\.jpg", stored_name)
    assert attachment.original_name == "María at the march.jpg"
    [stored] = _stored_files(media_root)
    assert stored == media_root / stored_name
    assert "María" not in str(stored)


def test_it_adds_attachments_when_a_draft_is_edited(
    world: World, client_as: Callable[[str], Client]
) -> None:
    draft = factories.StoryFactory.create(partner=world.alpha, status=ChangeStory.Status.DRAFT)
    _attachment_on(draft)
    data = _story_form(
        world, submit=None, save="draft", attachments=[_upload("chart.png", _png_with_text())]
    )
    data.pop("form_token")
    response = client_as("partner").post(reverse("story-edit", args=[draft.pk]), data)
    assert response.status_code == 302
    assert list(draft.attachments.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/png",
    ]


def test_it_stores_the_files_of_a_double_submit_once(
    world: World, client_as: Callable[[str], Client], media_root: Path
) -> None:
    client = client_as("partner")
    data = _story_form(world)
    for _ in range(2):
        data["attachments"] = [_upload("meeting.jpg", _jpeg_with_gps())]
        client.post(reverse("story-create"), data)
    assert StoryAttachment.objects.filter(story__title=TITLE).count() == 1
    assert len(_stored_files(media_root)) == 1


def test_it_deletes_written_files_when_the_save_fails(
    world: World, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = attachments.process_upload(_upload("one.jpg", _jpeg_with_gps()))
    original_save = StoryAttachment.save
    saved: list[int] = []

    def save_then_fail(self: StoryAttachment, *args: Any, **kwargs: Any) -> None:
        if saved:
            raise RuntimeError("the database went away")
        original_save(self, *args, **kwargs)
        saved.append(self.pk)

    monkeypatch.setattr(StoryAttachment, "save", save_then_fail)
    story = ChangeStory(
        title=TITLE,
        narrative="A draft.",
        partner=world.alpha,
        country="GT",
        submitter_role=ChangeStory.SubmitterRole.PARTNER,
        collection_mode=ChangeStory.CollectionMode.SELF_ENTERED,
    )
    with pytest.raises(RuntimeError):
        services.story_save(
            actor=world.users["partner"],
            story=story,
            change_types=[],
            target_groups=[],
            submit=False,
            attachments=[photo, photo],
        )
    assert _stored_files(media_root) == []


def test_it_lists_attachments_on_the_story_page(
    world: World, client_as: Callable[[str], Client]
) -> None:
    photo = _attachment_on(world.alpha_story)
    document = _attachment_on(world.alpha_story, content=_pdf(), name="minutes.pdf")
    body = client_as("partner").get(reverse("story-detail", args=[world.alpha_story.pk]))
    html = body.content.decode()
    assert f'<img src="{reverse("story-attachment", args=[photo.pk])}"' in html
    assert f'href="{reverse("story-attachment", args=[document.pk])}" download>minutes.pdf' in html


def test_it_cleans_the_names_people_see() -> None:
    clean = attachments.clean_original_name
    assert clean("C:\\Users\\ana\\Desktop\\acta.pdf") == "acta.pdf"
    assert clean("/home/ana/acta.pdf") == "acta.pdf"
    # A right-to-left override would make "photo\u202egpj.exe" read as "photoexe.jpg".
    assert clean("photo\u202egpj.exe") == "photogpj.exe"
    assert clean("bad\x00name\r\n.jpg") == "badname.jpg"
    assert clean("...hidden.jpg") == "hidden.jpg"
    assert clean("می\u200cخواهم.jpg") == "می\u200cخواهم.jpg"  # the Persian ZWNJ stays
    long_name = clean("a" * 300 + ".jpeg")
    assert len(long_name) == attachments.MAX_NAME_LENGTH
    assert long_name.endswith("a.jpeg")
    assert clean(None) == ""


# --- Who may download -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("story", "role", "status"),
    [
        ("alpha_story", "admin", 200),
        ("alpha_story", "staff", 200),
        ("alpha_story", "officer", 200),
        ("alpha_story", "partner", 200),
        ("alpha_story", "partner2", 404),
        ("alpha_story", "secret", 404),
        ("alpha_story", "member", 200),  # verified, consent to quote, in its network
        ("hidden_story", "staff", 200),
        ("hidden_story", "secret", 200),
        ("hidden_story", "officer", 404),
        ("hidden_story", "partner", 404),
        ("hidden_story", "member", 404),
    ],
)
def test_it_serves_attachments_only_to_who_may_see_the_story(
    world: World, client_as: Callable[[str], Client], story: str, role: str, status: int
) -> None:
    attachment = _attachment_on(getattr(world, story))
    assert _status(client_as(role), attachment) == status


def test_it_hides_a_draft_s_attachments_from_network_members(
    world: World, client_as: Callable[[str], Client]
) -> None:
    draft = factories.StoryFactory.create(partner=world.alpha, status=ChangeStory.Status.DRAFT)
    attachment = _attachment_on(draft)
    assert _status(client_as("member"), attachment) == 404
    assert _status(client_as("partner"), attachment) == 200


def test_it_answers_unknown_attachments_as_it_answers_foreign_ones(
    world: World, client_as: Callable[[str], Client]
) -> None:
    attachment = _attachment_on(world.alpha_story)
    foreign = _download(client_as("partner2"), attachment)
    missing = client_as("partner2").get(reverse("story-attachment", args=[attachment.pk + 1000]))
    assert foreign.status_code == missing.status_code == 404
    assert b"Frente de Mujeres Alfa" not in foreign.content


def test_it_sends_anonymous_visitors_to_log_in(world: World, client: Client) -> None:
    attachment = _attachment_on(world.alpha_story)
    response = _download(client, attachment)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_logs_a_cleared_read_of_a_confidential_attachment(
    world: World, client_as: Callable[[str], Client]
) -> None:
    attachment = _attachment_on(world.hidden_story)
    assert _status(client_as("staff"), attachment) == 200
    log = AccessLog.objects.get(user=world.users["staff"])
    assert (log.object_type, log.object_id) == ("progress.changestory", str(world.hidden_story.pk))


def test_it_has_no_media_url(world: World, client_as: Callable[[str], Client]) -> None:
    attachment = _attachment_on(world.alpha_story)
    for prefix in ("/media/", "/static/", "/"):
        response = client_as("admin").get(prefix + str(attachment.file.name))
        assert response.status_code == 404


def test_it_downloads_in_a_constant_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_as("staff")
    attachment = _attachment_on(world.alpha_story)
    # Session, user, OTP device; the attachment; its story with its partner, through the rules.
    with django_assert_num_queries(5):
        _body(_download(client, attachment))
    confidential = _attachment_on(world.hidden_story)
    # The same, plus the access-log row for a confidential partner's story.
    with django_assert_num_queries(6):
        _body(_download(client, confidential))


def test_it_shows_attachments_read_only_in_the_admin(
    world: World, client_as: Callable[[str], Client]
) -> None:
    attachment = _attachment_on(world.alpha_story)
    url = reverse("admin:progress_changestory_change", args=[world.alpha_story.pk])
    html = client_as("admin").get(url).content.decode()
    assert f'href="{reverse("story-attachment", args=[attachment.pk])}"' in html
    # No way in for a file that skipped the checks, and no storage name on show.
    assert 'type="file"' not in html
    assert str(attachment.file.name) not in html


def test_it_removes_the_file_when_the_story_is_deleted_in_the_admin_way(
    world: World,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    story = factories.StoryFactory.create(partner=world.alpha)
    attachment = _attachment_on(story)
    path = Path(attachment.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        story.delete()  # cascades to the attachment row without any service
    assert not path.exists()
