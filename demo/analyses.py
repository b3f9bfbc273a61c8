"""The demo's regional analyses (``demo/data/analyses.toml``), written through the analyses
service after the stories, so that each links stories that exist and that its author may see."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date

from analyses import services
from analyses.models import RegionalAnalysis
from demo.data_files import DATA_DIR, DemoDataError
from demo.world import DemoWorld
from partners.regions import COUNTRY_REGION, Region
from progress.models import ChangeStory
from progress.selectors import visible_stories
from risks.models import Risk
from risks.selectors import visible_risks

FILE = "analyses.toml"
FIELDS = frozenset(
    {
        "title",
        "region",
        "period_start",
        "period_end",
        "written_on",
        "author",
        "shared_with_partners",
        "stories",
        "risks",
        "context",
        "patterns",
        "conclusions",
        "decisions",
        "figure",
    }
)


@dataclass(frozen=True)
class AnalysisSeed:
    title: str
    region: str
    period_start: date
    period_end: date
    written_on: date
    author: str
    shared_with_partners: bool
    stories: int
    risks: int
    context: str
    patterns: str
    conclusions: str
    decisions: str
    figures: tuple[tuple[str, str], ...]


def analysis_seeds() -> tuple[AnalysisSeed, ...]:
    try:
        with (DATA_DIR / FILE).open("rb") as file:
            entries = tomllib.load(file).get("analysis", [])
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"demo/data/{FILE}: {error}") from None
    seeds = []
    for number, entry in enumerate(entries, start=1):
        where = f"demo/data/{FILE}, analysis {number}"
        if unknown := set(entry) - FIELDS:
            raise DemoDataError(f"{where}: unknown keys {sorted(unknown)}")
        if entry.get("region") not in Region.values:
            raise DemoDataError(f"{where}: region must be one of {Region.values}")
        try:
            figures = tuple((f["label"], f["address"]) for f in entry.pop("figure", []))
            seeds.append(AnalysisSeed(**entry, figures=figures))
        except (KeyError, TypeError) as error:
            raise DemoDataError(f"{where}: {error}") from None
    return tuple(seeds)


def _stories(seed: AnalysisSeed, world: DemoWorld) -> list[ChangeStory]:
    """The region's most recent verified stories of the period that the author may see, of
    partners that are not confidential (a shared analysis must not draw on them)."""
    if seed.stories == 0:
        return []
    countries = [code for code, region in COUNTRY_REGION.items() if region == seed.region]
    return list(
        visible_stories(world.users[seed.author])
        .filter(
            status=ChangeStory.Status.VERIFIED,
            partner__country__in=countries,
            partner__is_confidential=False,
            event_date__range=(seed.period_start, seed.period_end),
        )
        .order_by("-event_date", "-id")[: seed.stories]
    )


def _risks(seed: AnalysisSeed, world: DemoWorld) -> list[Risk]:
    """The region's highest open risks the author may read, of partners that are not
    confidential."""
    countries = [code for code, region in COUNTRY_REGION.items() if region == seed.region]
    return list(
        visible_risks(world.users[seed.author])
        .filter(
            status=Risk.Status.OPEN,
            partner__country__in=countries,
            partner__is_confidential=False,
        )
        .order_by("-likelihood", "-impact", "pk")[: seed.risks]
    )


def seed_analyses(world: DemoWorld) -> None:
    """Each analysis once, found by its title: a second run changes nothing."""
    for seed in analysis_seeds():
        if RegionalAnalysis.objects.filter(title=seed.title).exists():
            continue
        author = world.users[seed.author]
        analysis = RegionalAnalysis(
            title=seed.title,
            region=seed.region,
            period_start=seed.period_start,
            period_end=seed.period_end,
            written_on=seed.written_on,
            shared_with_partners=seed.shared_with_partners,
            context=seed.context,
            patterns=seed.patterns,
            conclusions=seed.conclusions,
            decisions=seed.decisions,
        )
        services.analysis_save(
            actor=author,
            analysis=analysis,
            stories=_stories(seed, world),
            figures=seed.figures,
            risks=_risks(seed, world),
        )
