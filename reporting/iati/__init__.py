"""The IATI 2.03 activity file: programmes (hierarchy 1) and their partners' projects (hierarchy 2).

Confidential partners, their projects and their stories are never in the file, whoever asks
for it: callers pass querysets from the selectors and :func:`build_activities` filters
them again on its own. :func:`validate` checks a file against the IATI XSD, the codelists and
the business rules of ``../shared/iati/README.md`` (the ones of IATI/IATI-Rulesets that apply).
"""

from reporting.iati.build import PUBLISHABLE_STORY_STATUSES, build_activities, to_bytes
from reporting.iati.validate import validate

__all__ = ["PUBLISHABLE_STORY_STATUSES", "build_activities", "to_bytes", "validate"]
