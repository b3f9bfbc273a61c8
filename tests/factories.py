"""factory_boy factories for the domain, one per model the tests build."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from analyses.models import RegionalAnalysis
from assessments.models import Answer, Assessment, Dimension, Questionnaire, Statement
from dialogues.models import AgreedAction, Dialogue, DialogueComment
from partners.models import (
    MemberOrganisation,
    NetworkMembership,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from portal.models import User
from programs.models import (
    Activity,
    ActivityKind,
    ActivityPlan,
    FocusArea,
    Funder,
    PlannedActivity,
    Program,
    Project,
)
from progress.models import ChangeStory
from risks.models import Risk
from solidarity.models import Contribution

PASSWORD = "correct horse battery staple"
# Hashing a password with Argon2 for every user would dominate the suite's run time.
_PASSWORD_HASH = make_password(PASSWORD, hasher="pbkdf2_sha256")
DEMO_TOTP_KEY_HEX = "48656c6c6f21deadbeef"  # base32 JBSWY3DPEHPK3PXP


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = Partner.Kind.TRADE_UNION
    country = "GT"
    region = "latam"
    status = Partner.Status.ACTIVE
    partnership_start = dt.date(2022, 1, 1)


class ContactFactory(factory.django.DjangoModelFactory[PartnerContact]):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Contact person {n}")
    email = factory.Sequence(lambda n: f"contact{n}@partner.example")


class MemberOrganisationFactory(factory.django.DjangoModelFactory[MemberOrganisation]):
    class Meta:
        model = MemberOrganisation

    name = factory.Sequence(lambda n: f"Member club {n}")
    kind = MemberOrganisation.Kind.UNION_CLUB
    org_number = "802000-0001"


class NetworkFactory(factory.django.DjangoModelFactory[SolidarityNetwork]):
    class Meta:
        model = SolidarityNetwork

    name = factory.Sequence(lambda n: f"Network {n}")
    theme = "Trade union rights"


class MembershipFactory(factory.django.DjangoModelFactory[NetworkMembership]):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    member_organisation = factory.SubFactory(MemberOrganisationFactory)
    joined_on = dt.date(2023, 3, 1)


class FunderFactory(factory.django.DjangoModelFactory[Funder]):
    class Meta:
        model = Funder

    name = factory.Sequence(lambda n: f"Funder {n}")
    kind = Funder.Kind.SIDA


class ProgramFactory(factory.django.DjangoModelFactory[Program]):
    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"Programme {n}")
    focus_area = FocusArea.DEMOCRACY
    start_date = dt.date(2024, 1, 1)
    end_date = dt.date(2027, 12, 31)
    budget_sek = Decimal("1000000")
    dac_sector_codes = ["15150"]


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    program = factory.SubFactory(ProgramFactory)
    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2026, 12, 31)
    budget_sek = Decimal("250000")


class ActivityPlanFactory(factory.django.DjangoModelFactory[ActivityPlan]):
    class Meta:
        model = ActivityPlan

    title = factory.Sequence(lambda n: f"Plan {n}")
    year = dt.date.today().year


class PlannedActivityFactory(factory.django.DjangoModelFactory[PlannedActivity]):
    class Meta:
        model = PlannedActivity

    plan = factory.SubFactory(ActivityPlanFactory)
    kind = ActivityKind.TRAINING
    title = factory.Sequence(lambda n: f"Planned training {n}")
    target_count = 2


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    class Meta:
        model = Activity

    project = factory.SubFactory(ProjectFactory)
    partner = factory.SelfAttribute("project.partner")
    kind = ActivityKind.TRAINING
    title = factory.Sequence(lambda n: f"Training {n}")
    date = factory.LazyFunction(dt.date.today)
    participants_women = 12
    participants_men = 8
    participants_youth = 5


class ContributionFactory(factory.django.DjangoModelFactory[Contribution]):
    class Meta:
        model = Contribution

    kind = Contribution.Kind.WORKPLACE_COLLECTION
    member_organisation = factory.SubFactory(MemberOrganisationFactory)
    amount_sek = Decimal("5000")
    date = factory.LazyFunction(dt.date.today)
    network = factory.SubFactory(NetworkFactory)


class StoryFactory(factory.django.DjangoModelFactory[ChangeStory]):
    class Meta:
        model = ChangeStory

    title = factory.Sequence(lambda n: f"Story {n}")
    narrative = "The women's group won a seat on the water committee."
    event_date = dt.date(2026, 3, 14)
    partner = factory.SubFactory(PartnerFactory)
    country = factory.SelfAttribute("partner.country")
    submitter_role = ChangeStory.SubmitterRole.PARTNER
    collection_mode = ChangeStory.CollectionMode.SELF_ENTERED
    who_changed = ChangeStory.WhoChanged.GROUP
    significance = 4
    contribution = ChangeStory.Contribution.SOME
    consent_store = True
    consent_quote_internal = True
    status = ChangeStory.Status.VERIFIED


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = _PASSWORD_HASH
    role = User.Role.STAFF
    is_staff = factory.LazyAttribute(lambda user: user.role == User.Role.STAFF)


def add_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=user, name="Test authenticator", key=DEMO_TOTP_KEY_HEX, confirmed=True
    )


def current_code(key_hex: str = DEMO_TOTP_KEY_HEX) -> str:
    """The code an authenticator app shows now for this key (RFC 6238, 30 s, six digits)."""
    return f"{totp(bytes.fromhex(key_hex)):06d}"


class AnalysisFactory(factory.django.DjangoModelFactory[RegionalAnalysis]):
    class Meta:
        model = RegionalAnalysis

    region = "latam"
    period_start = dt.date(2025, 1, 1)
    period_end = dt.date(2025, 12, 31)
    title = factory.Sequence(lambda n: f"Analysis {n}")
    context = "Elections in the autumn changed the room for organising."


def make_questionnaire(
    *, dimensions: int = 3, statements: int = 2, published: bool = True, name: str = "AdaptaMeter"
) -> Questionnaire:
    """A questionnaire of ``dimensions`` dimensions (keys d1, d2, …) with ``statements`` each."""
    from django.utils import timezone

    questionnaire = Questionnaire.objects.create(
        name=name,
        version=Questionnaire.objects.filter(name=name).count() + 1,
        published=published,
        published_at=timezone.now() if published else None,
    )
    for d in range(1, dimensions + 1):
        dimension = Dimension.objects.create(
            questionnaire=questionnaire,
            key=f"d{d}",
            ordering=d,
            name_en=f"Dimension {d}",
            name_sv=f"Dimension {d} på svenska",
            name_es=f"Dimensión {d} en español",
        )
        for n in range(1, statements + 1):
            Statement.objects.create(
                dimension=dimension,
                ordering=n,
                text_en=f"Statement {d}.{n}",
                text_sv="",
                text_es="",
            )
    return questionnaire


def make_assessment(
    *,
    partner: Partner,
    questionnaire: Questionnaire,
    year: int = 2025,
    scores: dict[str, list[int]] | None = None,
    submitted: bool = True,
) -> Assessment:
    """An assessment of the year with the given scores per dimension key (3 everywhere when
    not given); past the services, as a fixture."""
    from django.utils import timezone

    assessment = Assessment.objects.create(
        partner=partner,
        questionnaire=questionnaire,
        period_label=str(year),
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        status=Assessment.Status.SUBMITTED if submitted else Assessment.Status.DRAFT,
        submitted_at=timezone.now() if submitted else None,
    )
    answers = []
    for dimension in questionnaire.dimensions.prefetch_related("statements"):
        wanted = (scores or {}).get(dimension.key)
        for index, statement in enumerate(dimension.statements.all()):
            score = 3 if wanted is None else wanted[index % len(wanted)]
            answers.append(Answer(assessment=assessment, statement=statement, score=score))
    Answer.objects.bulk_create(answers)
    return assessment


class DialogueFactory(factory.django.DjangoModelFactory[Dialogue]):
    class Meta:
        model = Dialogue

    partner = factory.SubFactory(PartnerFactory)
    held_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=20))
    format = Dialogue.Format.VISIT
    agenda = "1. The year's activities\n2. The budget"
    notes = "We agreed to train two more study circle leaders."


class AgreedActionFactory(factory.django.DjangoModelFactory[AgreedAction]):
    class Meta:
        model = AgreedAction

    dialogue = factory.SubFactory(DialogueFactory)
    partner = factory.SelfAttribute("dialogue.partner")
    description = factory.Sequence(lambda n: f"Send the revised budget {n}")
    due_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=7))
    owner_is_partner = True


class DialogueCommentFactory(factory.django.DjangoModelFactory[DialogueComment]):
    class Meta:
        model = DialogueComment

    dialogue = factory.SubFactory(DialogueFactory)
    text = "The budget line for travel is missing."


class RiskFactory(factory.django.DjangoModelFactory[Risk]):
    class Meta:
        model = Risk

    partner = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    description = "What could happen, and to whom."
    category = "political"
    likelihood = 3
    impact = 3
    mitigation = "What we do about it."
    next_review = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=60))
