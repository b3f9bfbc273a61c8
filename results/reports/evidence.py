"""Evidence attached to a report: documents and photos, checked and cleaned as story
attachments are (``progress.attachments.process_upload``: content, not names, decides; photos
rebuilt from their pixels, so no GPS or other metadata survives; PDFs that could run code
refused), stored under random names, and served only through the report's access rules."""

from __future__ import annotations

from django.core.files.base import ContentFile

from progress.attachments import ProcessedAttachment
from results.models import ReportAttachment, ReportEntry

# As for a story: enough for a list of participants, a photo or two and a summary.
MAX_ATTACHMENTS_PER_ENTRY = 5


def store(entry: ReportEntry, item: ProcessedAttachment) -> ReportAttachment:
    """One checked file on the entry. Called inside the report's transaction: if the row cannot
    be written, the file goes too (the same reasoning as ``progress.services._attach``)."""
    attachment = ReportAttachment(
        entry=entry,
        kind=item.kind,
        content_type=item.content_type,
        size=len(item.content),
        original_name=item.original_name,
    )
    # The name given here is ignored: ``evidence_path`` draws a random one.
    attachment.file.save("upload", ContentFile(item.content), save=False)
    try:
        attachment.save()
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment
