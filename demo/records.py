"""What the demo's data files describe, as typed records (read by ``demo.data_files``).

Each record is one entry of a data file: a partner, a programme, a login, a kind of story. A
field whose value must be one of a model's choices says so in its metadata (``choice_of``), and
the loader checks it, so that a typo in a data file is reported with the file and the entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import TextChoices

from partners.models import MemberOrganisation, MembershipRequest, Partner
from portal.models import User
from programs.models import ActivityFormat, ActivityKind, FocusArea, Funder, Project
from progress.models import ChangeStory
from solidarity.models import Contribution


def choice_of(choices: type[TextChoices], **default: Any) -> Any:
    """A field whose value must be one of ``choices`` (checked on loading).

    Type checkers take any such field for one with a default: keep those without one after
    the plain required fields.
    """
    return field(metadata={"choices": choices}, **default)


# --- organisations.toml ---------------------------------------------------------------------


@dataclass(frozen=True)
class ContactSeed:
    name: str
    position: str
    email: str


@dataclass(frozen=True)
class ProjectSeed:
    key: str  # how the activity plans refer to the project
    program: str  # a programme's code
    title: str
    budget_sek: int
    description: str
    status: str = choice_of(Project.Status, default=Project.Status.ACTIVE)
    start: date | None = None  # default: the overlap of programme and partnership
    end: date | None = None


@dataclass(frozen=True)
class PartnerSeed:
    name: str
    country: str  # ISO 3166 code
    website: str
    description: str
    kind: str = choice_of(Partner.Kind)
    localities: tuple[str, ...] = ()
    contacts: tuple[ContactSeed, ...] = ()
    projects: tuple[ProjectSeed, ...] = ()
    start: date | None = None
    end: date | None = None
    status: str = choice_of(Partner.Status, default=Partner.Status.ACTIVE)
    is_confidential: bool = False
    # Relative share of the stories; 0 for a partner that has not started working with us.
    story_weight: int = 3


# --- programmes.toml ------------------------------------------------------------------------


@dataclass(frozen=True)
class FunderSeed:
    name: str
    kind: str = choice_of(Funder.Kind)
    iati_ref: str = ""


@dataclass(frozen=True)
class ProgramSeed:
    code: str  # the tail of the IATI identifier, and how the other files refer to it
    title: str
    budget_sek: int
    dac_sector_codes: tuple[str, ...]
    funders: tuple[str, ...]
    responsible: str  # a username
    description: str
    focus_area: str = choice_of(FocusArea)
    grants: dict[str, int] = field(default_factory=dict)  # funder name -> SEK


# --- logins.toml ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSeed:
    username: str
    first_name: str
    last_name: str
    label: str  # for the summary printed at the end
    role: str = choice_of(User.Role)
    is_superuser: bool = False
    is_staff: bool = False
    is_cleared: bool = False
    partner: str | None = None
    member_organisation: str | None = None
    totp: bool = False


@dataclass(frozen=True)
class Logins:
    password: str
    totp_secret: str  # base32, as an authenticator app takes it
    device_name: str
    users: tuple[UserSeed, ...]


# --- networks.toml --------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberSeed:
    name: str
    org_number: str
    municipality: str
    kind: str = choice_of(MemberOrganisation.Kind)
    website: str = ""
    parent: str | None = None  # the district or branch it belongs to


@dataclass(frozen=True)
class MembershipRequestSeed:
    """A member organisation's request to join or leave a network, waiting for staff."""

    member: str
    network: str
    kind: str = choice_of(MembershipRequest.Kind)
    note: str = ""


@dataclass(frozen=True)
class MembershipSeed:
    name: str  # a member organisation
    joined_on: date


@dataclass(frozen=True)
class NetworkSeed:
    name: str
    theme: str
    description: str
    countries: tuple[str, ...]
    partners: tuple[str, ...]  # never confidential ones: members see their networks' partners
    programs: tuple[str, ...]
    members: tuple[MembershipSeed, ...]


@dataclass(frozen=True)
class ContributionSeed:
    on: date
    kind: str = choice_of(Contribution.Kind)
    member: str | None = None  # a member organisation, or ...
    donor: str = ""  # ... an individual; never both (a model constraint)
    amount_sek: int | None = None
    hours: float | None = None
    network: str | None = None
    program: str | None = None
    note: str = ""
    status: str = choice_of(Contribution.Status, default=Contribution.Status.CONFIRMED)


@dataclass(frozen=True)
class PledgeSeed:
    """A monthly pledge from ``first`` to ``last`` (none: until further notice), paid on the
    25th (Swedish payday) until the anchor, or only until ``paid_until`` (a pledge behind)."""

    amount_sek: int
    first: date
    last: date | None = None
    paid_until: date | None = None
    donor: str = ""
    member: str | None = None
    network: str | None = None
    program: str | None = None


# --- activities.toml ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedSeed:
    title: str
    target: int
    kind: str = choice_of(ActivityKind)
    format: str = choice_of(ActivityFormat)
    quarter: int | None = None  # None: any time during the year
    project: str | None = None  # a project's key
    responsible: str = ""
    held: int | None = None  # how many times by the anchor date; None: drawn from the seed
    on: date | None = None  # the day, where it is set (its quarter follows)


@dataclass(frozen=True)
class PlanSeed:
    """A plan of a member organisation or branch (``member``), of a partner (``partner``), or
    of the secretariat's own staff (``team`` names it); a branch's plan may sit under another
    unit's plan of the same year (``parent``, that unit's name)."""

    year: int
    items: tuple[PlannedSeed, ...]
    team: str = ""
    member: str | None = None
    partner: str | None = None  # a partner's own plan (organisations.toml, by name)
    parent: str | None = None
    program: str | None = None

    @property
    def title(self) -> str:
        return f"{self.member or self.partner or self.team}: activity plan {self.year}"


@dataclass(frozen=True)
class UnplannedSeed:
    """Something held although no plan asked for it: follow-up must show these too."""

    title: str
    on: date
    kind: str = choice_of(ActivityKind)
    format: str = choice_of(ActivityFormat)
    project: str | None = None
    member: str | None = None  # a member organisation's own activity


@dataclass(frozen=True)
class ActivityData:
    swedish_places: tuple[str, ...]  # where activities without a partner's project are held
    participants: dict[str, tuple[int, int]]  # typical head count per kind (fewest, most)
    plans: tuple[PlanSeed, ...]
    unplanned: tuple[UnplannedSeed, ...]


# --- stories.toml ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryText:
    title: str
    narrative: str  # may use ``{place}`` (a town) and ``{number}`` (12-60)


@dataclass(frozen=True)
class StoryTemplate:
    """One kind of event, told in each of the portal's three languages.

    ``change_types[0]`` is always ticked, the others sometimes: storytellers rarely agree on a
    single box.
    """

    change_types: tuple[str, ...]
    target_groups: tuple[str, ...]
    tags: frozenset[str]  # what the story is about, for weighting it by context
    en: StoryText
    sv: StoryText
    es: StoryText
    who_changed: str = choice_of(ChangeStory.WhoChanged)
    direction: str = choice_of(ChangeStory.Direction, default=ChangeStory.Direction.POSITIVE)
    # Partner kinds the event makes sense for (a party congress, a cooperative); empty: all.
    kinds: frozenset[str] = frozenset()

    def text(self, language: str) -> StoryText:
        return {"en": self.en, "sv": self.sv, "es": self.es}[language]


@dataclass(frozen=True)
class StoryData:
    templates: tuple[StoryTemplate, ...]
    status_weights: dict[str, int]
    significance_weights: tuple[int, ...]  # for significance 1 to 5
    indigenous_contexts: frozenset[str]  # countries where indigenous peoples' stories fit
    # language -> "low" | "mid" | "high" | "negative" -> reasons
    significance_reasons: dict[str, dict[str, tuple[str, ...]]]
    contribution_texts: dict[str, dict[str, tuple[str, ...]]]  # language -> level -> texts
    review_questions: tuple[str, ...]
    selection_reasons: tuple[str, ...]


# --- all files together ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    anchor: date  # the demo world's "today": every date is relative to it
    stories_from: date
    program_start: date
    program_end: date
    iati_organisation: str
    partners: tuple[PartnerSeed, ...]
    storytellers: dict[str, tuple[str, ...]]  # country -> invented storytellers
    funders: tuple[FunderSeed, ...]
    programs: tuple[ProgramSeed, ...]
    logins: Logins
    member_organisations: tuple[MemberSeed, ...]
    networks: tuple[NetworkSeed, ...]
    contributions: tuple[ContributionSeed, ...]
    monthly_pledges: tuple[PledgeSeed, ...]
    membership_requests: tuple[MembershipRequestSeed, ...]
    activities: ActivityData
    stories: StoryData
