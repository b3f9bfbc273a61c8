"""Authorisation matrix: every URL the project has, as every demo role and as an anonymous visitor.

The URL resolver is walked; each named URL outside the Django admin must have an entry in
``EXPECTATIONS``, so a new page cannot be added without saying who may open it. The admin is
covered by opening every registered model's changelist as each staff role.

Objects are named from the ``partner`` user's point of view: ``own`` belongs to Alpha (the
``partner`` user's organisation), ``foreign`` to Beta (``partner2``'s) and ``confidential`` to
the confidential partner Hidden (``secret``'s). The expected outcomes follow portal/access.py
(DESIGN §4): allowed is 200 (or a redirect), outside the viewer's scope is 404, anonymous
visitors are sent to the login page, and a method a view does not accept is 405.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image
from pytest_django.fixtures import Settings

from assessments.models import Assessment, DimensionComment, Questionnaire
from conftest import ROLES, World, login
from dialogues.models import AgreedAction, Dialogue, DialogueComment
from partners.models import MembershipRequest
from programs.models import CalendarFeed, Program
from progress import attachments
from progress.models import ChangeStory, StoryAttachment, StoryEvent, SubmissionLink
from reporting.models import ReportState
from results.models import Actual, Indicator, Period, Report, ReportEntry
from results.models import Outcome as ResultOutcome
from results.reports import evidence
from risks.models import Risk, RiskComment
from tests import factories

ANONYMOUS = "anonymous"
ALL_ROLES = (*ROLES, ANONYMOUS)
STAFF = ("admin", "staff", "officer")
PARTNERS = ("partner", "partner2", "secret")
CLEARED = ("admin", "staff")
# Who may see what belongs to each partner (DESIGN §4).
SEES_OWN = (*STAFF, "partner", "member")
SEES_FOREIGN = (*STAFF, "partner2", "member")
SEES_CONFIDENTIAL = (*CLEARED, "secret")
# The same without network members: drafts, reviews, links and consent are not theirs.
MANAGES_OWN = (*STAFF, "partner")
MANAGES_FOREIGN = (*STAFF, "partner2")
MANAGES_CONFIDENTIAL = SEES_CONFIDENTIAL

OK, NOT_FOUND, NOT_ALLOWED, GONE = 200, 404, 405, 410
LOGIN = "login"  # 302 to the login page, with ?next= the URL asked for
NO_OBJECT = "-"


@dataclass(frozen=True)
class Redirect:
    """A 302 that is not the login redirect; ``to`` is the exact target, or None for any."""

    to: str | None = None


OWN_PARTNER = "<the user's own partner page>"
ANY_REDIRECT = Redirect()
TO_HOME = Redirect("/")
TO_LOGIN_PAGE = Redirect("/accounts/login/")

Outcome = int | str | Redirect
PerRole = dict[str, Outcome]


def _each(default: Outcome, anonymous: Outcome = LOGIN, **per_role: Outcome) -> PerRole:
    """The same outcome for every logged-in role unless named, and one for anonymous visitors."""
    return {**{role: per_role.get(role, default) for role in ROLES}, ANONYMOUS: anonymous}


def _only(roles: Iterable[str], outcome: Outcome = OK) -> PerRole:
    """Allowed for ``roles``, 404 for every other logged-in role, login for anonymous visitors."""
    return _each(NOT_FOUND, **dict.fromkeys(roles, outcome))


# --- The objects each URL is opened with --------------------------------------------------------

KINDS = ("own", "foreign", "confidential")
Args = tuple[list[object], Model | None]


def _partner(world: World, kind: str) -> Any:
    return {"own": world.alpha, "foreign": world.beta, "confidential": world.hidden}[kind]


def _project(world: World, kind: str) -> Any:
    return {
        "own": world.alpha_project,
        "foreign": world.beta_project,
        "confidential": world.hidden_project,
    }[kind]


def _story(world: World, kind: str) -> ChangeStory:
    return {
        "own": world.alpha_story,
        "foreign": world.beta_story,
        "confidential": world.hidden_story,
    }[kind]


def _pk(obj: Model) -> Args:
    return [obj.pk], obj


def _partner_args(world: World, kind: str) -> Args:
    return _pk(_partner(world, kind))


def _project_args(world: World, kind: str) -> Args:
    return _pk(_project(world, kind))


def _project_indicator_args(world: World, kind: str) -> Args:
    """A project and a programme indicator that every partner's project reports on."""
    from tests.results import builders

    project = _project(world, kind)
    made = builders.indicator(
        world.program, projects=[world.alpha_project, world.beta_project, world.hidden_project]
    )
    return [project.pk, made.pk], project


def _plan_args(world: World, kind: str) -> Args:
    """A plan of a partner ("own", "foreign", "confidential") or of the member's organisation
    ("unit")."""
    if kind == "unit":
        plan = factories.ActivityPlanFactory.create(
            member_organisation=world.users["member"].member_organisation
        )
    else:
        plan = factories.ActivityPlanFactory.create(partner=_partner(world, kind))
    return _pk(plan)


def _plan_item_args(world: World, kind: str) -> Args:
    args, plan = _plan_args(world, kind)
    item = factories.PlannedActivityFactory.create(plan=plan)
    return [*args, item.pk], plan


def _feed_args(world: World, kind: str) -> Args:
    """The secret address of the staff login's calendar feed."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=world.users["staff"], defaults={"token": f"matrix-{kind}"}
    )
    return [feed.token], feed


def _membership_request_args(world: World, kind: str) -> Args:
    """A waiting request of the member's organisation to join a network it is not in."""
    organisation = world.users["member"].member_organisation
    assert organisation is not None
    asked = MembershipRequest.objects.create(
        network=factories.NetworkFactory.create(),
        member_organisation=organisation,
        kind="join",
        requested_by=world.users["member"],
    )
    return _pk(asked)


def _request_decided(obj: Model | None) -> bool:
    assert isinstance(obj, MembershipRequest)
    obj.refresh_from_db()
    return obj.status != MembershipRequest.Status.PENDING


def _contribution_args(world: World, kind: str) -> Args:
    """A collection the member's organisation reported ("own"), or another organisation's."""
    organisation = world.users["member"].member_organisation if kind == "own" else None
    reported = factories.ContributionFactory.create(
        status="reported",
        network=world.network,
        **({"member_organisation": organisation} if organisation else {}),
    )
    return _pk(reported)


def _contribution_decided(obj: Model | None) -> bool:
    assert obj is not None
    obj.refresh_from_db()
    return obj.status != "reported"  # type: ignore[attr-defined]


def _unsubscribe_args(world: World, kind: str) -> Args:
    from mailings.messages import unsubscribe_token

    return [unsubscribe_token(world.users["member"], "newsletters")], None


def _newsletter_args(world: World, kind: str) -> Args:
    """A draft to the world's network ("own"), and one to another network ("foreign"), both
    staff's; the member has chosen newsletters."""
    from mailings.models import MailPreference, Newsletter

    MailPreference.objects.update_or_create(
        user=world.users["member"], defaults={"newsletters": True}
    )
    network = world.network if kind == "own" else factories.NetworkFactory.create()
    draft = Newsletter.objects.create(
        subject="Matrix news",
        body="Hello",
        audience="network",
        network=network,
        author=world.users["staff"],
    )
    return _pk(draft)


def _newsletter_sent(obj: Model | None) -> bool:
    assert obj is not None
    obj.refresh_from_db()
    return obj.status != "draft"  # type: ignore[attr-defined]


def _need_args(world: World, kind: str) -> Args:
    """An open need of the partner named by ``kind``."""
    from solidarity.models import ExpertiseNeed

    return _pk(ExpertiseNeed.objects.create(partner=_partner(world, kind), title="A trainer"))


def _story_args(world: World, kind: str) -> Args:
    """The world's stories: verified, with consent to quote (network members may see them)."""
    return _pk(_story(world, kind))


def _fresh_story_args(world: World, kind: str) -> Args:
    """A new verified story, so that one role's POST does not change what the next one meets."""
    story = factories.StoryFactory.create(
        partner=_partner(world, kind),
        project=_project(world, kind),
        program=world.program,
        title=f"Another story of {_partner(world, kind).name}",
    )
    return _pk(story)


def _draft_args(world: World, kind: str) -> Args:
    """A draft of the partner's: editable by its own users and the staff who may see it."""
    if kind == "verified":
        return _pk(world.alpha_story)
    story = factories.StoryFactory.create(
        partner=_partner(world, kind),
        project=_project(world, kind),
        program=world.program,
        title=f"Draft of {_partner(world, kind).name}",
        status=ChangeStory.Status.DRAFT,
    )
    return _pk(story)


def _network_args(world: World, kind: str) -> Args:
    if kind == "own":
        return _pk(world.network)
    return _pk(factories.NetworkFactory.create())  # one the member is not in


def _program_args(world: World, kind: str) -> Args:
    if kind == "own":
        return _pk(world.program)
    return _pk(factories.ProgramFactory.create(title="A programme with none of their projects"))


def _indicator_args(world: World, kind: str) -> Args:
    """An indicator every partner's project reports on, in the world's programme ("own") or in
    a programme outside the member's networks ("foreign")."""
    from tests.results import builders

    program = world.program if kind == "own" else _program_args(world, kind)[1]
    assert isinstance(program, Program)
    made = builders.indicator(
        program, projects=[world.alpha_project, world.beta_project, world.hidden_project]
    )
    return [program.pk, made.pk], made


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (16, 12), (200, 40, 40)).save(output, "PNG")
    return output.getvalue()


def _attachment_args(world: World, kind: str) -> Args:
    """An attachment on the world's story, stored as tests/progress/test_attachments.py does."""
    processed = attachments.process_upload(
        SimpleUploadedFile("meeting.png", _png(), content_type="image/png")
    )
    attachment = StoryAttachment(
        story=_story(world, kind),
        kind=processed.kind,
        content_type=processed.content_type,
        size=len(processed.content),
        original_name=processed.original_name,
    )
    attachment.file.save("upload", ContentFile(processed.content), save=False)
    attachment.save()
    return _pk(attachment)


def _link(world: World, kind: str, **overrides: object) -> SubmissionLink:
    fields: dict[str, Any] = {
        "label": f"Workshop of {_partner(world, kind).name}",
        "partner": _partner(world, kind),
        "project": _project(world, kind),
        "created_by": world.users["staff"],
        "expires_at": timezone.now() + dt.timedelta(days=14),
        "max_uses": 50,
    }
    fields.update(overrides)
    return SubmissionLink.objects.create(**fields)


def _analysis_args(world: World, kind: str) -> Args:
    """own: shared with Latin America's partners (Alpha's and Beta's region); foreign: for
    staff only; confidential: drawing on the confidential partner's story (cleared staff)."""
    analysis = factories.AnalysisFactory.create(
        region="latam", shared_with_partners=kind == "own", cleared_only=kind == "confidential"
    )
    if kind == "confidential":
        analysis.stories.add(world.hidden_story)
    return _pk(analysis)


_ASSESSMENT_YEARS = itertools.count(1900)


def _assessment(world: World, kind: str, *, submitted: bool) -> Assessment:
    """A round of the partner's (a year of its own, so that every case may make one)."""
    questionnaire = Questionnaire.objects.filter(published=True).first()
    if questionnaire is None:
        questionnaire = factories.make_questionnaire(dimensions=2, statements=1)
    return factories.make_assessment(
        partner=_partner(world, kind),
        questionnaire=questionnaire,
        year=next(_ASSESSMENT_YEARS),
        submitted=submitted,
    )


def _submitted_assessment_args(world: World, kind: str) -> Args:
    return _pk(_assessment(world, kind, submitted=True))


def _draft_assessment_args(world: World, kind: str) -> Args:
    return _pk(_assessment(world, kind, submitted=False))


def _assessment_commented(obj: Model | None) -> bool:
    return DimensionComment.objects.filter(assessment_id=_id(obj)).exists()


def _assessment_action_agreed(obj: Model | None) -> bool:
    # Each case makes its own round of the same partner: only actions agreed since it count.
    assessment = Assessment.objects.get(pk=_id(obj))
    return AgreedAction.objects.filter(
        partner_id=assessment.partner_id,
        description="An action from the matrix.",
        created_at__gte=assessment.created_at,
    ).exists()


def _dialogue_with_a_risk_args(world: World, kind: str) -> Args:
    """A dialogue and an open risk of the same partner, not yet noted as discussed."""
    dialogue = _dialogue(world, kind)
    factories.RiskFactory.create(partner=dialogue.partner, title="A risk for the matrix")
    return _pk(dialogue)


def _risk_noted(obj: Model | None) -> bool:
    return Risk.objects.filter(dialogues=_id(obj)).exists()


def _dialogue(world: World, kind: str) -> Dialogue:
    """A new dialogue with the partner, its notes awaiting confirmation, one open action."""
    dialogue = factories.DialogueFactory.create(partner=_partner(world, kind))
    factories.AgreedActionFactory.create(dialogue=dialogue)
    return dialogue


def _dialogue_args(world: World, kind: str) -> Args:
    return _pk(_dialogue(world, kind))


def _action_args(world: World, kind: str) -> Args:
    action = _dialogue(world, kind).actions.get()
    return _pk(action)


def _risk(world: World, kind: str, **overrides: object) -> Risk:
    """A risk of the partner, shared with its users (they may read and comment on it)."""
    fields: dict[str, Any] = {
        "partner": _partner(world, kind),
        "project": _project(world, kind),
        "title": f"Risk of {_partner(world, kind).name}",
        "shared_with_partner": True,
        "owner": world.users["staff"],
    }
    fields.update(overrides)
    return factories.RiskFactory.create(**fields)


def _risk_args(world: World, kind: str) -> Args:
    """own: Alpha's, shared with it; foreign: Beta's, shared with it; confidential: Hidden's,
    shared with it; unshared: Alpha's, not shared (staff only)."""
    if kind == "unshared":
        return _pk(_risk(world, "own", shared_with_partner=False))
    return _pk(_risk(world, kind))


def _link_args(world: World, kind: str) -> Args:
    return _pk(_link(world, kind))


def _token_args(world: World, kind: str) -> Args:
    """Public pages: an open link (Alpha's or the confidential partner's), a revoked, an unknown."""
    if kind == "unknown":
        return ["no-such-token"], None
    if kind == "revoked":
        link = _link(world, "own", revoked_at=timezone.now())
    else:
        link = _link(world, "confidential" if kind == "confidential" else "own")
    return [link.token], link


def _reset_args(world: World, kind: str) -> Args:
    # A made-up uid and token: the page must say the link is invalid, to anyone.
    return ["MQ", "set-password"], None


_REPORT_YEARS = itertools.count(1950)


def _report_period(world: World, kind: str) -> Period:
    """A year of its own, with an indicator the partner's project reports on: one case's report
    never meets another's."""
    year = next(_REPORT_YEARS)
    outcome, _created = ResultOutcome.objects.get_or_create(
        program=world.program, title="An outcome of the matrix"
    )
    indicator = Indicator.objects.create(
        outcome=outcome, title=f"Indicator of {year}", measure="count"
    )
    indicator.projects.add(_project(world, kind))
    return Period.objects.create(
        indicator=indicator, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )


def _result_report_args(world: World, kind: str) -> Args:
    period = _report_period(world, kind)
    return [_project(world, kind).pk, str(period.start.year)], period


def _submitted_report(world: World, kind: str) -> Report:
    period = _report_period(world, kind)
    project = _project(world, kind)
    Actual.objects.create(period=period, project=project, value=5, status="submitted")
    return Report.objects.create(
        project=project, start=period.start, end=period.end, status="submitted"
    )


def _submitted_report_args(world: World, kind: str) -> Args:
    report = _submitted_report(world, kind)
    return [report.project_id, str(report.start.year)], report


def _evidence_args(world: World, kind: str) -> Args:
    """A photo attached to the partner's submitted report, stored as the report page does."""
    report = _submitted_report(world, kind)
    entry = ReportEntry.objects.create(
        report=report, period=Period.objects.get(start=report.start, end=report.end)
    )
    processed = attachments.process_upload(
        SimpleUploadedFile("participants.png", _png(), content_type="image/png")
    )
    return _pk(evidence.store(entry, processed))


def _report_saved(obj: Model | None) -> bool:
    assert isinstance(obj, Period)
    return Report.objects.filter(start=obj.start, end=obj.end).exists()


def _report_returned(obj: Model | None) -> bool:
    return Report.objects.get(pk=_id(obj)).status == Report.Status.RETURNED


# --- What changes when a POST action goes through -----------------------------------------------


def _id(obj: Model | None) -> int:
    assert obj is not None, "a POST action needs the object it acts on"
    return int(obj.pk)


def _as_csv(world: World, kind: str) -> Args:
    return ["csv"], None


def _program_csv_args(world: World, kind: str) -> Args:
    args, obj = _program_args(world, kind)
    return [*args, "csv"], obj


def _project_csv_args(world: World, kind: str) -> Args:
    args, obj = _project_args(world, kind)
    return [*args, "csv"], obj


def _no_rebuild_yet(world: World, kind: str) -> Args:
    """No URL arguments; forget an earlier role's rebuild so each POST starts from nothing."""
    ReportState.objects.all().delete()
    return [], None


def _rebuild_requested(obj: Model | None) -> bool:
    return ReportState.objects.exclude(rebuild_task_id="").exists()


def _archived(obj: Model | None) -> bool:
    return ChangeStory.objects.get(pk=_id(obj)).status == ChangeStory.Status.ARCHIVED


def _commented(obj: Model | None) -> bool:
    return StoryEvent.objects.filter(story_id=_id(obj), action=StoryEvent.Action.COMMENTED).exists()


def _consent_withdrawn(obj: Model | None) -> bool:
    story = ChangeStory.objects.filter(pk=_id(obj)).first()
    return story is None or story.consent_withdrawn_at is not None


def _dialogue_commented(obj: Model | None) -> bool:
    return DialogueComment.objects.filter(dialogue_id=_id(obj)).exists()


def _notes_confirmed(obj: Model | None) -> bool:
    return Dialogue.objects.get(pk=_id(obj)).notes_confirmed_at is not None


def _action_done(obj: Model | None) -> bool:
    return AgreedAction.objects.get(pk=_id(obj)).status == AgreedAction.Status.DONE


def _risk_closed(obj: Model | None) -> bool:
    return Risk.objects.get(pk=_id(obj)).status == Risk.Status.CLOSED


def _risk_unshared(obj: Model | None) -> bool:
    return not Risk.objects.get(pk=_id(obj)).shared_with_partner


def _risk_commented(obj: Model | None) -> bool:
    return RiskComment.objects.filter(risk_id=_id(obj)).exists()


def _revoked(obj: Model | None) -> bool:
    return SubmissionLink.objects.get(pk=_id(obj)).revoked_at is not None


# --- The table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """What each role gets from one URL.

    ``get`` maps an object kind (NO_OBJECT for URLs without one) to the outcome per role of a
    GET. ``post`` likewise for a POST with ``post_data``; ``changed`` tells whether it took
    effect, which it must exactly where the outcome is a redirect. ``wrong_method`` is sent as
    ``wrong_method_as`` and must answer 405 (None: the view answers every method alike).
    """

    get: dict[str, PerRole]
    args: Callable[[World, str], Args] | None = None
    post: dict[str, PerRole] = field(default_factory=dict)
    post_data: dict[str, str] = field(default_factory=dict)
    # Where the data names an object made with the case's own: built from that object.
    post_data_for: Callable[[Model | None], dict[str, Any]] | None = None
    changed: Callable[[Model | None], bool] | None = None
    wrong_method: str | None = "post"
    wrong_method_as: str = "staff"


def _list_page(**per_role: Outcome) -> Page:
    return Page(get={NO_OBJECT: _each(OK, **per_role)})


def _public_page(outcome: Outcome = OK, **options: Any) -> Page:
    return Page(
        get={NO_OBJECT: _each(outcome, anonymous=outcome)}, wrong_method_as=ANONYMOUS, **options
    )


def _by_partner(outcome: Outcome = OK) -> dict[str, PerRole]:
    """Whoever may see the partner may open what belongs to it."""
    return {
        "own": _only(SEES_OWN, outcome),
        "foreign": _only(SEES_FOREIGN, outcome),
        "confidential": _only(SEES_CONFIDENTIAL, outcome),
    }


def _managed(outcome: Outcome) -> dict[str, PerRole]:
    return {
        "own": _only(MANAGES_OWN, outcome),
        "foreign": _only(MANAGES_FOREIGN, outcome),
        "confidential": _only(MANAGES_CONFIDENTIAL, outcome),
    }


POST_ONLY = {"own": _each(NOT_ALLOWED)}

EXPECTATIONS: dict[str, Page] = {
    # --- Accounts and infrastructure
    "dashboard": _list_page(**dict.fromkeys(PARTNERS, Redirect(OWN_PARTNER))),
    "healthz": _public_page(),
    # Django's set_language takes any method; only a POST changes the language.
    "set_language": _public_page(TO_HOME, wrong_method=None),
    "login": Page(
        get={NO_OBJECT: _each(TO_HOME, anonymous=OK)},
        wrong_method="delete",
        wrong_method_as=ANONYMOUS,
    ),
    # The code steps need a pending login; without one they go back to the first step.
    "login-otp": _public_page(TO_LOGIN_PAGE, wrong_method=None),
    "login-otp-setup": _public_page(TO_LOGIN_PAGE, wrong_method=None),
    # Moving the second factor to a new phone: for the accounts that have one.
    "authenticator-replace": Page(get={NO_OBJECT: _only(CLEARED)}, wrong_method="delete"),
    "logout": Page(
        # Not marked login_not_required: anonymous visitors meet the login redirect first.
        get={NO_OBJECT: _each(NOT_ALLOWED)},
        post={NO_OBJECT: _each(TO_LOGIN_PAGE)},
        wrong_method=None,
    ),
    "password_change": Page(get={NO_OBJECT: _each(OK)}, wrong_method="delete"),
    "password_change_done": _list_page(),
    "password_reset": _public_page(wrong_method="delete"),
    "password_reset_done": _public_page(),
    # An invalid reset link renders its page before the method is looked at: any method, 200.
    "password_reset_confirm": _public_page(args=_reset_args, wrong_method=None),
    "password_reset_complete": _public_page(),
    # --- Partners, networks, programmes, projects
    "partner-list": _list_page(),
    "partner-detail": Page(get=_by_partner(), args=_partner_args),
    "network-list": _list_page(),
    # Joining and leaving: member organisations ask (an empty POST names no network: 404),
    # staff see what waits and decide.
    "network-join": Page(
        get={NO_OBJECT: _only(("member",))},
        post={NO_OBJECT: _only(("member",), NOT_FOUND)},
        wrong_method="delete",
        wrong_method_as="member",
    ),
    "network-requests": Page(get={NO_OBJECT: _only(STAFF)}),
    # What a member organisation's support made possible: its own users' page.
    "member-support": Page(get={NO_OBJECT: _only(("member",))}),
    "network-request-decide": Page(
        get={"own": _each(NOT_ALLOWED)},
        args=_membership_request_args,
        post={"own": _only(STAFF, ANY_REDIRECT)},
        post_data={"action": "decline"},
        changed=_request_decided,
        wrong_method=None,
    ),
    "network-detail": Page(
        get={"own": _only((*STAFF, "member")), "foreign": _only(STAFF)}, args=_network_args
    ),
    # Mail: one's own choices; one-click unsubscribe by its signed address (no login, no CSRF
    # token: RFC 8058); newsletters staff write to networks, a district to its branches (the
    # world's member organisation has none), read by staff and by those they were sent to.
    "mail-settings": Page(get={NO_OBJECT: _each(OK)}, wrong_method="delete"),
    "mail-unsubscribe": Page(
        get={NO_OBJECT: _each(OK, anonymous=OK)},
        args=_unsubscribe_args,
        post={NO_OBJECT: _each(OK, anonymous=OK)},
        wrong_method="delete",
        wrong_method_as=ANONYMOUS,
    ),
    "newsletter-list": Page(get={NO_OBJECT: _only((*STAFF, "member"))}),
    "newsletter-create": Page(
        get={NO_OBJECT: _only(STAFF)},
        post={NO_OBJECT: _only(STAFF, 400)},
        wrong_method="delete",
    ),
    "newsletter-detail": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF)}, args=_newsletter_args
    ),
    "newsletter-edit": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF)},
        args=_newsletter_args,
        wrong_method="delete",
    ),
    "newsletter-send": Page(
        get={"own": _each(NOT_ALLOWED)},
        args=_newsletter_args,
        post={"own": _only(STAFF, ANY_REDIRECT)},
        changed=_newsletter_sent,
        wrong_method=None,
    ),
    # Expertise: partners state needs, member organisations offer, staff match (empty POSTs
    # re-show the forms with their errors).
    "expertise": Page(get={NO_OBJECT: _each(OK)}),
    "need-create": Page(
        get={NO_OBJECT: _only((*STAFF, *PARTNERS))},
        post={NO_OBJECT: _only((*STAFF, *PARTNERS), 400)},
        wrong_method="delete",
    ),
    "offer-create": Page(
        get={NO_OBJECT: _only((*STAFF, "member"))},
        post={NO_OBJECT: _only((*STAFF, "member"), 400)},
        wrong_method="delete",
    ),
    "need-match": Page(
        get={
            "own": _only(STAFF),
            "foreign": _only(STAFF),
            "confidential": _only(CLEARED),
        },
        args=_need_args,
        wrong_method="delete",
    ),
    # The contributions ledger: staff keep it, a member organisation's users read theirs and
    # report collections and study circles (empty POSTs re-show the forms with their errors).
    "contribution-list": Page(get={NO_OBJECT: _only((*STAFF, "member"))}),
    "contribution-download": Page(get={NO_OBJECT: _only((*STAFF, "member"))}, args=_as_csv),
    "contribution-create": Page(
        get={NO_OBJECT: _only(STAFF)},
        post={NO_OBJECT: _only(STAFF, 400)},
        wrong_method="delete",
    ),
    "contribution-report": Page(
        get={NO_OBJECT: _only(("member",))},
        post={NO_OBJECT: _only(("member",), 400)},
        wrong_method="delete",
        wrong_method_as="member",
    ),
    "contribution-import": Page(
        get={NO_OBJECT: _only(STAFF)},
        post={NO_OBJECT: _only(STAFF, 400)},
        wrong_method="delete",
    ),
    "contribution-edit": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF)},
        args=_contribution_args,
        wrong_method="delete",
    ),
    "contribution-decide": Page(
        get={"own": _each(NOT_ALLOWED)},
        args=_contribution_args,
        post={"own": _only(STAFF, ANY_REDIRECT), "foreign": _only(STAFF, ANY_REDIRECT)},
        post_data={"action": "decline"},
        changed=_contribution_decided,
        wrong_method=None,
    ),
    "program-list": _list_page(),
    # Funder dependence: the organisation's staff (officers without the confidential partners).
    "funder-dependence": Page(get={NO_OBJECT: _only(STAFF)}),
    "project-list": _list_page(),
    # The IATI file is for the organisation's own staff (DESIGN §4); everyone else gets a 404.
    "iati-export": Page(get={NO_OBJECT: _only(STAFF)}),
    # The check before publishing: the same staff, the same file.
    "iati-check": Page(get={NO_OBJECT: _only(STAFF)}),
    "program-detail": Page(
        # Every partner has a project in the world's programme, and the network carries it.
        get={"own": _each(OK), "foreign": _only(STAFF)},
        args=_program_args,
    ),
    "project-detail": Page(get=_by_partner(), args=_project_args),
    # --- Results: a programme's as its page; a project's for staff and its own partner's users
    # (network members read programme totals only)
    "program-results": Page(
        get={"own": _each(OK), "foreign": _only(STAFF)},
        args=_program_args,
    ),
    "project-results": Page(get=_managed(OK), args=_project_args),
    "project-indicator-results": Page(get=_managed(OK), args=_project_indicator_args),
    "indicator-results": Page(
        get={"own": _each(OK), "foreign": _only(STAFF)},
        args=_indicator_args,
    ),
    # Every role's own scope of the frameworks, at a glance.
    "results-portfolio": _list_page(),
    # Their downloads: as the pages, for those who may download (network members may not).
    "program-results-export": Page(
        get={"own": _only((*STAFF, *PARTNERS)), "foreign": _only(STAFF)},
        args=_program_csv_args,
    ),
    "project-results-export": Page(get=_managed(OK), args=_project_csv_args),
    # Importing actuals: whoever may download the programme's workbook may send it back (an
    # empty POST is a form error); network members may do neither.
    "results-import": Page(
        get={"own": _only((*STAFF, *PARTNERS)), "foreign": _only(STAFF)},
        args=_program_args,
        post={"own": _only((*STAFF, *PARTNERS), 400), "foreign": _only(STAFF, 400)},
        wrong_method="delete",
    ),
    # A project's results report of one period: entered by its partner's own users and the staff
    # who see the project (an empty POST saves a draft); reviewed by those staff; its evidence
    # read by whoever reads the report.
    "result-report": Page(
        get=_managed(OK),
        args=_result_report_args,
        post=_managed(ANY_REDIRECT),
        changed=_report_saved,
        wrong_method="delete",
    ),
    "result-report-review": Page(
        get=POST_ONLY,
        args=_submitted_report_args,
        post={
            "own": _only(STAFF, ANY_REDIRECT),
            "foreign": _only(STAFF, ANY_REDIRECT),
            "confidential": _only(CLEARED, ANY_REDIRECT),
        },
        post_data={"action": "returned", "comment": "A question from the matrix."},
        changed=_report_returned,
        wrong_method=None,
    ),
    "result-evidence": Page(get=_managed(OK), args=_evidence_args),
    # Activities: the organisation's staff and partners' own users (network members see none).
    "activity-list": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}),
    # Activity plans: staff see every one (officers none of a confidential partner's), a
    # partner's users their organisation's, a member organisation's users their own units'.
    "plan-list": _list_page(),
    "plan-detail": Page(
        get={**_managed(OK), "unit": _only((*STAFF, "member"))},
        args=_plan_args,
    ),
    # Keeping a plan: its unit's own users and the staff who see it (empty POSTs re-show the
    # form with its errors).
    "plan-create": Page(get={NO_OBJECT: _each(OK)}, wrong_method="delete"),
    # The calendar of one's units and networks, and one's own feed address (POST only).
    "calendar": _list_page(),
    "calendar-subscription": Page(
        get={NO_OBJECT: _each(NOT_ALLOWED)},
        post={NO_OBJECT: _each(ANY_REDIRECT)},
        post_data={"action": "renew"},
        wrong_method="delete",
    ),
    # The feed: its secret address is the key, for calendar programs that cannot log in.
    "calendar-feed": Page(
        get={"own": _each(OK, anonymous=OK)}, args=_feed_args, wrong_method_as=ANONYMOUS
    ),
    **{
        name: Page(
            get={**_managed(OK), "unit": _only((*STAFF, "member"))},
            args=args,
            wrong_method="delete",
        )
        for name, args in (
            ("plan-edit", _plan_args),
            ("plan-item-create", _plan_args),
            ("plan-item-edit", _plan_item_args),
            ("plan-held", _plan_args),
        )
    },
    # --- Reports: everyone with a role reads its own scope of the figures (DESIGN §4)
    "report": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS, "member"))}),
    # Members read the self-assessments in one table under the disclosure rule; staff are sent
    # to the distribution with its filters.
    "report-self-assessments": Page(
        get={
            NO_OBJECT: _only(("member",))
            | dict.fromkeys(STAFF, Redirect("/assessments/distribution/"))
        }
    ),
    "report-rebuild": Page(
        get={NO_OBJECT: _only(STAFF)},
        args=_no_rebuild_yet,
        post={NO_OBJECT: _only(STAFF, Redirect("/reports/rebuild/"))},
        changed=_rebuild_requested,
        wrong_method="delete",
    ),
    "report-rebuild-status": Page(get={NO_OBJECT: _only(STAFF)}),
    # Downloads: staff and partners' own users (DESIGN §4); network members read the page only.
    "report-figures-export": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}, args=_as_csv),
    "story-export": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}, args=_as_csv),
    "activity-export": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}, args=_as_csv),
    # --- Change stories
    "story-list": _list_page(),
    "story-create": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}, wrong_method="delete"),
    "story-detail": Page(get=_by_partner(), args=_story_args),
    "story-edit": Page(
        get={**_managed(OK), "verified": _only(())},
        args=_draft_args,
        wrong_method="delete",
    ),
    "story-review": Page(
        get=POST_ONLY,
        args=_fresh_story_args,
        # Reviewing is for the staff who may see the story; partners' own users get a 404 too.
        post={
            "own": _only(STAFF, ANY_REDIRECT),
            "foreign": _only(STAFF, ANY_REDIRECT),
            "confidential": _only(CLEARED, ANY_REDIRECT),
        },
        post_data={"action": "archived"},
        changed=_archived,
        wrong_method=None,
    ),
    "story-comment": Page(
        get=POST_ONLY,
        args=_draft_args,
        post=_managed(ANY_REDIRECT),
        post_data={"comment": "A question from the matrix."},
        changed=_commented,
        wrong_method=None,
    ),
    "story-withdraw-consent": Page(
        get=_managed(OK),
        args=_fresh_story_args,
        post=_managed(ANY_REDIRECT),
        changed=_consent_withdrawn,
        wrong_method="delete",
    ),
    "story-attachment": Page(get=_by_partner(), args=_attachment_args),
    # --- Regional analyses: staff write them; partners of the region read the shared ones
    "analysis-list": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}),
    "analysis-create": Page(get={NO_OBJECT: _only(STAFF)}, wrong_method="delete"),
    "analysis-detail": Page(
        get={
            "own": _only((*STAFF, "partner", "partner2")),
            "foreign": _only(STAFF),
            "confidential": _only(CLEARED),
        },
        args=_analysis_args,
    ),
    "analysis-edit": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF), "confidential": _only(CLEARED)},
        args=_analysis_args,
        wrong_method="delete",
    ),
    # --- Self-assessments: partners fill their own; staff read those of the partners they see,
    # comment, and count everyone's in the distribution (officers: confidential ones as numbers)
    "assessment-home": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}),
    "assessment-start": Page(
        get={NO_OBJECT: _each(NOT_ALLOWED)},
        post={NO_OBJECT: _only(PARTNERS, ANY_REDIRECT)},
        wrong_method=None,
    ),
    "assessment-distribution": Page(get={NO_OBJECT: _only(STAFF)}),
    "assessment-results": Page(get=_managed(OK), args=_partner_args),
    "assessment-detail": Page(get=_managed(OK), args=_submitted_assessment_args),
    "assessment-edit": Page(
        get={
            "own": _only(("partner",)),
            "foreign": _only(("partner2",)),
            "confidential": _only(("secret",)),
        },
        args=_draft_assessment_args,
        wrong_method="delete",
    ),
    "assessment-comment": Page(
        get=POST_ONLY,
        args=_submitted_assessment_args,
        post={
            "own": _only(STAFF, ANY_REDIRECT),
            "foreign": _only(STAFF, ANY_REDIRECT),
            "confidential": _only(CLEARED, ANY_REDIRECT),
        },
        post_data={"dimension": "d1", "text": "A comment from the matrix."},
        changed=_assessment_commented,
        wrong_method=None,
    ),
    # Staff agree an action on what a round shows: one of the partner's agreed actions.
    "assessment-action": Page(
        get=POST_ONLY,
        args=_submitted_assessment_args,
        post={
            "own": _only(STAFF, ANY_REDIRECT),
            "foreign": _only(STAFF, ANY_REDIRECT),
            "confidential": _only(CLEARED, ANY_REDIRECT),
        },
        post_data={
            "action-description": "An action from the matrix.",
            "action-due_on": "2030-01-31",
            "action-owner": "partner",
        },
        changed=_assessment_action_agreed,
        wrong_method=None,
    ),
    # --- Partner dialogues: staff who may see the partner hold them; its own users read them,
    # comment, confirm the notes and mark their actions done. Officers meet none of a
    # confidential partner's (404, not even a pseudonym); network members none at all.
    "dialogue-list": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}),
    # Without a partner chosen, the page asks which one.
    "dialogue-create": Page(get={NO_OBJECT: _only(STAFF)}, wrong_method="delete"),
    "dialogue-detail": Page(get=_managed(OK), args=_dialogue_args),
    "dialogue-edit": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF), "confidential": _only(CLEARED)},
        args=_dialogue_args,
        wrong_method="delete",
    ),
    "dialogue-comment": Page(
        get=POST_ONLY,
        args=_dialogue_args,
        post=_managed(ANY_REDIRECT),
        post_data={"text": "A comment from the matrix."},
        changed=_dialogue_commented,
        wrong_method=None,
    ),
    # Confirming the notes is the partner's own users' word: staff get a 404 too.
    "dialogue-confirm": Page(
        get=POST_ONLY,
        args=_dialogue_args,
        post={
            "own": _only(("partner",), ANY_REDIRECT),
            "foreign": _only(("partner2",), ANY_REDIRECT),
            "confidential": _only(("secret",), ANY_REDIRECT),
        },
        changed=_notes_confirmed,
        wrong_method=None,
    ),
    "action-status": Page(
        get=POST_ONLY,
        args=_action_args,
        post=_managed(ANY_REDIRECT),
        post_data={"status": "done"},
        changed=_action_done,
        wrong_method=None,
    ),
    # The printable page before a dialogue: staff who may see the partner.
    "dialogue-brief": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF), "confidential": _only(CLEARED)},
        args=_partner_args,
    ),
    # Staff note a risk discussed in a dialogue: those who may see both.
    "dialogue-risk-link": Page(
        get=POST_ONLY,
        args=_dialogue_with_a_risk_args,
        post={
            "own": _only(STAFF, ANY_REDIRECT),
            "foreign": _only(STAFF, ANY_REDIRECT),
            "confidential": _only(CLEARED, ANY_REDIRECT),
        },
        post_data_for=lambda obj: {
            "risk": Risk.objects.filter(partner__dialogues=_id(obj)).values_list("pk", flat=True)[0]
        },
        changed=_risk_noted,
        wrong_method=None,
    ),
    # --- The risk register: staff read what they may (officers no confidential partner's); a
    # partner's users read and comment on their own organisation's shared risks.
    "risk-list": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}),
    "risk-heat-map": Page(get={NO_OBJECT: _only(STAFF)}),
    "risk-create": Page(get={NO_OBJECT: _only(STAFF)}, wrong_method="delete"),
    "risk-detail": Page(
        get={
            "own": _only((*STAFF, "partner")),
            "foreign": _only((*STAFF, "partner2")),
            "confidential": _only(SEES_CONFIDENTIAL),
            "unshared": _only(STAFF),
        },
        args=_risk_args,
    ),
    "risk-edit": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF), "confidential": _only(CLEARED)},
        args=_risk_args,
        wrong_method="delete",
    ),
    "risk-reassess": Page(
        get={"own": _only(STAFF), "foreign": _only(STAFF), "confidential": _only(CLEARED)},
        args=_risk_args,
        wrong_method="delete",
    ),
    "risk-status": Page(
        get=POST_ONLY,
        args=_risk_args,
        post={
            "own": _only(STAFF, ANY_REDIRECT),
            "foreign": _only(STAFF, ANY_REDIRECT),
            "confidential": _only(CLEARED, ANY_REDIRECT),
        },
        post_data={"status": "closed"},
        changed=_risk_closed,
        wrong_method=None,
    ),
    "risk-share": Page(
        get=POST_ONLY,
        args=_risk_args,
        post={
            "own": _only(STAFF, ANY_REDIRECT),
            "foreign": _only(STAFF, ANY_REDIRECT),
            "confidential": _only(CLEARED, ANY_REDIRECT),
        },
        post_data={"shared": "0"},
        changed=_risk_unshared,
        wrong_method=None,
    ),
    "risk-comment": Page(
        get=POST_ONLY,
        args=_risk_args,
        post={
            "own": _only((*STAFF, "partner"), ANY_REDIRECT),
            "foreign": _only((*STAFF, "partner2"), ANY_REDIRECT),
            "confidential": _only(SEES_CONFIDENTIAL, ANY_REDIRECT),
            "unshared": _only(()),
        },
        post_data={"text": "A comment from the matrix."},
        changed=_risk_commented,
        wrong_method=None,
    ),
    # --- Submission links
    "link-list": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}),
    "link-create": Page(get={NO_OBJECT: _only((*STAFF, *PARTNERS))}, wrong_method="delete"),
    # A page that asks first; the POST from it revokes.
    "link-revoke": Page(
        get=_managed(OK),
        args=_link_args,
        post=_managed(Redirect("/links/")),
        changed=_revoked,
        wrong_method="delete",
    ),
    "link-submit": Page(
        get={
            "own": _each(OK, anonymous=OK),
            "confidential": _each(OK, anonymous=OK),
            "revoked": _each(GONE, anonymous=GONE),
            "unknown": _each(NOT_FOUND, anonymous=NOT_FOUND),
        },
        args=_token_args,
        wrong_method="delete",
        wrong_method_as=ANONYMOUS,
    ),
    "link-thanks": Page(
        get={
            "own": _each(OK, anonymous=OK),
            "revoked": _each(OK, anonymous=OK),
            "unknown": _each(NOT_FOUND, anonymous=NOT_FOUND),
        },
        args=_token_args,
        wrong_method_as=ANONYMOUS,
    ),
}

# Real access bugs found by the matrix: (url name, method, kind, role) -> what is wrong.
# The expected outcome stays the correct one; the case is marked xfail(strict=True).
KNOWN_BUGS: dict[tuple[str, str, str, str], str] = {}


# --- Walking the resolver -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    namespace: str
    route: str
    converters: tuple[str, ...]


def _walk(patterns: Iterable[object], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            converters = getattr(pattern.pattern, "converters", {})
            yield Route(
                name=pattern.name or f"<unnamed {route}>",
                namespace=namespace,
                route=route,
                converters=tuple(
                    f"{key}:{type(value).__name__}" for key, value in converters.items()
                ),
            )


def _routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _portal_routes() -> list[Route]:
    return [route for route in _routes() if route.namespace.split(":")[0] != "admin"]


# --- The cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    kind: str
    role: str
    expected: Outcome


def _cases() -> list[Case]:
    cases: list[Case] = []
    for name, page in EXPECTATIONS.items():
        for method, table in (("get", page.get), ("post", page.post)):
            for kind, per_role in table.items():
                cases.extend(Case(name, method, kind, role, per_role[role]) for role in ALL_ROLES)
        if page.wrong_method is not None:
            kind = next(iter(page.get))
            cases.append(Case(name, page.wrong_method, kind, page.wrong_method_as, NOT_ALLOWED))
    return cases


CASES = _cases()


def _groups() -> list[Any]:
    """One test per URL, method and object, checking every role; known bugs on their own."""
    groups: dict[tuple[str, str, str], list[Case]] = {}
    params = []
    for case in CASES:
        key = (case.name, case.method, case.kind, case.role)
        if key in KNOWN_BUGS:
            mark = pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[key])
            params.append(pytest.param([case], id="-".join(key), marks=mark))
        else:
            groups.setdefault(key[:3], []).append(case)
    params.extend(pytest.param(cases, id="-".join(key)) for key, cases in groups.items())
    return params


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def test_it_has_an_expectation_for_every_url() -> None:
    found = {route.name for route in _portal_routes()}
    missing = sorted(found - set(EXPECTATIONS))
    extra = sorted(set(EXPECTATIONS) - found)
    assert not missing and not extra, (
        f"URLs without an entry in EXPECTATIONS (add one, saying who may open them): {missing}; "
        f"entries for URLs that no longer exist: {extra}"
    )


def test_it_reports_its_size(capsys: pytest.CaptureFixture[str]) -> None:
    routes = _routes()
    portal = _portal_routes()
    with capsys.disabled():
        print(
            f"\nURL matrix: {len(portal)} URLs, {len(CASES)} cases "
            f"(+ {len(routes) - len(portal)} admin URLs, "
            f"{len(admin.site._registry)} changelists per staff role)"
        )
    assert len(portal) == len(EXPECTATIONS)


def _client(world: World, role: str) -> Client:
    client = Client()
    return client if role == ANONYMOUS else login(client, world.users[role])


def _check(world: World, case: Case) -> str | None:
    """Run one case; None when the answer is the expected one, else what went wrong."""
    page = EXPECTATIONS[case.name]
    args, obj = page.args(world, case.kind) if page.args else ([], None)
    url = reverse(case.name, args=args)
    client = _client(world, case.role)
    send = getattr(client, case.method)
    data = page.post_data_for(obj) if page.post_data_for else page.post_data
    response = send(url, data) if case.method == "post" else send(url)
    if response.streaming:
        # Reading a file response to its end lets the test client close it inside its guard;
        # response.close() here would end the PostgreSQL connection of the test's transaction.
        b"".join(response.streaming_content)
    status, location = response.status_code, response.get("Location", "")
    where = f"{case.method.upper()} {url} as {case.role}: {status} {location}".rstrip()
    expected = case.expected
    if expected == LOGIN:
        ok = status == 302 and location == f"{reverse('login')}?next={url}"
    elif isinstance(expected, Redirect):
        target = expected.to
        if target == OWN_PARTNER:
            target = reverse("partner-detail", args=[world.users[case.role].partner_id])
        ok = (
            status == 302
            and not location.startswith(f"{reverse('login')}?")
            and (target is None or location == target)
        )
    else:
        ok = status == expected
    if not ok:
        return f"{where}, expected {expected}"
    if case.method == "post" and page.changed is not None:
        took_effect = page.changed(obj)
        if took_effect != isinstance(expected, Redirect):
            return f"{where}: the action {'took' if took_effect else 'did not take'} effect"
    return None


@pytest.mark.parametrize("cases", _groups())
def test_it_answers_each_role_as_the_rules_say(world: World, cases: list[Case]) -> None:
    # Each case builds its own object (Page.args), so one role's POST never changes another's.
    failures = [failure for case in cases if (failure := _check(world, case))]
    assert not failures, "\n".join(failures)


# --- The Django admin ---------------------------------------------------------------------------

# Changelists a staff role may not open at all (403): accounts, second factors, lockouts and the
# access log are the administrator's. Every other changelist answers 200.
ADMINISTRATORS_ONLY = {
    "auditlog.logentry",
    "auth.group",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "otp_totp.totpdevice",
    "portal.accesslog",
    "portal.user",
}
ADMIN_FORBIDDEN: dict[str, set[str]] = {
    "admin": set(),
    "staff": ADMINISTRATORS_ONLY,
    "officer": ADMINISTRATORS_ONLY,
}
CONFIDENTIAL_WORDS = ("Hidden Rainbow Union", "Contact of Hidden Rainbow Union", "Izmir")


def _changelists() -> list[tuple[str, str]]:
    return [
        (
            model._meta.label_lower,
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
        )
        for model in admin.site._registry
    ]


@pytest.mark.parametrize("role", sorted(ADMIN_FORBIDDEN))
def test_it_opens_every_admin_changelist_a_staff_role_may_use(world: World, role: str) -> None:
    client = _client(world, role)
    for label, url in _changelists():
        response = client.get(url)
        expected = 403 if label in ADMIN_FORBIDDEN[role] else 200
        assert response.status_code == expected, f"{url} as {role}"
        if role == "officer":
            body = response.content.decode()
            for word in CONFIDENTIAL_WORDS:
                assert word not in body, f"{word!r} on {url} for the officer"


@pytest.mark.parametrize("role", [*PARTNERS, "member", ANONYMOUS])
def test_it_keeps_everyone_else_out_of_the_admin(world: World, role: str) -> None:
    client = _client(world, role)
    for url in [reverse("admin:index"), *(url for _label, url in _changelists())]:
        response = client.get(url)
        assert response.status_code == 302, f"{url} as {role}"
        # Logged-in users without the admin go to the admin's login; anonymous visitors meet
        # the portal's login first (LoginRequiredMiddleware), except on the admin index.
        login_pages = (reverse("admin:login"), f"{reverse('login')}?next={url}")
        assert response["Location"].startswith(login_pages), f"{url} as {role}"
