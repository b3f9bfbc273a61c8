"""Serving story attachments: the only way a stored file leaves the server.

No URL maps onto MEDIA_ROOT; each download finds the attachment's story through the access
rules, so whoever may not see the story gets the same 404 as for an attachment that does not
exist.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from progress.attachments import STORED_CONTENT_TYPES, download_name
from progress.models import StoryAttachment
from progress.selectors import get_story_for_user

logger = logging.getLogger(__name__)

# Uploaded content is never trusted to be what it claims, even after the checks: the browser
# must not sniff another type, run anything in it, frame it, or keep a copy in a shared cache.
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = StoryAttachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    # Raises 404 outside the viewer's scope, and logs a cleared viewer's read of a confidential
    # partner's story, as opening the story itself does.
    get_story_for_user(request.user, attachment.story_id, request=request)
    return private_file_response(attachment)


def private_file_response(attachment: Any) -> FileResponse:
    """A stored, checked upload (a story's attachment, a results report's evidence) with the
    headers that keep the browser from doing anything with it but show a photo or save a file.
    The caller has checked that the viewer may see what it belongs to."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        logger.warning(
            "attachment.missing_file model=%s id=%s", attachment._meta.model_name, attachment.pk
        )
        raise Http404 from error
    content_type = attachment.content_type
    if content_type not in STORED_CONTENT_TYPES:
        # Only rows written outside the upload path (a shell, a fixture) could get here.
        content_type = "application/octet-stream"
    inline = attachment.kind == StoryAttachment.Kind.PHOTO and content_type.startswith("image/")
    response = FileResponse(
        handle,
        content_type=content_type,
        # Photos show in the page (thumbnails); documents are saved, never opened in the tab.
        as_attachment=not inline,
        filename=download_name(attachment.original_name, attachment.content_type),
    )
    for header, value in _HEADERS.items():
        response[header] = value
    return response
