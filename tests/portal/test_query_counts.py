"""Pinned query counts: a page's cost must not grow with the data behind it.

Every request by cleared staff starts with three queries: the session, the user and the
verified OTP device. Officers have no device, so theirs start with two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from conftest import World
from programs.models import Project
from progress.models import ChangeStory
from results.models import TOTAL, Outcome, Period, Report
from results.reports import services as report_services
from results.reports.services import EntryInput, FigureInput
from tests import factories
from tests.results import builders

STAFF_BASE = 3

# url name, object attribute, queries after the base three, and what they are.
PAGES = [
    (
        "dashboard",
        None,
        13,
        "partners, active projects, programmes by area, stories by status, "
        "this year's planned items, how often each was held, the year's activities (the "
        "unplanned ones and the participants); the kept totals per change type with their "
        "types, the figures' date, whether a refresh is pending; "
        "the person's agreed actions due, the person's risk reviews due, "
        "the results reports waiting for review",
    ),
    ("partner-list", None, 3, "country choices, count, page"),
    (
        "partner-detail",
        "alpha",
        10,
        "partner, projects, story counts, risks, self-assessment rounds, contacts, networks, "
        "latest dialogues, open actions, latest activities",
    ),
    ("partner-detail", "hidden", 11, "the same, plus the access-log row"),
    ("program-list", None, 1, "programmes with their project counts"),
    ("project-list", None, 4, "country choices, programme choices, count, page"),
    (
        "program-detail",
        "program",
        5,
        "programme, projects with partners, funders, networks, whether it has results",
    ),
    (
        "project-detail",
        "alpha_project",
        5,
        "project with partner and programme, activities, stories, risks, whether it has results",
    ),
    ("network-list", None, 1, "networks with member counts"),
    (
        "network-detail",
        "network",
        9,
        "network, partners, those unnamed, programmes, memberships, pooled giving and pledges, "
        "activity figures, stories",
    ),
]


def _grow(world: World) -> None:
    """Many more of everything the pages list."""
    for n in range(30):
        partner = factories.PartnerFactory.create(
            name=f"Extra partner {n}", country="KE", region="africa"
        )
        factories.ContactFactory.create(partner=partner)
        project = factories.ProjectFactory.create(program=world.program, partner=partner)
        factories.StoryFactory.create(partner=partner, project=project)
        factories.ActivityFactory.create(project=project)
        world.network.partners.add(partner)
        factories.ProgramFactory.create()
        factories.NetworkFactory.create()
    for _ in range(5):
        factories.ContactFactory.create(partner=world.alpha)
        factories.ActivityFactory.create(project=world.alpha_project)
        factories.MembershipFactory.create(network=world.network)
        factories.AgreedActionFactory.create(
            dialogue__partner=world.alpha,
            owner_is_partner=False,
            owner_user=world.users["staff"],
        )


@pytest.mark.parametrize(("name", "attr", "queries", "what"), PAGES)
def test_it_runs_a_constant_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    name: str,
    attr: str | None,
    queries: int,
    what: str,
) -> None:
    url = reverse(name, args=[getattr(world, attr).pk] if attr else [])
    client = client_as("staff")
    for grown in (False, True):
        if grown:
            _grow(world)
        with django_assert_num_queries(STAFF_BASE + queries):
            assert client.get(url).status_code == 200


def test_it_keeps_the_officer_dashboard_as_cheap_as_the_staff_one(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_as("officer")
    with django_assert_num_queries(2 + 13):
        client.get(reverse("dashboard"))


# The IATI check: programmes, their funders, projects with their partners, stories, their
# change types; indicators with their outcomes, contributing projects, periods, targets,
# approved actuals, dimension values.
IATI_CHECK_QUERIES = 11


def _results_framework(world: World, projects: list[Project], *, indicators: int) -> None:
    d = builders.dimensions()
    for number in range(indicators):
        indicator = builders.indicator(
            world.program, title=f"Indicator {number}", projects=projects
        )
        indicator.dimensions.set([d.sex])
        for year in (2025, 2026):
            period = builders.period(indicator, year)
            builders.target(period, 100)
            for project in projects:
                builders.actual(period, project, 10)
                builders.actual(period, project, 4, values=(d.women,))


def test_it_checks_the_iati_file_in_a_constant_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_as("staff")
    url = reverse("iati-check")
    # A story the file publishes, so that its change types are read.
    ChangeStory.objects.filter(pk=world.alpha_story.pk).update(consent_publish=True)
    _results_framework(world, [world.alpha_project, world.beta_project], indicators=1)
    with django_assert_num_queries(STAFF_BASE + IATI_CHECK_QUERIES):
        assert client.get(url).status_code == 200
    _grow(world)
    extra = list(Project.objects.filter(partner__name__startswith="Extra partner"))
    _results_framework(world, extra, indicators=30)
    with django_assert_num_queries(STAFF_BASE + IATI_CHECK_QUERIES):
        assert client.get(url).status_code == 200


def _reported(world: World, indicators: int) -> None:
    """Alpha's report of 2025 over this many more indicators, each broken down by sex, with
    figures, a comment, a cited story and a history of two steps."""
    d = builders.dimensions()
    outcome = Outcome.objects.create(program=world.program, title="More indicators")
    for number in range(indicators):
        indicator = builders.indicator(
            world.program,
            title=f"Indicator {number}",
            projects=[world.alpha_project],
            years=(2025,),
            outcome=outcome,
        )
        indicator.dimensions.set([d.sex])
    entries = [
        EntryInput(
            period,
            [
                FigureInput(TOTAL, value=Decimal(3)),
                FigureInput(str(d.women.pk), value=Decimal(2)),
                FigureInput(str(d.men.pk), value=Decimal(1)),
            ],
            comment="Counted at the door.",
            stories=[world.alpha_story],
        )
        for period in Period.objects.filter(
            indicator__projects=world.alpha_project, start__year=2025
        )
    ]
    report_services.report_save(
        actor=world.users["partner"],
        project=world.alpha_project,
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        entries=entries,
        submit=True,
    )


# After the login's: the project, the span's periods with their indicators, their dimensions,
# the report, its entries, their cited stories, their documents, its history, the figures, the
# dimension values; for staff, whether they may enter or review it (the projects they see).
REPORT_QUERIES = 11


@pytest.mark.parametrize(("role", "base"), [("staff", STAFF_BASE), ("partner", 2)])
def test_the_report_page_runs_a_constant_number_of_queries(
    world: World,
    client_as: Callable[[str], Client],
    django_assert_num_queries: DjangoAssertNumQueries,
    role: str,
    base: int,
) -> None:
    url = reverse("result-report", args=[world.alpha_project.pk, "2025"])
    client = client_as(role)
    # A partner's own users may enter their reports without a look at the projects staff see.
    expected = base + REPORT_QUERIES - (1 if role == "partner" else 0)
    _reported(world, 2)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    Report.objects.all().delete()
    _reported(world, 20)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
