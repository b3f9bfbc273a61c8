"""Hypothesis ``from_form`` on each form: any input is valid or has errors, never an exception.

Where a form is valid, what the view would do next (the service call) runs too, in a savepoint
that is rolled back: a valid form must lead to a saved record or to a ValidationError shown on
the form, never to anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import from_form

from analyses import services as analysis_services
from analyses.forms import AnalysisForm
from analyses.models import RegionalAnalysis
from assessments import services as assessment_services
from assessments.forms import AssessmentForm, DistributionFilter
from assessments.forms import CommentForm as AssessmentCommentForm
from assessments.selectors import dimensions_of
from conftest import World
from dialogues import forms as dialogue_forms
from dialogues import services as dialogue_services
from dialogues.models import Dialogue
from mailings import services as mail_services
from mailings.forms import NewsletterForm
from mailings.models import MailPreference
from partners.regions import Region
from portal.forms import OneTimeCodeForm
from portal.models import User
from programs import services as program_services
from programs.forms import HeldActivityForm, PlanForm, PlannedItemForm
from programs.models import Activity, ActivityPlan, PlannedActivity
from progress import links, services
from progress.forms import CommentForm, ReviewForm, StoryForm
from progress.link_forms import LinkForm, LinkStoryForm
from progress.models import ChangeStory, ChangeType, TargetGroup
from progress.selectors import stories_by_reference
from reporting import reports
from results import services as results_services
from results.admin import ActualForm
from results.models import Actual, DimensionValue
from risks import services as risk_services
from risks.filters import HeatMapFilterForm
from risks.forms import CommentForm as RiskCommentForm
from risks.forms import ReassessForm, RiskForm
from risks.heatmap import heat_map
from risks.models import Risk
from solidarity import services as solidarity_services
from solidarity.forms import (
    ContributionForm,
    LedgerFilterForm,
    MatchForm,
    NeedForm,
    OfferForm,
    ReportForm,
)
from solidarity.models import Contribution, ExpertiseNeed, ExpertiseOffer
from tests import factories
from tests.results import builders as results_builders

EXAMPLES = 40
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text as people and attackers type it: any Unicode, markup, very long strings.
TEXT = st.one_of(
    st.text(max_size=300), st.sampled_from(["<script>x</script>", "=1+1", "‮x", "a" * 5000])
)
# Months as the month input sends them, and what else may arrive instead.
MONTH = st.one_of(st.dates().map(lambda day: day.strftime("%Y-%m")), st.text(max_size=10))
checked: dict[str, int] = {}


def _valid_or_errors(form: forms.BaseForm, name: str) -> bool:
    valid = form.is_valid()  # must not raise, whatever the data
    assert valid or form.errors
    checked[name] = checked.get(name, 0) + 1
    return valid


def _rolled_back(action: Callable[[], Any]) -> None:
    try:
        with transaction.atomic():
            action()
            raise _Rollback
    except (_Rollback, ValidationError):
        pass


class _Rollback(Exception):
    pass


def choices(model: Any) -> st.SearchStrategy[list[object]]:
    """Real ids mixed with ids that do not exist, negative, huge or not numbers at all."""
    real = list(model.objects.values_list("pk", flat=True))
    junk = st.one_of(st.integers(), st.text(max_size=5))
    return st.lists(st.one_of(st.sampled_from(real), junk), max_size=4)


@pytest.mark.parametrize("role", ["staff", "partner"])
def test_the_story_form(world: World, role: str) -> None:
    user = world.users[role]

    @FUZZ
    @given(
        generated=from_form(
            StoryForm,  # type: ignore[arg-type]  # a ModelForm is a form too
            form_kwargs={
                "user": user,
                "instance": services.ChangeStory(**services.story_defaults_for(user)),
            },
            title=TEXT,
            narrative=TEXT,
            locality=TEXT,
            significance_reason=TEXT,
            contribution_text=TEXT,
            storyteller_name=TEXT,
            storyteller_contact=TEXT,
            attachments=st.just([]),
            change_types=choices(ChangeType),
            target_groups=choices(TargetGroup),
        )
    )
    def run(generated: StoryForm) -> None:
        # Bound again to a fresh story: the generated form's instance is shared between examples.
        fresh = services.ChangeStory(**services.story_defaults_for(user))
        form = StoryForm(data=generated.data, instance=fresh, user=user)
        if _valid_or_errors(form, "StoryForm"):
            _rolled_back(
                lambda: services.story_save(
                    actor=user,
                    story=form.instance,
                    change_types=form.cleaned_data["change_types"],
                    target_groups=form.cleaned_data["target_groups"],
                    storyteller_name=form.cleaned_data["storyteller_name"],
                    storyteller_contact=form.cleaned_data["storyteller_contact"],
                    submit=False,
                    form_token=form.cleaned_data.get("form_token"),
                    attachments=[],
                )
            )

    run()


def test_the_review_and_comment_forms(world: World) -> None:
    @FUZZ
    @given(review=from_form(ReviewForm, comment=TEXT), comment=from_form(CommentForm, comment=TEXT))
    def run(review: ReviewForm, comment: CommentForm) -> None:
        _valid_or_errors(review, "ReviewForm")
        if _valid_or_errors(comment, "CommentForm"):
            _rolled_back(
                lambda: services.story_comment(
                    actor=world.users["staff"],
                    story=world.alpha_story,
                    comment=comment.cleaned_data["comment"],
                )
            )

    run()


def test_the_link_forms(world: World) -> None:
    user = world.users["partner"]

    @FUZZ
    @given(
        link=from_form(LinkForm, form_kwargs={"user": user}, label=TEXT),
        public=from_form(
            LinkStoryForm,  # type: ignore[arg-type]
            title=TEXT,
            narrative=TEXT,
            significance_reason=TEXT,
            change_types=choices(ChangeType),
            target_groups=choices(TargetGroup),
        ),
    )
    def run(link: LinkForm, public: LinkStoryForm) -> None:
        if _valid_or_errors(link, "LinkForm"):
            data = link.cleaned_data
            _rolled_back(
                lambda: links.link_create(
                    actor=user,
                    partner=data["partner"],
                    project=data["project"],
                    label=data["label"],
                    days=data["days"],
                    max_uses=data["max_uses"],
                )
            )
        _valid_or_errors(public, "LinkStoryForm")

    run()


def test_the_code_and_report_filter_forms(world: World) -> None:
    @FUZZ
    @given(
        code=from_form(OneTimeCodeForm),
        report=from_form(
            reports.ReportFilterForm,
            form_kwargs={"user": world.users["officer"]},
            month_from=MONTH,
            month_to=MONTH,
        ),
    )
    def run(code: OneTimeCodeForm, report: reports.ReportFilterForm) -> None:
        _valid_or_errors(code, "OneTimeCodeForm")
        if _valid_or_errors(report, "ReportFilterForm"):
            reports.build_report(world.users["officer"], report.filters())

    run()


def test_the_self_assessment_forms(world: World) -> None:
    questionnaire = factories.make_questionnaire(dimensions=2, statements=2)
    partner, staff = world.users["partner"], world.users["staff"]
    draft = assessment_services.assessment_start(actor=partner)
    submitted = factories.make_assessment(partner=world.beta, questionnaire=questionnaire)
    dimensions = dimensions_of(questionnaire)
    statements = [s.pk for d in dimensions for s in d.statements.all()]
    score = st.one_of(st.sampled_from(["", "1", "2", "3", "4", "5"]), st.text(max_size=5))
    answer_data = st.fixed_dictionaries(
        {
            **{f"score_{pk}": score for pk in statements},
            **{f"example_{pk}": TEXT for pk in statements},
        }
    )
    periods = st.one_of(st.sampled_from(["", "2025"]), TEXT)
    ids = st.one_of(st.sampled_from(["", str(world.program.pk)]), st.text(max_size=6))

    @FUZZ
    @given(
        answers=answer_data,
        submit=st.booleans(),
        comment=st.fixed_dictionaries(
            {"dimension": st.one_of(st.sampled_from(["d1", "d2"]), TEXT), "text": TEXT}
        ),
        filters=st.fixed_dictionaries(
            {"period": periods, "region": st.one_of(st.just("latam"), TEXT), "program": ids}
        ),
    )
    def run(
        answers: dict[str, str], submit: bool, comment: dict[str, str], filters: dict[str, str]
    ) -> None:
        form = AssessmentForm(answers, dimensions=dimensions)
        if _valid_or_errors(form, "AssessmentForm"):
            service = (
                assessment_services.assessment_submit
                if submit
                else assessment_services.assessment_save_draft
            )
            _rolled_back(lambda: service(actor=partner, assessment=draft, answers=form.answers()))
        comment_form = AssessmentCommentForm(comment, questionnaire_id=questionnaire.pk)
        if _valid_or_errors(comment_form, "AssessmentCommentForm"):
            _rolled_back(
                lambda: assessment_services.dimension_comment_add(
                    actor=staff,
                    assessment=submitted,
                    dimension=comment_form.cleaned_data["dimension"],
                    text=comment_form.cleaned_data["text"],
                )
            )
        filter_form = DistributionFilter(
            filters,
            periods=["2025"],
            regions=list(Region.choices),
            programs=[(world.program.pk, world.program.title)],
        )
        _valid_or_errors(filter_form, "DistributionFilter")

    run()


def test_the_dialogue_forms(world: World) -> None:
    staff = world.users["staff"]
    dialogue = factories.DialogueFactory.create(partner=world.alpha)
    action = factories.AgreedActionFactory.create(dialogue=dialogue)
    owners = [(str(staff.pk), "staff"), (str(world.users["officer"].pk), "officer")]

    @FUZZ
    @given(
        generated=from_form(
            dialogue_forms.DialogueForm,  # type: ignore[arg-type]  # a ModelForm is a form too
            form_kwargs={"user": staff, "partner": world.alpha, "instance": Dialogue()},
            other_participants=TEXT,
            agenda=TEXT,
            notes=TEXT,
            story_references=TEXT,
            staff_participants=choices(User),
            partner_participants=choices(User),
        ),
        action_form=from_form(
            dialogue_forms.ActionForm, form_kwargs={"owners": owners}, description=TEXT
        ),
        comment=from_form(dialogue_forms.CommentForm, text=TEXT),
        status=from_form(dialogue_forms.ActionStatusForm, reason=TEXT),
    )
    def run(
        generated: dialogue_forms.DialogueForm,
        action_form: dialogue_forms.ActionForm,
        comment: dialogue_forms.CommentForm,
        status: dialogue_forms.ActionStatusForm,
    ) -> None:
        form = dialogue_forms.DialogueForm(
            data=generated.data, instance=Dialogue(), user=staff, partner=world.alpha
        )
        action_valid = _valid_or_errors(action_form, "ActionForm")
        if _valid_or_errors(form, "DialogueForm"):
            drafts = (
                [action_form.draft({pk: staff for pk, _name in owners})] if action_valid else []
            )
            _rolled_back(
                lambda: dialogue_services.dialogue_save(
                    actor=staff,
                    dialogue=form.instance,
                    staff_participants=list(form.cleaned_data["staff_participants"]),
                    partner_participants=list(form.cleaned_data["partner_participants"]),
                    actions=drafts,
                )
            )
        if _valid_or_errors(comment, "DialogueCommentForm"):
            _rolled_back(
                lambda: dialogue_services.dialogue_comment(
                    actor=world.users["partner"],
                    dialogue=dialogue,
                    text=comment.cleaned_data["text"],
                )
            )
        if _valid_or_errors(status, "ActionStatusForm"):
            _rolled_back(
                lambda: dialogue_services.action_set_status(
                    actor=staff,
                    action=action,
                    status=status.cleaned_data["status"],
                    reason=status.cleaned_data["reason"],
                )
            )


def test_the_analysis_form(world: World) -> None:
    user = world.users["staff"]
    references = list(
        ChangeStory.objects.values_list("reference", flat=True).order_by("reference")[:5]
    )

    @FUZZ
    @given(
        form=from_form(
            AnalysisForm,  # type: ignore[arg-type]
            form_kwargs={"user": user},
            risks=st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
            title=TEXT,
            context=TEXT,
            story_references=st.one_of(
                TEXT, st.lists(st.sampled_from([*references, "S-NOPE"])).map(" ".join)
            ),
            figures=st.one_of(
                TEXT,
                st.lists(
                    st.tuples(TEXT, st.sampled_from(["/reports/?country=GT", "https://x.example/"]))
                ).map(lambda rows: "\n".join(f"{label} | {address}" for label, address in rows)),
            ),
        )
    )
    def run(form: AnalysisForm) -> None:
        if _valid_or_errors(form, "AnalysisForm"):

            def save() -> None:
                stories = stories_by_reference(user, form.cleaned_data["story_references"])
                analysis_services.analysis_save(
                    actor=user,
                    analysis=form.instance,
                    stories=stories,
                    figures=form.cleaned_data["figures"],
                )

            _rolled_back(save)
            assert not RegionalAnalysis.objects.exists()

    run()


def test_the_risk_forms(world: World) -> None:
    staff = world.users["officer"]
    risk = factories.RiskFactory.create(partner=world.alpha, shared_with_partner=True)

    @FUZZ
    @given(
        generated=from_form(
            RiskForm,  # type: ignore[arg-type]  # a ModelForm is a form too
            form_kwargs={"user": staff, "instance": Risk()},
            title=TEXT,
            description=TEXT,
            mitigation=TEXT,
        ),
        reassess=from_form(ReassessForm, note=TEXT),
        comment=from_form(RiskCommentForm, text=TEXT),
        heat=from_form(HeatMapFilterForm, form_kwargs={"user": staff}),
    )
    def run(
        generated: RiskForm,
        reassess: ReassessForm,
        comment: RiskCommentForm,
        heat: HeatMapFilterForm,
    ) -> None:
        form = RiskForm(data=generated.data, instance=Risk(), user=staff)
        if _valid_or_errors(form, "RiskForm"):
            _rolled_back(lambda: risk_services.risk_save(actor=staff, risk=form.instance))
        if _valid_or_errors(reassess, "ReassessForm"):
            data = reassess.cleaned_data
            _rolled_back(
                lambda: risk_services.risk_reassess(
                    actor=staff,
                    risk=risk,
                    likelihood=data["likelihood"],
                    impact=data["impact"],
                    note=data["note"],
                )
            )
        if _valid_or_errors(comment, "RiskCommentForm"):
            _rolled_back(
                lambda: risk_services.risk_comment(
                    actor=world.users["partner"], risk=risk, text=comment.cleaned_data["text"]
                )
            )
        if _valid_or_errors(heat, "HeatMapFilterForm"):
            heat_map(staff, heat.filters())

    run()


def test_the_results_admin_figure_form(world: World) -> None:
    """A figure the admin's form accepts is one the service saves: the form runs the service's
    validation, so nothing reaches the save that would turn into a 500."""
    user = world.users["staff"]
    d = results_builders.dimensions()
    indicators = [
        results_builders.indicator(
            world.program, measure=measure, projects=[world.alpha_project, world.hidden_project]
        )
        for measure in ("count", "percentage", "currency")
    ]
    indicators[0].dimensions.set([d.sex, d.age])
    periods = [period.pk for indicator in indicators for period in indicator.periods.all()]
    number = st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str),
        st.integers(-5, 2000).map(str),
        st.sampled_from(["", "1e3", "NaN", "=1+1"]),
    )

    @FUZZ
    @given(
        form=from_form(
            ActualForm,  # type: ignore[arg-type]
            period=st.sampled_from([*periods, "x"]),
            project=st.sampled_from([world.alpha_project.pk, world.beta_project.pk, -1]),
            value=number,
            numerator=number,
            denominator=number,
            values=choices(DimensionValue),
        )
    )
    def run(form: ActualForm) -> None:
        if _valid_or_errors(form, "ActualForm"):
            with transaction.atomic():
                results_services.actual_save(actor=user, actual=form.instance)
                transaction.set_rollback(True)
        assert not Actual.objects.exists()

    run()


def test_the_plan_forms(world: World) -> None:
    """A plan, a planned item and an activity held, as a member keeps its plan: valid input
    saves through the service or is a ValidationError on the form, never anything else."""
    member = world.users["member"]
    plan = factories.ActivityPlanFactory.create(
        member_organisation=member.member_organisation, year=2026
    )
    item = factories.PlannedActivityFactory.create(plan=plan)
    number = st.one_of(st.integers(-3, 500).map(str), st.sampled_from(["", "x", "1e9"]))
    day = st.one_of(st.dates().map(str), st.text(max_size=12))

    @FUZZ
    @given(
        generated=from_form(
            PlanForm,  # type: ignore[arg-type]
            form_kwargs={"user": member, "instance": ActivityPlan()},
            title=TEXT,
            year=number,
        ),
        planned=from_form(
            PlannedItemForm,  # type: ignore[arg-type]
            form_kwargs={"user": member, "instance": PlannedActivity(plan=plan)},
            title=TEXT,
            responsible=TEXT,
            target_count=number,
            quarter=number,
            date=day,
        ),
        held=from_form(
            HeldActivityForm,  # type: ignore[arg-type]
            form_kwargs={"user": member, "plan": plan, "instance": Activity()},
            planned=st.sampled_from([item.pk, "", -1, "x"]),
            title=TEXT,
            place=TEXT,
            notes=TEXT,
            date=day,
            participants_women=number,
            participants_men=number,
            participants_other=number,
            participants_youth=number,
        ),
    )
    def run(generated: PlanForm, planned: PlannedItemForm, held: HeldActivityForm) -> None:
        form = PlanForm(data=generated.data, instance=ActivityPlan(), user=member)
        if _valid_or_errors(form, "PlanForm"):
            _rolled_back(lambda: program_services.keep_plan(actor=member, plan=form.instance))
        item_form = PlannedItemForm(
            data=planned.data, instance=PlannedActivity(plan=plan), user=member
        )
        if _valid_or_errors(item_form, "PlannedItemForm"):
            _rolled_back(
                lambda: program_services.keep_planned_item(actor=member, item=item_form.instance)
            )
        held_form = HeldActivityForm(data=held.data, instance=Activity(), plan=plan, user=member)
        if _valid_or_errors(held_form, "HeldActivityForm"):
            _rolled_back(
                lambda: program_services.record_held(
                    actor=member, plan=plan, activity=held_form.instance
                )
            )

    run()


def test_the_contribution_forms(world: World) -> None:
    """A row staff record, a collection a member reports, a ledger's period and heads: valid
    input saves through the service or is a ValidationError on the form, never anything else."""
    staff, member = world.users["staff"], world.users["member"]
    pledge = factories.ContributionFactory.create(
        kind=Contribution.Kind.MONTHLY_PLEDGE, network=world.network
    )
    amount = st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.sampled_from(["", "-5", "1e20", "0", "12.345", "x"]),
    )
    day = st.one_of(st.dates().map(str), st.text(max_size=12))
    kind = st.sampled_from([*Contribution.Kind.values, "", "x"])

    @FUZZ
    @given(
        recorded=from_form(
            ContributionForm,  # type: ignore[arg-type]
            form_kwargs={"user": staff},
            kind=kind,
            date=day,
            ends_on=day,
            donor_name=TEXT,
            amount_sek=amount,
            hours=amount,
            pledge=st.sampled_from([pledge.pk, "", -1, "x"]),
            note=TEXT,
        ),
        reported=from_form(
            ReportForm,  # type: ignore[arg-type]
            form_kwargs={"user": member},
            kind=kind,
            date=day,
            amount_sek=amount,
            hours=amount,
            note=TEXT,
        ),
        chosen=from_form(
            LedgerFilterForm,  # type: ignore[arg-type]
            form_kwargs={"user": member},
            start=day,
            end=day,
            kind=kind,
        ),
    )
    def run(recorded: ContributionForm, reported: ReportForm, chosen: LedgerFilterForm) -> None:
        form = ContributionForm(data=recorded.data, user=staff)
        if _valid_or_errors(form, "ContributionForm"):
            _rolled_back(
                lambda: solidarity_services.contribution_save(
                    actor=staff, contribution=form.instance
                )
            )
        report = ReportForm(data=reported.data, user=member)
        if _valid_or_errors(report, "ReportForm"):
            _rolled_back(
                lambda: solidarity_services.contribution_report(
                    actor=member, contribution=report.instance
                )
            )
        ledger_form = LedgerFilterForm(data=chosen.data, user=member)
        if _valid_or_errors(ledger_form, "LedgerFilterForm"):
            start, end = ledger_form.period()
            assert start <= end

    run()


def test_the_newsletter_form(world: World) -> None:
    """A newsletter as staff write it: valid input saves a draft through the service, and
    sending it is done or refused with a reason, never anything else."""
    staff = world.users["staff"]
    MailPreference.objects.create(user=world.users["member"], newsletters=True)

    @FUZZ
    @given(
        written=from_form(
            NewsletterForm,  # type: ignore[arg-type]
            form_kwargs={"user": staff},
            audience=st.sampled_from(["network", "branches", "", "x"]),
            subject=TEXT,
            body=TEXT,
        )
    )
    def run(written: NewsletterForm) -> None:
        form = NewsletterForm(data=written.data, user=staff)
        if _valid_or_errors(form, "NewsletterForm"):

            def save_and_send() -> None:
                newsletter = mail_services.newsletter_save(actor=staff, newsletter=form.instance)
                mail_services.newsletter_send(actor=staff, newsletter=newsletter)

            _rolled_back(save_and_send)

    run()


def test_the_expertise_forms(world: World) -> None:
    """A need a partner states, an offer a member makes, a match staff make: valid input saves
    through the service or is a ValidationError on the form, never anything else."""
    partner, member, staff = world.users["partner"], world.users["member"], world.users["staff"]
    need = ExpertiseNeed.objects.create(partner=world.alpha, title="A trainer")
    assert member.member_organisation is not None
    offer = ExpertiseOffer.objects.create(
        member_organisation=member.member_organisation, title="Trainers"
    )
    number = st.one_of(st.integers(-3, 10**6).map(str), st.sampled_from(["", "x", "1e9"]))

    @FUZZ
    @given(
        stated=from_form(
            NeedForm,  # type: ignore[arg-type]
            form_kwargs={"user": partner},
            title=TEXT,
            description=TEXT,
        ),
        offered=from_form(
            OfferForm,  # type: ignore[arg-type]
            form_kwargs={"user": member},
            title=TEXT,
            description=TEXT,
            hours=number,
        ),
        matched=from_form(
            MatchForm,  # type: ignore[arg-type]
            form_kwargs={"user": staff},
            offer=st.sampled_from([offer.pk, "", -1, "x"]),
            kind=st.sampled_from(["training", "", "x"]),
            activity_format=st.sampled_from(["in_person", "digital", "", "x"]),
            quarter=st.sampled_from(["1", "4", "", "5", "x"]),
        ),
    )
    def run(stated: NeedForm, offered: OfferForm, matched: MatchForm) -> None:
        need_form = NeedForm(data=stated.data, user=partner)
        if _valid_or_errors(need_form, "NeedForm"):
            _rolled_back(
                lambda: solidarity_services.need_save(actor=partner, need=need_form.instance)
            )
        offer_form = OfferForm(data=offered.data, user=member)
        if _valid_or_errors(offer_form, "OfferForm"):
            _rolled_back(
                lambda: solidarity_services.offer_save(actor=member, offer=offer_form.instance)
            )
        match_form = MatchForm(data=matched.data, user=staff)
        if _valid_or_errors(match_form, "MatchForm"):
            data = match_form.cleaned_data
            _rolled_back(
                lambda: solidarity_services.match_make(
                    actor=staff,
                    need=need,
                    offer=data["offer"],
                    kind=data["kind"],
                    activity_format=data["activity_format"],
                    quarter=data["quarter"],
                )
            )

    run()


def test_zz_print_the_figures() -> None:
    """Last in the file: how many forms each test bound and checked."""
    print(f"form fuzz: {sum(checked.values())} bound forms checked {dict(sorted(checked.items()))}")
