"""The one rule set deciding who may see what.

Every view, form choice list, admin list, search, count and export reads through the selectors
here (``visible_<things>(user)``) and fetches single objects through the getters
(``get_<thing>_for_user(user, pk)``), which answer 404 for anything outside the viewer's scope:
a 403 would confirm that the object exists.

The rules (DESIGN §4):

- administrators and cleared staff see everything; each time they open a confidential record a
  row is written to the access log;
- programme officers (staff, not cleared) see everything except confidential partners and what
  hangs off them: their contacts, projects, activities and stories;
- a partner user sees its own organisation (confidential or not) and what belongs to it;
- a network member sees the public side of its networks: the networks, their non-confidential
  partners and programmes, and verified stories whose storytellers agreed to be quoted;
- anyone else sees nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from partners.models import (
    Contribution,
    MemberOrganisation,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from portal.models import AccessLog, User
from programs.models import Activity, ActivityPlan, PlannedActivity, Program, Project
from progress.models import ChangeStory, StoryAggregate, StoryStatusCount, SubmissionLink

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

    AnyUser = User | AnonymousUser | AbstractBaseUser

M = TypeVar("M", bound=Model)

PUBLIC_STORY_STATUSES = (ChangeStory.Status.VERIFIED, ChangeStory.Status.SELECTED)


def _as_user(user: AnyUser) -> User | None:
    if isinstance(user, User) and user.is_active:
        return user
    return None


def _own_partner_id(viewer: User) -> int:
    # Only called once ``is_partner_user`` has checked that the id is set.
    return cast(int, viewer.partner_id)


def _own_member_organisation_id(viewer: User) -> int:
    # Only called once ``is_network_member`` has checked that the id is set.
    return cast(int, viewer.member_organisation_id)


def _network_ids(user: User) -> QuerySet[SolidarityNetwork, Any]:
    """The networks a member organisation's user currently belongs to."""
    return SolidarityNetwork.objects.filter(
        memberships__member_organisation_id=_own_member_organisation_id(user),
        memberships__left_on__isnull=True,
    ).values("pk")


# --- Selectors ----------------------------------------------------------------------------------


def visible_partners(user: AnyUser) -> QuerySet[Partner]:
    partners = Partner.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return partners.none()
    if viewer.sees_confidential:
        return partners
    if viewer.is_portal_staff:
        return partners.filter(is_confidential=False)
    if viewer.is_partner_user:
        return partners.filter(pk=_own_partner_id(viewer))
    if viewer.is_network_member:
        return partners.filter(is_confidential=False, networks__in=_network_ids(viewer)).distinct()
    return partners.none()


def visible_contacts(user: AnyUser) -> QuerySet[PartnerContact]:
    contacts = PartnerContact.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return contacts.none()
    if viewer.sees_confidential:
        return contacts
    if viewer.is_portal_staff:
        return contacts.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return contacts.filter(partner_id=_own_partner_id(viewer))
    # Network members never see partners' contact people: personal data they do not need.
    return contacts.none()


def visible_programs(user: AnyUser) -> QuerySet[Program]:
    programs = Program.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return programs.none()
    if viewer.is_portal_staff:
        # Programmes themselves are never confidential; what they show of their projects and
        # partners goes through the selectors below.
        return programs
    if viewer.is_partner_user:
        return programs.filter(
            pk__in=Project.objects.filter(partner_id=_own_partner_id(viewer)).values("program_id")
        )
    if viewer.is_network_member:
        return programs.filter(networks__in=_network_ids(viewer)).distinct()
    return programs.none()


def visible_projects(user: AnyUser) -> QuerySet[Project]:
    projects = Project.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return projects.none()
    if viewer.sees_confidential:
        return projects
    if viewer.is_portal_staff:
        return projects.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return projects.filter(partner_id=_own_partner_id(viewer))
    if viewer.is_network_member:
        return projects.filter(partner__in=visible_partners(viewer).values("pk"))
    return projects.none()


def visible_stories(user: AnyUser) -> QuerySet[ChangeStory]:
    stories = ChangeStory.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return stories.none()
    if viewer.sees_confidential:
        return stories
    if viewer.is_portal_staff:
        return stories.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return stories.filter(partner_id=_own_partner_id(viewer))
    if viewer.is_network_member:
        return stories.filter(
            status__in=PUBLIC_STORY_STATUSES,
            consent_quote_internal=True,
            partner__in=visible_partners(viewer).values("pk"),
        )
    return stories.none()


def visible_story_counts(user: AnyUser) -> QuerySet[StoryStatusCount]:
    """The kept counts of the stories ``visible_stories`` would give, without counting them."""
    counts = StoryStatusCount.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return counts.none()
    if viewer.sees_confidential:
        return counts
    if viewer.is_portal_staff:
        return counts.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return counts.filter(partner_id=_own_partner_id(viewer))
    if viewer.is_network_member:
        return counts.filter(
            status__in=PUBLIC_STORY_STATUSES,
            quotable=True,
            partner__in=visible_partners(viewer).values("pk"),
        )
    return counts.none()


def visible_networks(user: AnyUser) -> QuerySet[SolidarityNetwork]:
    networks = SolidarityNetwork.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return networks.none()
    if viewer.is_portal_staff:
        return networks
    if viewer.is_network_member:
        return networks.filter(pk__in=_network_ids(viewer))
    return networks.none()


def visible_member_organisations(user: AnyUser) -> QuerySet[MemberOrganisation]:
    organisations = MemberOrganisation.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return organisations.none()
    if viewer.is_portal_staff:
        return organisations
    if viewer.is_network_member:
        return organisations.filter(pk=_own_member_organisation_id(viewer))
    return organisations.none()


def visible_contributions(user: AnyUser) -> QuerySet[Contribution]:
    contributions = Contribution.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return contributions.none()
    if viewer.is_portal_staff:
        return contributions
    if viewer.is_network_member:
        return contributions.filter(member_organisation_id=_own_member_organisation_id(viewer))
    return contributions.none()


def _confidential_activity() -> Q:
    return Q(partner__is_confidential=True) | Q(project__partner__is_confidential=True)


def visible_activities(user: AnyUser) -> QuerySet[Activity]:
    activities = Activity.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return activities.none()
    if viewer.sees_confidential:
        return activities
    if viewer.is_portal_staff:
        return activities.exclude(_confidential_activity())
    if viewer.is_partner_user:
        return activities.filter(
            Q(partner_id=_own_partner_id(viewer)) | Q(project__partner_id=_own_partner_id(viewer))
        )
    return activities.none()


def visible_activity_plans(user: AnyUser) -> QuerySet[ActivityPlan]:
    plans = ActivityPlan.objects.all()
    viewer = _as_user(user)
    if viewer is not None and viewer.is_portal_staff:
        return plans
    return plans.none()


def visible_planned_activities(user: AnyUser) -> QuerySet[PlannedActivity]:
    planned = PlannedActivity.objects.all()
    viewer = _as_user(user)
    if viewer is None or not viewer.is_portal_staff:
        return planned.none()
    if viewer.sees_confidential:
        return planned
    return planned.exclude(project__partner__is_confidential=True)


# --- Getters: one object, or 404 ----------------------------------------------------------------


def _get(queryset: QuerySet[M], pk: object) -> M:
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as error:
        # A malformed id is as unknown as a foreign one.
        raise Http404 from error


def log_confidential_read(
    user: AnyUser, obj: Model, *, request: HttpRequest | None = None, action: str = "view"
) -> None:
    """Record that a cleared viewer opened a confidential record."""
    viewer = _as_user(user)
    if viewer is None:
        return
    AccessLog.objects.create(
        user=viewer,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        action=action,
        path=(request.get_full_path()[:255] if request is not None else ""),
    )


def get_partner_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> Partner:
    partner = _get(visible_partners(user), pk)
    if partner.is_confidential:
        log_confidential_read(user, partner, request=request)
    return partner


def get_program_for_user(user: AnyUser, pk: object) -> Program:
    return _get(visible_programs(user), pk)


def get_project_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> Project:
    project = _get(visible_projects(user).select_related("partner", "program"), pk)
    if project.partner.is_confidential:
        log_confidential_read(user, project, request=request)
    return project


def get_story_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> ChangeStory:
    story = _get(visible_stories(user).select_related("partner"), pk)
    if story.partner.is_confidential:
        log_confidential_read(user, story, request=request)
    return story


def get_network_for_user(user: AnyUser, pk: object) -> SolidarityNetwork:
    return _get(visible_networks(user), pk)


# --- Labels -------------------------------------------------------------------------------------


def may_identify(partner: Partner, user: AnyUser) -> bool:
    """Whether the viewer may know who this partner really is (name, country, locality)."""
    if not partner.is_confidential:
        return True
    viewer = _as_user(user)
    if viewer is None:
        return False
    return viewer.sees_confidential or (viewer.is_partner_user and viewer.partner_id == partner.pk)


def partner_label(partner: Partner, user: AnyUser) -> str:
    """The name to show in anything aggregated: the pseudonym unless the viewer may identify."""
    return partner.name if may_identify(partner, user) else partner.pseudonym


def partner_country_label(partner: Partner, user: AnyUser) -> str:
    """The country, or only the region when the viewer may not identify the partner."""
    if may_identify(partner, user):
        return str(partner.country.name)  # type: ignore[attr-defined]
    return str(partner.get_region_display())


# --- Reports ---------------------------------------------------------------------------------

SMALL_CELL = 5  # a network member's figures: 1 to 4 shown as "<5", the rest rounded to fives


def visible_report_cells(user: AnyUser, cells: QuerySet[M]) -> QuerySet[M]:
    """The aggregate cells (story or activity) a viewer's reports and exports read.

    Staff read every cell, officers included: a confidential partner's figures count in their
    reports, but only under its pseudonym and region (``report_identifies``). A partner user
    reads its own organisation's cells, a network member those of its networks' partners that
    are not confidential, and of their stories only those it may read (verified, the teller
    agreed to be quoted): a member's figures count what its story list shows, nothing more.
    """
    viewer = _as_user(user)
    if viewer is None:
        return cells.none()
    if viewer.is_portal_staff:
        return cells
    if viewer.is_partner_user:
        return cells.filter(partner_id=_own_partner_id(viewer))
    if viewer.is_network_member:
        cells = cells.filter(partner__in=visible_partners(viewer).values("pk"))
        if cells.model is StoryAggregate:
            cells = cells.filter(quotable=True)
        return cells
    return cells.none()


def report_identifies(user: AnyUser, *, partner_id: int | None, is_confidential: bool) -> bool:
    """Whether a report row may carry the partner's name and country rather than its pseudonym
    and region (the same rule as ``may_identify``, from the values a grouped query returns)."""
    if not is_confidential:
        return True
    viewer = _as_user(user)
    if viewer is None:
        return False
    return viewer.sees_confidential or (viewer.is_partner_user and viewer.partner_id == partner_id)


def report_identifies_every_cell(user: AnyUser) -> bool:
    """Whether every cell the viewer's report reads may name its partner.

    False only for officers: their cells include confidential partners', which they see under a
    pseudonym and region. A partner user reads only its own organisation's cells, a network
    member none of a confidential partner's.
    """
    viewer = _as_user(user)
    return viewer is not None and (viewer.sees_confidential or not viewer.is_portal_staff)


def may_download(user: AnyUser) -> bool:
    """CSV and XLSX downloads: staff (officers pseudonymised) and partners' own users only."""
    viewer = _as_user(user)
    return viewer is not None and (viewer.is_portal_staff or viewer.is_partner_user)


def report_suppresses_small_cells(user: AnyUser) -> bool:
    viewer = _as_user(user)
    return viewer is not None and viewer.is_network_member and not viewer.is_portal_staff


# --- What a viewer may do with a story it can see ---------------------------------------------

EDITABLE_STORY_STATUSES = (ChangeStory.Status.DRAFT, ChangeStory.Status.RETURNED)


def can_edit_story(user: AnyUser, story: ChangeStory) -> bool:
    """Drafts and returned stories, by the partner's own users or by staff who may see them."""
    viewer = _as_user(user)
    if viewer is None or story.status not in EDITABLE_STORY_STATUSES:
        return False
    if viewer.is_partner_user:
        return story.partner_id == viewer.partner_id
    return viewer.is_portal_staff and visible_stories(viewer).filter(pk=story.pk).exists()


def can_review_story(user: AnyUser, story: ChangeStory) -> bool:
    """Staff who may see the story review it; officers therefore never review confidential ones."""
    viewer = _as_user(user)
    return (
        viewer is not None
        and viewer.is_portal_staff
        and visible_stories(viewer).filter(pk=story.pk).exists()
    )


def can_withdraw_consent(user: AnyUser, story: ChangeStory) -> bool:
    """The partner (on the storyteller's behalf) or staff who may see the story."""
    viewer = _as_user(user)
    if viewer is None:
        return False
    if viewer.is_partner_user:
        return story.partner_id == viewer.partner_id
    return can_review_story(viewer, story)


# --- Submission links ---------------------------------------------------------------------------


def visible_submission_links(user: AnyUser) -> QuerySet[SubmissionLink]:
    """The links a viewer may manage: those of the partners whose stories it may see."""
    links = SubmissionLink.objects.all()
    viewer = _as_user(user)
    if viewer is None:
        return links.none()
    if viewer.sees_confidential:
        return links
    if viewer.is_portal_staff:
        return links.filter(partner__is_confidential=False)
    if viewer.is_partner_user:
        return links.filter(partner_id=_own_partner_id(viewer))
    # Network members see stories only once verified; the links that bring them in are not theirs.
    return links.none()


def get_submission_link_for_user(
    user: AnyUser, pk: object, *, request: HttpRequest | None = None
) -> SubmissionLink:
    link = _get(visible_submission_links(user).select_related("partner", "project"), pk)
    if link.partner.is_confidential:
        log_confidential_read(user, link, request=request)
    return link
