"""The IATI 2.03 activity file: programmes (hierarchy 1) and their partners' projects (hierarchy 2).

Confidential partners, their projects and their stories are never in the file, whoever asks
for it: callers pass querysets from the selectors and :func:`build_activities` filters
them again on its own. The results framework travels as ``result`` elements from approved
figures (``reporting.iati.results``). :func:`validate` checks a file against the IATI XSD, the
codelists and the business rules of ``../shared/iati/README.md`` (the ones of IATI/IATI-Rulesets
that apply); ``reporting.iati.check`` lists every problem for the check page.
"""

from reporting.iati.build import PUBLISHABLE_STORY_STATUSES, build_activities, to_bytes
from reporting.iati.results import Framework, load_framework
from reporting.iati.validate import Problem, problems, validate

__all__ = [
    "PUBLISHABLE_STORY_STATUSES",
    "Framework",
    "Problem",
    "build_activities",
    "load_framework",
    "problems",
    "to_bytes",
    "validate",
]
