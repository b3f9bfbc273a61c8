"""Self-assessment pages: a partner's own ("your self-assessment", the form, its results) and
staff's (the same results for a partner they may see, comments per dimension, the distribution
across partners). Outside a viewer's scope every page is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import services
from assessments.charts import score_dots
from assessments.forms import AssessmentForm, CommentForm, DistributionFilter
from assessments.models import Assessment
from assessments.selectors import (
    BAND_LABELS,
    BANDS,
    current_period,
    dimension_scores,
    dimensions_of,
    distribution,
    distribution_periods,
    get_assessment_for_user,
    partner_history,
    visible_assessments,
    visible_comments,
)
from dialogues import services as dialogue_services
from dialogues.forms import single_action_form
from partners.regions import Region
from partners.selectors import get_partner_for_user, partner_label
from portal.access import denied_as_not_found
from portal.charts import Figure, shares
from portal.forms import add_validation_error
from portal.pagination import paginate
from programs.selectors import visible_programs


def _staff(request: HttpRequest) -> None:
    if not getattr(request.user, "is_portal_staff", False):
        raise Http404


def _partner_user(request: HttpRequest) -> None:
    if not getattr(request.user, "is_partner_user", False):
        raise Http404


@require_GET
def assessment_home(request: HttpRequest) -> HttpResponse:
    """Partner users: their organisation's rounds and this period's. Staff: every assessment
    they may read, newest first."""
    user: Any = request.user
    if user.is_partner_user:
        label, start, _end = current_period(timezone.localdate())
        rounds = list(visible_assessments(user).order_by("-period_start"))
        current = next((round_ for round_ in rounds if round_.period_start == start), None)
        return render(
            request,
            "assessments/home_partner.html",
            {"rounds": rounds, "current": current, "period_label": label},
        )
    _staff(request)
    assessments = (
        visible_assessments(user)
        .select_related("partner")
        .order_by("-period_start", "partner__name", "pk")
    )
    page = paginate(request, assessments)
    for assessment in page:
        assessment.label = partner_label(assessment.partner, user)  # type: ignore[attr-defined]
    return render(request, "assessments/home_staff.html", {"page": page})


@require_POST
@denied_as_not_found
def assessment_start(request: HttpRequest) -> HttpResponse:
    _partner_user(request)
    try:
        assessment = services.assessment_start(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessment-home")
    return redirect("assessment-edit", pk=assessment.pk)


@require_http_methods(["GET", "POST"])
@denied_as_not_found
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The form: every dimension a fieldset, each statement five radio buttons and an example;
    "save" keeps a draft with open statements, "submit" needs them all."""
    _partner_user(request)
    assessment = get_assessment_for_user(request.user, pk, request=request)
    if assessment.is_submitted:
        return redirect("assessment-detail", pk=assessment.pk)
    dimensions = dimensions_of(assessment.questionnaire)
    answers = {answer.statement_id: answer for answer in assessment.answers.all()}
    form = AssessmentForm(request.POST or None, dimensions=dimensions, answers=answers)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        service = services.assessment_submit if submit else services.assessment_save_draft
        try:
            service(actor=request.user, assessment=assessment, answers=form.answers())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if submit:
                messages.success(request, _("Your self-assessment is submitted. Thank you."))
                return redirect("assessment-results", partner_pk=assessment.partner_id)
            messages.success(request, _("Your answers are saved. You can continue later."))
            return redirect("assessment-edit", pk=assessment.pk)
    answered = sum(1 for answer in answers.values() if answer.score)
    total = sum(len(dimension.statements.all()) for dimension in dimensions)
    return render(
        request,
        "assessments/assessment_form.html",
        {"assessment": assessment, "form": form, "answered": answered, "total": total},
    )


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One round: each dimension's score and statements, examples, and staff's comments."""
    user: Any = request.user
    if not (user.is_portal_staff or user.is_partner_user):
        raise Http404
    assessment = get_assessment_for_user(user, pk, request=request)
    return _detail(request, assessment, comment_form=None)


def _detail(
    request: HttpRequest,
    assessment: Assessment,
    *,
    comment_form: CommentForm | None,
    action_form: Any = None,
) -> HttpResponse:
    user: Any = request.user
    may_agree = user.is_portal_staff and assessment.is_submitted
    if may_agree and action_form is None:
        action_form = single_action_form(None, assessment.partner)[0]
    dimensions = dimensions_of(assessment.questionnaire)
    answers = {answer.statement_id: answer for answer in assessment.answers.all()}
    scores = dimension_scores([assessment.pk]).get(assessment.pk, {})
    comments: dict[int, list[Any]] = {}
    for comment in visible_comments(user).filter(assessment=assessment).select_related("author"):
        comments.setdefault(comment.dimension_id, []).append(comment)
    blocks = [
        {
            "dimension": dimension,
            "score": scores.get(dimension.key),
            "answers": [
                (statement, answers.get(statement.pk)) for statement in dimension.statements.all()
            ],
            "comments": comments.get(dimension.pk, []),
            "form": (
                comment_form
                if comment_form is not None and comment_form.data.get("dimension") == dimension.key
                else None
            ),
        }
        for dimension in dimensions
    ]
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "partner_name": partner_label(assessment.partner, user),
            "blocks": blocks,
            "may_comment": user.is_portal_staff and assessment.is_submitted,
            "action_form": action_form if may_agree else None,
            # The page's error summary (base.html) reads ``form``: the one that came back.
            "form": comment_form or (action_form if action_form and action_form.is_bound else None),
        },
        status=400 if comment_form is not None or (action_form and action_form.is_bound) else 200,
    )


@require_POST
@denied_as_not_found
def assessment_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff agree an action with the partner on what its self-assessment shows: it becomes one
    of the partner's agreed actions (``dialogues``), on the owner's dashboard like the others."""
    _staff(request)
    assessment = get_assessment_for_user(request.user, pk, request=request)
    if not assessment.is_submitted:
        raise Http404
    form, staff = single_action_form(request.POST, assessment.partner)
    if form.is_valid():
        draft = form.draft(staff)
        try:
            dialogue_services.agree_action(
                request.user,
                partner=assessment.partner,
                description=draft.description,
                due_on=draft.due_on,
                owner_user=draft.owner_user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The action is agreed; it is on the partner's page."))
            return redirect("assessment-detail", pk=assessment.pk)
    return _detail(request, assessment, comment_form=None, action_form=form)


@require_POST
@denied_as_not_found
def assessment_comment(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    assessment = get_assessment_for_user(request.user, pk, request=request)
    form = CommentForm(request.POST, questionnaire_id=assessment.questionnaire_id)
    if form.is_valid():
        try:
            services.dimension_comment_add(
                actor=request.user,
                assessment=assessment,
                dimension=form.cleaned_data["dimension"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Your comment is saved."))
            return redirect("assessment-detail", pk=assessment.pk)
    return _detail(request, assessment, comment_form=form)


@require_GET
def assessment_results(request: HttpRequest, partner_pk: int) -> HttpResponse:
    """A partner's scores per dimension over its rounds (chart and table) and the change since
    its last round."""
    user: Any = request.user
    if not (user.is_portal_staff or user.is_partner_user):
        raise Http404
    partner = get_partner_for_user(user, partner_pk, request=request)
    history = partner_history(user, partner)
    labels = [round_.period_label for round_ in history.rounds]
    table = history.table()
    return render(
        request,
        "assessments/results.html",
        {
            "partner": partner,
            "history": history,
            "labels": labels,
            "table": table,
            "changes": history.changes(),
            "chart": score_dots(_("Scores per dimension"), labels, table) if table else None,
        },
    )


@require_GET
def assessment_distribution(request: HttpRequest) -> HttpResponse:
    """Per dimension, how many partners scored themselves in each band, in one period."""
    _staff(request)
    user = request.user
    periods = distribution_periods(user)
    programs = list(visible_programs(user).order_by("title").values_list("pk", "title"))
    form = DistributionFilter(
        request.GET or None, periods=periods, regions=list(Region.choices), programs=programs
    )
    period, region, program_id = (periods[0] if periods else ""), "", None
    if form.is_bound:
        if not form.is_valid():
            return render(
                request, "assessments/distribution.html", {"form": form, "rows": []}, status=400
            )
        period = form.cleaned_data["period"] or period
        region = form.cleaned_data["region"]
        program_id = form.cleaned_data["program"]
    rows = (
        distribution(user, period_label=period, region=region, program_id=program_id)
        if period
        else []
    )
    chart = shares(
        _("Partners per score band"),
        [(row.name, [Figure(count) for count in row.counts]) for row in rows],
        BAND_LABELS,
    )
    return render(
        request,
        "assessments/distribution.html",
        {
            "form": form,
            "rows": rows,
            "period": period,
            "bands": list(zip(BANDS, BAND_LABELS, strict=True)),
            "chart": chart if rows else None,
        },
    )
