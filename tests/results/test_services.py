"""Writing the framework: validation per measure, combinations, scope, audit; the admin's forms
turn a figure that does not fit into a form error, never a 500 or a half-saved record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from conftest import World
from portal.audit import REDACTED
from results import services
from results.models import TOTAL, Actual, Indicator, Measure, Outcome, Period, Target
from tests import factories
from tests.results import builders


def _actual(period: Period, project: object, **fields: object) -> Actual:
    return Actual(period=period, project=project, **fields)  # type: ignore[misc]


def test_it_saves_a_count_and_refuses_a_fraction(world: World) -> None:
    indicator = builders.world_framework(world)
    staff = world.users["staff"]
    period = builders.period(indicator, 2026)
    saved = services.actual_save(
        actor=staff, actual=_actual(period, world.alpha_project, value=Decimal(12))
    )
    assert saved.pk is not None and saved.status == Actual.Status.DRAFT
    with pytest.raises(ValidationError) as error:
        services.actual_save(
            actor=staff, actual=_actual(period, world.beta_project, value=Decimal("1.5"))
        )
    assert "value" in error.value.message_dict


def test_a_percentage_needs_its_parts_and_no_value(world: World) -> None:
    indicator = builders.indicator(
        world.program, measure=Measure.PERCENTAGE, projects=[world.alpha_project]
    )
    staff = world.users["staff"]
    period = builders.period(indicator)
    for fields in (
        {"value": Decimal(50)},
        {"numerator": Decimal(5)},
        {"numerator": Decimal(11), "denominator": Decimal(10)},
        {"numerator": Decimal(1), "denominator": Decimal(0)},
    ):
        with pytest.raises(ValidationError):
            services.actual_save(actor=staff, actual=_actual(period, world.alpha_project, **fields))
    services.actual_save(
        actor=staff,
        actual=_actual(period, world.alpha_project, numerator=Decimal(4), denominator=Decimal(10)),
    )
    assert Actual.objects.count() == 1


def test_a_combination_names_one_value_of_each_dimension(world: World) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex, d.age])
    staff = world.users["staff"]
    period = builders.period(indicator, 2026)

    def save(values: tuple[object, ...], key: str | None = None) -> Actual:
        combination = key if key is not None else services.combination_of(values)  # type: ignore[arg-type]
        return services.actual_save(
            actor=staff,
            actual=_actual(period, world.alpha_project, value=Decimal(1), combination=combination),
        )

    save((d.women, d.youth))
    save(())  # the total
    for wrong in ((d.women,), (d.women, d.men), (d.women, d.men, d.youth)):
        with pytest.raises(ValidationError):
            save(wrong)
    for key in ("x", "3.", f"{d.youth.pk}.{d.women.pk}" if d.youth.pk > d.women.pk else "9.1"):
        with pytest.raises(ValidationError):
            save((), key)
    assert Actual.objects.filter(period=period).count() == 2


def test_only_a_reporting_project_has_actuals(world: World) -> None:
    indicator = builders.indicator(world.program, projects=[world.alpha_project])
    with pytest.raises(ValidationError) as error:
        services.actual_save(
            actor=world.users["staff"],
            actual=_actual(builders.period(indicator), world.beta_project, value=Decimal(1)),
        )
    assert "project" in error.value.message_dict


def test_a_period_is_a_calendar_year_or_half(world: World) -> None:
    indicator = builders.indicator(world.program, years=())
    staff = world.users["staff"]
    for start, end in (
        (dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        (dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
    ):
        services.period_save(actor=staff, period=Period(indicator=indicator, start=start, end=end))
    with pytest.raises(ValidationError):
        services.period_save(
            actor=staff,
            period=Period(indicator=indicator, start=dt.date(2025, 3, 1), end=dt.date(2025, 9, 30)),
        )
    with pytest.raises(IntegrityError):
        Period.objects.create(
            indicator=indicator, start=dt.date(2025, 12, 31), end=dt.date(2025, 1, 1)
        )


def test_an_indicator_fits_its_measure(world: World) -> None:
    outcome = Outcome.objects.create(program=world.program, title="Incomes")
    staff = world.users["staff"]
    money = Indicator(
        outcome=outcome, title="Monthly income", measure=Measure.CURRENCY, currency="usd"
    )
    services.indicator_save(actor=staff, indicator=money)
    assert money.currency == "USD"
    for wrong in (
        Indicator(outcome=outcome, title="x", measure=Measure.CURRENCY),
        Indicator(outcome=outcome, title="x", measure=Measure.COUNT, currency="SEK"),
        Indicator(
            outcome=outcome, title="x", measure=Measure.PERCENTAGE, baseline_value=Decimal(3)
        ),
        Indicator(outcome=outcome, title="x", measure=Measure.COUNT, baseline_numerator=Decimal(3)),
        Indicator(
            outcome=outcome, title="x", measure=Measure.PERCENTAGE, baseline_numerator=Decimal(3)
        ),
    ):
        with pytest.raises(ValidationError):
            services.indicator_save(actor=staff, indicator=wrong)
    elsewhere = builders.indicator(world.program)
    with pytest.raises(ValidationError):
        services.indicator_set_links(
            actor=staff,
            indicator=elsewhere,
            dimensions=[],
            projects=[factories.ProjectFactory.create()],
        )


@pytest.mark.parametrize("role", ["partner", "member", "secret"])
def test_only_staff_write(world: World, role: str) -> None:
    indicator = builders.world_framework(world)
    with pytest.raises(PermissionDenied):
        services.target_save(
            actor=world.users[role],
            target=Target(period=builders.period(indicator, 2026), value=Decimal(5)),
        )


def test_officers_cannot_touch_a_confidential_projects_rows(world: World) -> None:
    indicator = builders.world_framework(world)
    officer = world.users["officer"]
    hidden = Actual.objects.get(project=world.hidden_project)
    with pytest.raises(PermissionDenied):
        services.actual_save(actor=officer, actual=hidden)
    with pytest.raises(PermissionDenied):
        services.actual_delete(actor=officer, actual=hidden)
    with pytest.raises(PermissionDenied):
        services.actual_save(
            actor=officer,
            actual=_actual(
                builders.period(indicator, 2026), world.hidden_project, value=Decimal(1)
            ),
        )
    with pytest.raises(PermissionDenied):
        services.indicator_delete(actor=officer, indicator=indicator)


def test_the_audit_trail_keeps_that_a_title_changed_not_what_it_says(world: World) -> None:
    outcome = Outcome.objects.create(program=world.program, title="Incomes")
    indicator = Indicator(outcome=outcome, title="Women in Izmir trained", measure=Measure.COUNT)
    services.indicator_save(actor=world.users["staff"], indicator=indicator)
    entry = LogEntry.objects.get_for_object(indicator).latest("timestamp")
    assert "Izmir" not in str(entry.changes)
    assert REDACTED in str(entry.changes)


def test_a_dimension_value_in_use_is_kept(world: World) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex])
    builders.actual(builders.period(indicator), world.alpha_project, 4, values=(d.women,))
    with pytest.raises(ValidationError):
        services.dimension_value_delete(actor=world.users["staff"], value=d.women)
    services.dimension_value_delete(actor=world.users["staff"], value=d.adults)


# --- The admin -----------------------------------------------------------------------------


def _actual_form(period: Period, project: object, **fields: object) -> dict[str, object]:
    return {
        "period": period.pk,
        "project": project.pk,  # type: ignore[attr-defined]
        "status": "approved",
        "value": "",
        "numerator": "",
        "denominator": "",
        **fields,
    }


def test_the_admin_shows_a_figure_that_does_not_fit_as_a_form_error(
    world: World, client_as: Callable[[str], Client]
) -> None:
    d = builders.dimensions()
    indicator = builders.world_framework(world)
    indicator.dimensions.set([d.sex])
    period = builders.period(indicator, 2026)
    client = client_as("admin")
    url = reverse("admin:results_actual_add")
    for fields in (
        {"value": "2.5"},
        {"value": "3", "values": [d.youth.pk]},
        {"value": "3", "values": [d.women.pk, d.men.pk]},
        {"numerator": "3", "denominator": "4"},
    ):
        response = client.post(url, _actual_form(period, world.alpha_project, **fields))
        assert response.status_code == 200, fields
        assert "errorlist" in response.content.decode()
    assert not Actual.objects.filter(period=period).exists()
    response = client.post(
        url, _actual_form(period, world.alpha_project, value="3", values=[d.women.pk])
    )
    assert response.status_code == 302
    saved = Actual.objects.get(period=period)
    assert saved.combination == str(d.women.pk)
    assert LogEntry.objects.get_for_object(saved).exists()
    duplicate = client.post(
        url, _actual_form(period, world.alpha_project, value="4", values=[d.women.pk])
    )
    assert duplicate.status_code == 200
    total = client.post(url, _actual_form(period, world.alpha_project, value="3"))
    assert total.status_code == 302
    assert Actual.objects.filter(period=period, combination=TOTAL).exists()


def test_the_admin_lists_show_officers_no_confidential_row(
    world: World, client_as: Callable[[str], Client]
) -> None:
    builders.world_framework(world)
    builders.indicator(world.program, project=world.hidden_project, title="Hidden's own measure")
    page = client_as("officer").get(reverse("admin:results_actual_changelist")).content.decode()
    assert page.count("Actual #") == 2
    indicators = (
        client_as("officer").get(reverse("admin:results_indicator_changelist")).content.decode()
    )
    assert (
        "Hidden&#x27;s own measure" not in indicators and "Hidden's own measure" not in indicators
    )


def test_only_its_own_project_reports_on_a_projects_own_indicator(world: World) -> None:
    own = builders.indicator(world.program, project=world.alpha_project)
    with pytest.raises(ValidationError):
        services.indicator_set_links(
            actor=world.users["staff"],
            indicator=own,
            dimensions=[],
            projects=[world.alpha_project, world.beta_project],
        )
    services.indicator_set_links(
        actor=world.users["staff"], indicator=own, dimensions=[], projects=[world.alpha_project]
    )


@pytest.mark.parametrize("model", ["outcome", "indicator", "period", "actual", "dimension"])
def test_the_admin_forms_open(world: World, client_as: Callable[[str], Client], model: str) -> None:
    indicator = builders.world_framework(world)
    builders.dimensions()
    client = client_as("admin")
    assert client.get(reverse(f"admin:results_{model}_add")).status_code == 200
    existing = {
        "outcome": indicator.outcome,
        "indicator": indicator,
        "period": builders.period(indicator),
        "actual": Actual.objects.first(),
        "dimension": indicator.dimensions.model.objects.first(),
    }[model]
    assert existing is not None
    url = reverse(f"admin:results_{model}_change", args=[existing.pk])
    assert client.get(url).status_code == 200


def test_the_admin_saves_an_outcome_with_its_indicators_through_the_services(
    world: World, client_as: Callable[[str], Client]
) -> None:
    form = {
        "program": world.program.pk,
        "title": "Stronger unions",
        "description": "",
        "ordering": 1,
        "indicators-TOTAL_FORMS": 2,
        "indicators-INITIAL_FORMS": 0,
        "indicators-MIN_NUM_FORMS": 0,
        "indicators-MAX_NUM_FORMS": 1000,
        "indicators-0-title": "Members recruited",
        "indicators-0-measure": "count",
        "indicators-0-direction": "increase",
        "indicators-0-ordering": 0,
        "indicators-1-title": "Dues collected",
        "indicators-1-measure": "currency",
        "indicators-1-currency": "",  # money without its currency: refused
        "indicators-1-direction": "increase",
        "indicators-1-ordering": 1,
    }
    client = client_as("staff")
    url = reverse("admin:results_outcome_add")
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert not Outcome.objects.exists()
    form["indicators-1-currency"] = "sek"
    assert client.post(url, form).status_code == 302
    outcome = Outcome.objects.get()
    assert sorted(outcome.indicators.values_list("currency", flat=True)) == ["", "SEK"]
    assert LogEntry.objects.get_for_object(outcome.indicators.first()).exists()
