"""Deterministic, realistic demo data: ``python manage.py seed_demo [--stories N] [--seed S]``.

Everything here is invented for demonstrations and tests: organisations, people, places in
stories, amounts. Two properties matter more than the data itself:

- **Deterministic.** All randomness comes from ``random.Random`` seeded with ``--seed`` (one
  generator per section, one per story), and every date is relative to ``ANCHOR`` rather than
  today, so two runs with the same seed produce the same rows on any machine and database.
  (Only the automatic ``updated_at`` columns, and ``created_at`` of rows other than submitted
  stories, carry the time of the run.)
- **Idempotent.** Rows are looked up by their natural keys (partner name, programme title,
  username, ...) and stories by a reference derived from their position (``DEMO-000001``), so a
  second run updates in place and only inserts what is missing. ``--stories`` can be raised on
  a later run to add more stories without touching the existing ones.

Stories are inserted with ``bulk_create`` in batches, so ``--stories 1000000`` on PostgreSQL
takes minutes. ``bulk_create`` skips ``save()`` and signals by design: anything that must react
to new stories (report aggregates) is rebuilt with ``manage.py rebuild_reports``.
"""

from __future__ import annotations

import base64
import itertools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import reset_queries, transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import (
    PSEUDONYM_ALPHABET,
    PSEUDONYM_LENGTH,
    Contribution,
    MemberOrganisation,
    NetworkMembership,
    Partner,
    PartnerContact,
    SolidarityNetwork,
)
from partners.regions import Region, region_for_country
from portal.models import User
from programs.models import (
    Activity,
    ActivityFormat,
    ActivityKind,
    ActivityPlan,
    FocusArea,
    Funder,
    PlannedActivity,
    Program,
    Project,
)
from progress.models import ChangeStory, ChangeType, Storyteller, TargetGroup
from progress.models import StoryEvent as HistoryEvent
from reporting import aggregates

# --- Constants ----------------------------------------------------------------------------------

# "Today" for the demo world: fixed so that the data does not drift with the calendar.
ANCHOR = date(2026, 11, 1)
STORIES_FROM = date(2024, 1, 1)
DEFAULT_SEED = 2026
DEFAULT_STORIES = 300
# One batch is also one transaction: small enough to keep memory flat for a million stories,
# large enough that the per-statement overhead disappears.
BATCH_SIZE = 2000
STORY_REFERENCE_PREFIX = "DEMO-"

# Demo credentials, published in the README; never used outside demo data.
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105
DEMO_DEVICE_NAME = "Demo authenticator"
IATI_ORGANISATION = "SE-ON-802000-0000"

PROGRAM_START = date(2024, 1, 1)
PROGRAM_END = date(2027, 12, 31)

Status = ChangeStory.Status
Role = ChangeStory.SubmitterRole
Mode = ChangeStory.CollectionMode
Who = ChangeStory.WhoChanged
Level = ChangeStory.Contribution


# --- Data tables: organisations -----------------------------------------------------------------
# The tables are laid out by hand (``fmt: off``): one row per thing reads better than the
# formatter's one value per line.


@dataclass(frozen=True)
class ContactSeed:
    name: str
    position: str
    email: str


@dataclass(frozen=True)
class ProjectSeed:
    key: str  # used by the activity-plan tables below
    program: str
    title: str
    budget_sek: int
    description: str
    status: str = Project.Status.ACTIVE
    start: date | None = None  # default: the overlap of programme and partnership
    end: date | None = None


@dataclass(frozen=True)
class PartnerSeed:
    name: str
    kind: str
    country: str
    start: date | None
    website: str
    description: str
    localities: tuple[str, ...]
    contacts: tuple[ContactSeed, ...]
    projects: tuple[ProjectSeed, ...]
    status: str = Partner.Status.ACTIVE
    end: date | None = None
    is_confidential: bool = False
    # Relative share of the stories; 0 for a partner that has not started working with us.
    story_weight: int = 3


K = Partner.Kind
ACTIVE, COMPLETED, PLANNED = Project.Status.ACTIVE, Project.Status.COMPLETED, Project.Status.PLANNED

# fmt: off
PARTNERS: tuple[PartnerSeed, ...] = (
    PartnerSeed(
        "Frente de Mujeres Ixchel", K.WOMENS_ORGANISATION, "GT", date(2015, 3, 1),
        "https://frente-mujeres.example",
        "A federation of Maya women's groups in the western highlands. It prepares women to "
        "stand for community development councils and municipal office, and runs savings groups "
        "alongside the political work.",
        localities=("Quetzaltenango", "Totonicapán", "Sololá", "San Marcos"),
        contacts=(
            ContactSeed("Rosa Elena Tzul", "Coordinator", "rosa.tzul@frente-mujeres.example"),
            ContactSeed("Lucía Xiloj", "Programme officer", "lucia.xiloj@frente-mujeres.example"),
        ),
        projects=(
            ProjectSeed("gt-councils", "WY-01", "Women on community development councils",
                        1_450_000, "Candidate training and mentoring for women in local councils."),
            ProjectSeed("gt-school", "WY-02", "Politician school for young Maya women", 620_000,
                        "A one-year course in organising, public speaking and municipal budgets."),
        ),
        story_weight=6,
    ),
    PartnerSeed(
        "Asociación Q'eqchi' Raíces", K.CSO, "GT", date(2019, 9, 1),
        "https://raices-qeqchi.example",
        "Q'eqchi' communities in Alta Verapaz defending their land and water through community "
        "assemblies, legal claims and community radio.",
        localities=("Cobán", "San Pedro Carchá", "Chisec"),
        contacts=(ContactSeed("Marcos Caal Pop", "President", "junta@raices-qeqchi.example"),),
        projects=(
            ProjectSeed("gt-assemblies", "DEM-03", "Community assemblies for water and land",
                        540_000, "Assemblies documenting and defending communal water sources."),
        ),
    ),
    PartnerSeed(
        "Sindicato Agrario del Cauca", K.TRADE_UNION, "CO", date(2017, 5, 1),
        "https://sindicato-cauca.example",
        "A rural workers' union of smallholders and day labourers in Cauca, organising for fair "
        "prices, safe work and land titles.",
        localities=("Popayán", "Santander de Quilichao", "El Tambo"),
        contacts=(
            ContactSeed("Jhon Fredy Muñoz", "General secretary",
                        "secretaria@sindicato-cauca.example"),
            ContactSeed("Yolanda Ortiz Campo", "Women's secretary",
                        "mujeres@sindicato-cauca.example"),
        ),
        projects=(
            ProjectSeed("co-organising", "DEM-02",
                        "Organising day labourers in coffee and sugar cane", 980_000,
                        "Recruitment, estate committees and collective negotiation."),
            ProjectSeed("co-capacity", "CAP-01", "Union finance and membership systems", 310_000,
                        "A digital membership register and dues collection for all branches.",
                        status=COMPLETED, end=date(2025, 12, 31)),
        ),
        story_weight=4,
    ),
    PartnerSeed(
        "Movimiento Ciudadano Territorio y Paz", K.POLITICAL_PARTY, "CO", date(2020, 1, 15),
        "https://territorio-paz.example",
        "A young political movement rooted in municipalities covered by the peace agreement. "
        "Cooperation is paused while the movement reorganises after a leadership split.",
        status=Partner.Status.PAUSED,
        localities=("Quibdó", "Tumaco"),
        contacts=(
            ContactSeed("Andrea Valencia Riascos", "International secretary",
                        "andrea@territorio-paz.example"),
        ),
        projects=(
            ProjectSeed("co-party", "DEM-01", "Internal democracy and candidate selection",
                        450_000, "Statutes, membership registers and open candidate selection.",
                        status=COMPLETED, end=date(2026, 3, 31)),
        ),
        story_weight=1,
    ),
    PartnerSeed(
        "Juventudes por la Democracia", K.YOUTH_ORGANISATION, "BO", date(2018, 2, 1),
        "https://juventudes-democracia.example",
        "A national youth organisation with chapters in El Alto, Cochabamba and Sucre that runs "
        "debate clubs and trains first-time candidates.",
        localities=("El Alto", "Cochabamba", "Sucre"),
        contacts=(
            ContactSeed("Wilmer Choque Mamani", "Coordinator",
                        "coordinacion@juventudes-democracia.example"),
            ContactSeed("Daniela Quispe", "Training officer",
                        "formacion@juventudes-democracia.example"),
        ),
        projects=(
            ProjectSeed("bo-school", "WY-02", "Youth politician school", 870_000,
                        "Two cohorts a year of young people preparing for local office."),
            ProjectSeed("bo-municipal", "DEM-01", "Youth voice in municipal budgets", 430_000,
                        "Youth councils that follow and comment on municipal budgets."),
        ),
        story_weight=4,
    ),
    PartnerSeed(
        "Siyaphambili Women's Forum", K.WOMENS_ORGANISATION, "ZA", date(2014, 6, 1),
        "https://siyaphambili.example",
        "A women's organisation in KwaZulu-Natal and Gauteng that accompanies survivors of "
        "gender-based violence and presses police and municipalities to act.",
        localities=("Durban", "Pietermaritzburg", "Soweto", "Umlazi"),
        contacts=(
            ContactSeed("Nomvula Dlamini", "Director", "director@siyaphambili.example"),
            ContactSeed("Thandeka Mokoena", "Campaigns coordinator",
                        "campaigns@siyaphambili.example"),
        ),
        projects=(
            ProjectSeed("za-gbv", "WY-01", "Community action against gender-based violence",
                        1_200_000, "Volunteer networks, survivor support, police monitoring."),
            ProjectSeed("za-capacity", "CAP-01", "Strengthening branch leadership", 380_000,
                        "Leadership training and financial routines for the branches."),
        ),
        story_weight=5,
    ),
    PartnerSeed(
        "Simukai Workers' Alliance", K.TRADE_UNION, "ZW", date(2021, 4, 1),
        "https://simukai-workers.example",
        "An alliance of street vendors, cross-border traders and domestic workers. Several of "
        "its organisers have been detained; the cooperation is confidential.",
        is_confidential=True,
        localities=("Harare", "Bulawayo", "Mutare"),
        contacts=(ContactSeed("T. Moyo", "Organiser", "organiser@simukai-workers.example"),),
        projects=(
            ProjectSeed("zw-organising", "DEM-02", "Safe organising for informal workers", 690_000,
                        "Small-group organising, digital security, negotiation with councils."),
            ProjectSeed("zw-legal", "DEM-03", "Legal defence for detained organisers", 250_000,
                        "A retainer with lawyers and support to families of detained members."),
        ),
    ),
    PartnerSeed(
        "Domestic and Care Workers Union of Kenya", K.TRADE_UNION, "KE", date(2019, 1, 1),
        "https://dcwu-kenya.example",
        "Organises house workers, carers and cleaners in Nairobi and Mombasa and negotiates "
        "written contracts and minimum wages with employers.",
        localities=("Nairobi", "Mombasa", "Kisumu", "Nakuru"),
        contacts=(
            ContactSeed("Grace Wanjiru Kamau", "General secretary", "gs@dcwu-kenya.example"),
            ContactSeed("Otieno Ochieng", "Lead organiser", "organising@dcwu-kenya.example"),
        ),
        projects=(
            ProjectSeed("ke-contracts", "DEM-02", "Written contracts for domestic workers",
                        760_000, "Know-your-rights sessions and collective visits to employers."),
            ProjectSeed("ke-stewards", "WY-01", "Women shop stewards", 350_000,
                        "Training women members to represent colleagues in disputes."),
        ),
        story_weight=4,
    ),
    PartnerSeed(
        "Rural Women's Cooperatives Network", K.NETWORK, "PS", date(2016, 9, 1),
        "https://rural-coops.example",
        "A network of women's food and handicraft cooperatives in the West Bank that helps "
        "members reach buyers and speak up in village councils.",
        localities=("Hebron", "Nablus", "Jenin", "Jericho"),
        contacts=(ContactSeed("Samah Abu Ayyash", "Coordinator", "samah@rural-coops.example"),),
        projects=(
            ProjectSeed("ps-coops", "WY-01", "Women's cooperatives and village councils", 820_000,
                        "Marketing support and women's participation in local councils."),
            ProjectSeed("ps-capacity", "CAP-01", "Bookkeeping and governance for cooperatives",
                        260_000, "Treasurer training, audits and annual meetings."),
        ),
        story_weight=4,
    ),
    PartnerSeed(
        "Association for Democratic Participation", K.PARTY_AFFILIATED, "TR", date(2018, 3, 1),
        "https://katilim-dernegi.example",
        "A party-affiliated association training local councillors and youth branches, with "
        "offices in İzmir, Ankara and Diyarbakır.",
        localities=("İzmir", "Ankara", "Diyarbakır", "Mersin"),
        contacts=(
            ContactSeed("Elif Aydın", "Programme manager", "elif@katilim-dernegi.example"),
            ContactSeed("Murat Demir", "Youth coordinator", "genclik@katilim-dernegi.example"),
        ),
        projects=(
            ProjectSeed("tr-councillors", "DEM-01", "Training for local councillors", 640_000,
                        "Budget scrutiny, public hearings and constituency work."),
            ProjectSeed("tr-youth", "WY-02", "Youth branch academies", 410_000,
                        "Weekend academies for members of the youth branches."),
        ),
    ),
    PartnerSeed(
        "Dalit Women's Rights Forum", K.WOMENS_ORGANISATION, "NP", date(2017, 7, 1),
        "https://dalit-women-forum.example",
        "Dalit women's groups in the Terai and the far west claiming seats in ward committees "
        "and fair access to public services.",
        localities=("Nepalgunj", "Dhangadhi", "Janakpur", "Birendranagar"),
        contacts=(
            ContactSeed("Sita Bishwakarma", "Chair", "chair@dalit-women-forum.example"),
            ContactSeed("Kamala Pariyar", "Field coordinator", "field@dalit-women-forum.example"),
        ),
        projects=(
            ProjectSeed("np-wards", "WY-01", "Dalit women in ward committees", 720_000,
                        "Preparing women's groups to take part in ward planning and budgets."),
            ProjectSeed("np-mapping", "CAP-01", "Member mapping and organisational plan", 150_000,
                        "A survey of member groups and a three-year organisational plan.",
                        status=COMPLETED, end=date(2024, 12, 31)),
        ),
        story_weight=4,
    ),
    PartnerSeed(
        "Jan Adhikar Manch", K.CSO, "IN", date(2016, 1, 1),
        "https://jan-adhikar.example",
        "A people's rights platform of village committees in Jharkhand and Odisha working on "
        "forest rights, rural employment and school meals.",
        localities=("Ranchi", "Dumka", "Koraput", "Gumla"),
        contacts=(
            ContactSeed("Ramesh Oraon", "Secretary", "secretary@jan-adhikar.example"),
            ContactSeed("Sunita Murmu", "Field coordinator", "sunita@jan-adhikar.example"),
        ),
        projects=(
            ProjectSeed("in-forest", "DEM-03", "Forest rights claims by village assemblies",
                        900_000, "Mapping, documentation and follow-up of community claims."),
            ProjectSeed("in-work", "DEM-02", "Rural employment guarantee monitoring", 480_000,
                        "Village committees checking work days, wages and payment delays."),
        ),
        story_weight=4,
    ),
    PartnerSeed(
        "Alliance for Social Dignity", K.POLITICAL_PARTY, "MD", date(2019, 5, 1),
        "https://demnitate-sociala.example",
        "A small centre-left party that worked on internal democracy and women's candidacies in "
        "local elections. The cooperation ended in June 2025 when the Sida funding for the "
        "programme was cut.",
        status=Partner.Status.ENDED, end=date(2025, 6, 30),
        localities=("Chișinău", "Bălți", "Cahul"),
        contacts=(
            ContactSeed("Natalia Rusu", "International secretary",
                        "intl@demnitate-sociala.example"),
        ),
        projects=(
            ProjectSeed("md-party", "DEM-01", "Internal democracy and women candidates", 560_000,
                        "Membership registers, open nominations, mentoring of women candidates.",
                        status=COMPLETED),
        ),
        story_weight=2,
    ),
    PartnerSeed(
        "Women's Enterprise Circles", K.CSO, "UA", date(2022, 9, 1),
        "https://enterprise-circles.example",
        "Savings and enterprise circles for women displaced by the war, helping members restart "
        "small businesses and support each other.",
        localities=("Chernivtsi", "Vinnytsia", "Zaporizhzhia", "Uzhhorod"),
        contacts=(
            ContactSeed("Oksana Kovalenko", "Director", "director@enterprise-circles.example"),
            ContactSeed("Iryna Bondar", "Circle facilitator", "iryna@enterprise-circles.example"),
        ),
        projects=(
            ProjectSeed("ua-circles", "WY-01", "Savings circles for displaced women", 740_000,
                        "Start-up grants, savings circles and business mentoring."),
        ),
        story_weight=4,
    ),
    PartnerSeed(
        "Kolektiv Duga", K.CSO, "BA", date(2020, 6, 1),
        "https://kolektiv-duga.example",
        "An LGBTI collective in Sarajevo and Tuzla offering peer support, legal counselling and "
        "quiet advocacy with local institutions. Being publicly linked to foreign support could "
        "put its members at risk; the cooperation is confidential.",
        is_confidential=True,
        localities=("Sarajevo", "Tuzla", "Mostar"),
        contacts=(ContactSeed("Amra H.", "Coordinator", "coordinator@kolektiv-duga.example"),),
        projects=(
            ProjectSeed("ba-support", "DEM-03", "Peer support and legal counselling", 480_000,
                        "Support groups, a legal helpline and documentation of incidents."),
            ProjectSeed("ba-capacity", "CAP-01", "Safe organisational practices", 160_000,
                        "Digital security, safe meeting routines and board training."),
        ),
    ),
    PartnerSeed(
        "Bagong Sibol Young Workers Network", K.NETWORK, "PH", None,
        "https://bagong-sibol.example",
        "A network of young call-centre and factory workers in Metro Manila and Cebu. A first "
        "cooperation on leadership training is being prepared.",
        status=Partner.Status.PROSPECTIVE,
        localities=("Quezon City", "Cebu City"),
        contacts=(ContactSeed("Jomar dela Cruz", "Convenor", "convenor@bagong-sibol.example"),),
        projects=(
            ProjectSeed("ph-pilot", "WY-02", "Pilot: young workers' leadership course", 200_000,
                        "A first course for young workplace representatives.",
                        status=PLANNED, start=date(2027, 1, 1)),
        ),
        story_weight=0,
    ),
)
# fmt: on

# Invented storytellers per country. Confidential partners' storytellers go by first name only.
STORYTELLERS: dict[str, tuple[str, ...]] = {
    "GT": ("María Ixcot", "Juana Tum", "Pedro Cux", "Ana Lucía Chavajay"),
    "CO": ("Luz Dary Ramos", "Edwin Guetio", "Marleny Ipia"),
    "BO": ("Rosmery Condori", "Freddy Huanca", "Gladys Mamani"),
    "ZA": ("Zanele Ngcobo", "Lindiwe Khumalo", "Sipho Zulu"),
    "ZW": ("Rutendo", "Tendai", "Chipo"),
    "KE": ("Akinyi Odhiambo", "Mercy Njeri", "Fatuma Ali"),
    "PS": ("Huda Jaber", "Amal Qawasmi", "Rana Shalabi"),
    "TR": ("Zeynep Kaya", "Deniz Arslan", "Hatice Yıldız"),
    "NP": ("Sarita Nepali", "Laxmi B.K.", "Anita Sarki"),
    "IN": ("Phulmani Hansda", "Birsa Tudu", "Sumitra Oraon"),
    "MD": ("Ana Ceban", "Ion Popa"),
    "UA": ("Halyna Melnyk", "Svitlana Tkachenko", "Olena Shevchuk"),
    "BA": ("Lejla", "Dino", "Maja"),
}

# --- Data tables: funders, programmes, users -----------------------------------------------------


@dataclass(frozen=True)
class FunderSeed:
    name: str
    kind: str
    iati_ref: str = ""


FUNDERS: tuple[FunderSeed, ...] = (
    FunderSeed("Sida", Funder.Kind.SIDA, "SE-0"),
    FunderSeed("Own funds", Funder.Kind.OWN_FUNDS),
    FunderSeed("Solidarity networks", Funder.Kind.NETWORK),
)


@dataclass(frozen=True)
class ProgramSeed:
    code: str  # the tail of the IATI identifier, and how the other tables refer to it
    title: str
    focus_area: str
    budget_sek: int
    dac_sector_codes: tuple[str, ...]
    funders: tuple[str, ...]
    responsible: str  # username
    description: str


DEM, WY, CAP = FocusArea.DEMOCRACY, FocusArea.WOMEN_YOUTH, FocusArea.CAPACITY

# fmt: off
PROGRAMS: tuple[ProgramSeed, ...] = (
    ProgramSeed("DEM-01", "Stronger democratic parties", DEM, 9_600_000, ("15150", "15151"),
                ("Sida", "Own funds"), "staff",
                "Party-to-party cooperation on internal democracy, open candidate selection and "
                "membership organisation."),
    ProgramSeed("DEM-02", "Workers' rights and free trade unions", DEM, 7_800_000,
                ("16020", "15150"), ("Sida", "Solidarity networks"), "officer",
                "Organising informal and rural workers, collective bargaining, safe union work."),
    ProgramSeed("DEM-03", "Civic space and human rights defenders", DEM, 5_200_000,
                ("15160", "15150"), ("Sida",), "staff",
                "Communities and activists claiming rights where civic space is shrinking."),
    ProgramSeed("WY-01", "Women organising for power and livelihoods", WY, 11_400_000,
                ("15170", "15150"), ("Sida", "Solidarity networks"), "officer",
                "Women's organisations taking seats in local decision-making and building their "
                "own economic base."),
    ProgramSeed("WY-02", "Young leaders and politician schools", WY, 6_300_000,
                ("15151", "15150"), ("Sida",), "staff",
                "Politician schools and youth academies preparing young people for office."),
    ProgramSeed("CAP-01", "Partner organisational strengthening", CAP, 4_100_000, ("15150",),
                ("Sida", "Own funds"), "officer",
                "Finances, governance, membership systems and safe working methods of partners."),
    ProgramSeed("CAP-02", "Solidarity networks and member engagement", CAP, 1_900_000,
                ("15150", "99820"), ("Own funds", "Solidarity networks"), "staff",
                "Study circles, exchanges and campaigns connecting Swedish member organisations "
                "with partners."),
)
# fmt: on


@dataclass(frozen=True)
class UserSeed:
    username: str
    first_name: str
    last_name: str
    role: str
    label: str  # for the summary printed at the end
    is_superuser: bool = False
    is_staff: bool = False
    is_cleared: bool = False
    partner: str | None = None
    member_organisation: str | None = None
    totp: bool = False


STAFF, PARTNER, MEMBER = User.Role.STAFF, User.Role.PARTNER, User.Role.MEMBER

# fmt: off
USERS: tuple[UserSeed, ...] = (
    UserSeed("admin", "Ingrid", "Holm", STAFF, "administrator (superuser, TOTP)",
             is_superuser=True, is_staff=True, is_cleared=True, totp=True),
    UserSeed("staff", "Karin", "Berglund", STAFF, "cleared staff (TOTP)",
             is_staff=True, is_cleared=True, totp=True),
    UserSeed("officer", "Jonas", "Ekström", STAFF, "programme officer, not cleared",
             is_staff=True),
    UserSeed("partner", "Rosa Elena", "Tzul", PARTNER, "partner user (Guatemala)",
             partner="Frente de Mujeres Ixchel"),
    UserSeed("partner2", "Nomvula", "Dlamini", PARTNER, "partner user (South Africa)",
             partner="Siyaphambili Women's Forum"),
    UserSeed("secret", "Amra", "Hadžić", PARTNER, "user of a confidential partner",
             partner="Kolektiv Duga"),
    UserSeed("member", "Lena", "Sandberg", MEMBER, "network member (two networks)",
             member_organisation="Vårdfacket avd. Mälardalen"),
)
# fmt: on

# --- Data tables: Swedish member organisations, networks, contributions -----------------------

MO = MemberOrganisation.Kind


@dataclass(frozen=True)
class MemberSeed:
    name: str
    kind: str
    org_number: str
    municipality: str
    website: str = ""


# fmt: off
MEMBER_ORGANISATIONS: tuple[MemberSeed, ...] = (
    MemberSeed("Verkstadsklubben Norrbruk", MO.UNION_CLUB, "802431-5527", "Luleå"),
    MemberSeed("Vårdfacket avd. Mälardalen", MO.LOCAL_BRANCH, "802017-3341", "Västerås",
               "https://vardfacket-malardalen.example"),
    MemberSeed("Lokalvårdarnas Riksförbund", MO.FEDERATION, "802003-9915", "Stockholm",
               "https://lokalvardarna.example"),
    MemberSeed("Jämlikhetspartiet, Dalarnas distrikt", MO.PARTY_DISTRICT, "802466-1208", "Falun",
               "https://dalarna.jamlikhetspartiet.example"),
    MemberSeed("Hamnarbetarklubben Norrköping", MO.UNION_CLUB, "802512-7730", "Norrköping"),
    MemberSeed("Kvinnoföreningen Vallmon", MO.ASSOCIATION, "802478-0064", "Malmö",
               "https://vallmon.example"),
    MemberSeed("Studiecirkelföreningen Kompassen", MO.ASSOCIATION, "802391-4452", "Örebro"),
    MemberSeed("Logistikfacket avd. 7 Västkusten", MO.LOCAL_BRANCH, "802150-2286", "Göteborg",
               "https://logistikfacket7.example"),
    MemberSeed("Lärarklubben Björkskolan", MO.UNION_CLUB, "802533-6019", "Umeå"),
)
# fmt: on
SWEDISH_PLACES = ("Stockholm", "Falun", "Västerås", "Malmö", "Göteborg", "Umeå", "Örebro")


@dataclass(frozen=True)
class NetworkSeed:
    name: str
    theme: str
    description: str
    countries: tuple[str, ...]
    partners: tuple[str, ...]  # never confidential ones: members see their networks' partners
    programs: tuple[str, ...]
    members: tuple[tuple[str, date], ...]  # (member organisation, joined on)


# fmt: off
NETWORKS: tuple[NetworkSeed, ...] = (
    NetworkSeed(
        "Latin America network", "Indigenous, rural and youth organising in Latin America",
        "Member organisations following partners in Guatemala, Colombia and Bolivia, with a "
        "yearly study trip and a Christmas collection.",
        countries=("GT", "CO", "BO"),
        partners=("Frente de Mujeres Ixchel", "Asociación Q'eqchi' Raíces",
                  "Sindicato Agrario del Cauca", "Movimiento Ciudadano Territorio y Paz",
                  "Juventudes por la Democracia"),
        programs=("DEM-01", "DEM-02", "WY-02"),
        members=(("Verkstadsklubben Norrbruk", date(2019, 3, 1)),
                 ("Studiecirkelföreningen Kompassen", date(2021, 9, 15)),
                 ("Jämlikhetspartiet, Dalarnas distrikt", date(2022, 1, 20)),
                 ("Logistikfacket avd. 7 Västkusten", date(2024, 5, 1))),
    ),
    NetworkSeed(
        "Southern and East Africa network", "Domestic and care workers' rights",
        "Unions of care and cleaning workers in Sweden working with their counterparts in "
        "South Africa and Kenya.",
        countries=("ZA", "KE"),
        partners=("Siyaphambili Women's Forum", "Domestic and Care Workers Union of Kenya"),
        programs=("DEM-02", "WY-01"),
        members=(("Lokalvårdarnas Riksförbund", date(2018, 6, 1)),
                 ("Vårdfacket avd. Mälardalen", date(2020, 2, 10)),
                 ("Hamnarbetarklubben Norrköping", date(2023, 4, 1)),
                 ("Verkstadsklubben Norrbruk", date(2024, 10, 1))),
    ),
    NetworkSeed(
        "Women organising", "Women's political and economic organising",
        "A thematic network linking Swedish women's associations and union sections with "
        "women's organisations on four continents.",
        countries=("GT", "ZA", "NP", "PS", "UA"),
        partners=("Frente de Mujeres Ixchel", "Siyaphambili Women's Forum",
                  "Dalit Women's Rights Forum", "Rural Women's Cooperatives Network",
                  "Women's Enterprise Circles"),
        programs=("WY-01", "CAP-02"),
        members=(("Kvinnoföreningen Vallmon", date(2020, 3, 8)),
                 ("Vårdfacket avd. Mälardalen", date(2022, 11, 25)),
                 ("Lärarklubben Björkskolan", date(2024, 3, 8)),
                 ("Studiecirkelföreningen Kompassen", date(2025, 1, 15))),
    ),
)
# fmt: on

C = Contribution.Kind
LATAM_NET, AFRICA_NET, WOMEN_NET = (
    "Latin America network",
    "Southern and East Africa network",
    "Women organising",
)


@dataclass(frozen=True)
class ContributionSeed:
    kind: str
    on: date
    member: str | None = None  # a member organisation, or ...
    donor: str = ""  # ... an individual; never both (a model constraint)
    amount_sek: int | None = None
    hours: str | None = None
    network: str | None = None
    program: str | None = None
    note: str = ""


# fmt: off
CONTRIBUTIONS: tuple[ContributionSeed, ...] = (
    ContributionSeed(C.ORGANISATIONAL, date(2025, 3, 15), member="Lokalvårdarnas Riksförbund",
                     amount_sek=150_000, network=AFRICA_NET, note="Decided by the congress"),
    ContributionSeed(C.ORGANISATIONAL, date(2026, 3, 12), member="Lokalvårdarnas Riksförbund",
                     amount_sek=200_000, network=AFRICA_NET, note="Raised after the Sida cut"),
    ContributionSeed(C.ORGANISATIONAL, date(2026, 2, 1),
                     member="Jämlikhetspartiet, Dalarnas distrikt", amount_sek=40_000,
                     program="DEM-01"),
    ContributionSeed(C.WORKPLACE_COLLECTION, date(2025, 12, 10), member="Verkstadsklubben Norrbruk",
                     amount_sek=18_450, network=LATAM_NET,
                     note="Christmas collection in the works canteen"),
    ContributionSeed(C.WORKPLACE_COLLECTION, date(2026, 5, 1),
                     member="Hamnarbetarklubben Norrköping", amount_sek=9_870, network=AFRICA_NET,
                     note="May Day collection"),
    ContributionSeed(C.WORKPLACE_COLLECTION, date(2026, 3, 8), member="Lärarklubben Björkskolan",
                     amount_sek=6_300, network=WOMEN_NET, note="International Women's Day"),
    ContributionSeed(C.ONE_OFF_GIFT, date(2025, 6, 20), donor="Birgitta Nyström",
                     amount_sek=5_000, network=LATAM_NET),
    ContributionSeed(C.ONE_OFF_GIFT, date(2026, 9, 1), donor="Per-Olof Sjöberg",
                     amount_sek=2_500, program="WY-01"),
    ContributionSeed(C.ONE_OFF_GIFT, date(2025, 11, 25), member="Kvinnoföreningen Vallmon",
                     amount_sek=12_000, network=WOMEN_NET,
                     note="Collected on the day against violence against women"),
    ContributionSeed(C.EXPERTISE_HOURS, date(2025, 10, 15), member="Vårdfacket avd. Mälardalen",
                     hours="36.0", program="CAP-01",
                     note="Bargaining workshop with the Kenyan union"),
    ContributionSeed(C.EXPERTISE_HOURS, date(2026, 4, 20),
                     member="Logistikfacket avd. 7 Västkusten", hours="24.5", program="DEM-02",
                     note="Occupational safety advice for the Cauca union"),
    ContributionSeed(C.EXPERTISE_HOURS, date(2026, 6, 10), donor="Maja Lindqvist",
                     hours="40.0", program="CAP-01",
                     note="Bookkeeping mentoring for cooperatives"),
    ContributionSeed(C.STUDY_CIRCLE, date(2025, 2, 20),
                     member="Studiecirkelföreningen Kompassen", hours="18.0", amount_sek=1_200,
                     network=LATAM_NET,
                     note="Circle on Guatemala; collection at the last session"),
    ContributionSeed(C.STUDY_CIRCLE, date(2026, 10, 5),
                     member="Studiecirkelföreningen Kompassen", hours="15.0", network=WOMEN_NET),
    ContributionSeed(C.STUDY_CIRCLE, date(2026, 1, 28), member="Verkstadsklubben Norrbruk",
                     hours="12.0", network=AFRICA_NET),
)
# fmt: on


@dataclass(frozen=True)
class PledgeSeed:
    """A monthly pledge, paid on the 25th (Swedish payday) from ``first`` until the anchor."""

    amount_sek: int
    first: date
    donor: str = ""
    member: str | None = None
    network: str | None = None
    program: str | None = None


# fmt: off
MONTHLY_PLEDGES: tuple[PledgeSeed, ...] = (
    PledgeSeed(200, date(2025, 1, 25), donor="Annika Forsberg", network=LATAM_NET),
    PledgeSeed(150, date(2025, 4, 25), donor="Sofia Håkansson", network=WOMEN_NET),
    PledgeSeed(300, date(2025, 9, 25), donor="Lars-Göran Eklund", program="DEM-02"),
    PledgeSeed(500, date(2026, 1, 25), member="Vårdfacket avd. Mälardalen", network=AFRICA_NET),
)
# fmt: on

# --- Data tables: activity plans ----------------------------------------------------------------

A = ActivityKind
IN_PERSON, DIGITAL = ActivityFormat.IN_PERSON, ActivityFormat.DIGITAL


@dataclass(frozen=True)
class PlannedSeed:
    kind: str
    title: str
    target: int
    format: str
    quarter: int | None  # None: any time during the year
    project: str | None = None  # a ProjectSeed key


@dataclass(frozen=True)
class PlanSeed:
    year: int
    owner_unit: str
    items: tuple[PlannedSeed, ...]
    program: str | None = None

    @property
    def title(self) -> str:
        return f"Activity plan {self.year}"


LATAM_TEAM, AFRICA_TEAM = "Latin America team", "Africa and Middle East team"
MEMBERSHIP_UNIT = "Membership and networks unit"

# fmt: off
PLANS: tuple[PlanSeed, ...] = (
    PlanSeed(2025, LATAM_TEAM, (
        PlannedSeed(A.TRAINING, "Training for women council candidates", 2, IN_PERSON, 2,
                    "gt-councils"),
        PlannedSeed(A.POLITICIAN_SCHOOL, "Youth politician school, first cohort", 1, IN_PERSON, 3,
                    "bo-school"),
        PlannedSeed(A.EXCHANGE, "Exchange visit Cauca - Alta Verapaz on land rights", 1,
                    IN_PERSON, 3, "co-organising"),
        PlannedSeed(A.MEETING, "Partner dialogue meeting", 4, DIGITAL, None),
        PlannedSeed(A.SURVEY, "Mapping of union membership in Cauca", 1, DIGITAL, 1,
                    "co-capacity"),
    )),
    PlanSeed(2026, LATAM_TEAM, (
        PlannedSeed(A.TRAINING, "Training for women council candidates", 2, IN_PERSON, 1,
                    "gt-councils"),
        PlannedSeed(A.TRAINING, "Digital security training for partners", 1, DIGITAL, 2),
        PlannedSeed(A.POLITICIAN_SCHOOL, "Youth politician school, second cohort", 1, IN_PERSON, 2,
                    "bo-school"),
        PlannedSeed(A.CAMPAIGN, "Campaign: water is a right", 1, IN_PERSON, 3, "gt-assemblies"),
        PlannedSeed(A.MEETING, "Partner dialogue meeting", 4, DIGITAL, None),
        PlannedSeed(A.SURVEY, "Annual partner risk assessment", 1, DIGITAL, 4),
    )),
    PlanSeed(2025, AFRICA_TEAM, (
        PlannedSeed(A.TRAINING, "Shop steward training for domestic workers", 2, IN_PERSON, 2,
                    "ke-contracts"),
        PlannedSeed(A.CAMPAIGN, "16 days of activism against gender-based violence", 1,
                    IN_PERSON, 4, "za-gbv"),
        PlannedSeed(A.POLITICIAN_SCHOOL, "Politician school for local councillors", 1, IN_PERSON,
                    3, "tr-councillors"),
        PlannedSeed(A.SURVEY, "Baseline survey of cooperative members", 1, DIGITAL, 1,
                    "ps-capacity"),
    )),
    PlanSeed(2026, AFRICA_TEAM, (
        PlannedSeed(A.TRAINING, "Shop steward training for domestic workers", 2, IN_PERSON, 1,
                    "ke-contracts"),
        PlannedSeed(A.CAMPAIGN, "16 days of activism against gender-based violence", 1,
                    IN_PERSON, 4, "za-gbv"),
        PlannedSeed(A.EXCHANGE, "Digital exchange between women's cooperatives", 1, DIGITAL, 2,
                    "ps-coops"),
        # Linked to a confidential project on purpose: plan follow-up must hide it from officers.
        PlannedSeed(A.TRAINING, "Safe organising training", 1, IN_PERSON, 2, "zw-organising"),
        PlannedSeed(A.MEETING, "Partner dialogue meeting", 3, DIGITAL, None),
    )),
    PlanSeed(2026, MEMBERSHIP_UNIT, (
        PlannedSeed(A.TRAINING, "Feminist leadership training for network members", 2, IN_PERSON,
                    1),
        PlannedSeed(A.MEETING, "Feminist leadership follow-up meeting", 1, DIGITAL, 3),
        PlannedSeed(A.STUDY_CIRCLE, "Study circle: the world of work in Kenya", 3, IN_PERSON, None),
        PlannedSeed(A.CAMPAIGN, "May Day collection drive", 1, IN_PERSON, 2),
        PlannedSeed(A.MEETING, "Chairs' meeting of the solidarity networks", 2, DIGITAL, None),
        PlannedSeed(A.SURVEY, "Survey of member organisations' engagement", 1, DIGITAL, 1),
        PlannedSeed(A.EXCHANGE, "Exchange visit: Swedish care workers in Nairobi", 1, IN_PERSON, 3,
                    "ke-contracts"),
    ), program="CAP-02"),
)
# fmt: on


@dataclass(frozen=True)
class UnplannedSeed:
    """Something held although no plan asked for it: follow-up must show these too."""

    kind: str
    title: str
    on: date
    format: str
    project: str | None


# fmt: off
UNPLANNED_ACTIVITIES: tuple[UnplannedSeed, ...] = (
    UnplannedSeed(A.MEETING, "Emergency meeting after the detentions", date(2025, 8, 14),
                  DIGITAL, "zw-legal"),
    UnplannedSeed(A.EXCHANGE, "Solidarity visit to the peer support groups", date(2026, 5, 19),
                  IN_PERSON, "ba-support"),
    UnplannedSeed(A.MEETING, "Preparing for the ward budget hearing", date(2026, 2, 10),
                  IN_PERSON, "np-wards"),
    UnplannedSeed(A.CAMPAIGN, "Petition for market stalls", date(2025, 10, 3), IN_PERSON,
                  "ke-contracts"),
)
# fmt: on

# --- Data tables: stories -----------------------------------------------------------------------


@dataclass(frozen=True)
class StoryEvent:
    """One kind of event, told in each of the portal's three languages.

    ``change_types[0]`` is always ticked, the others sometimes: storytellers rarely agree on a
    single box. Texts may use ``{place}`` (a town) and ``{number}`` (12-60).
    """

    change_types: tuple[str, ...]
    who_changed: str
    target_groups: tuple[str, ...]
    tags: frozenset[str]
    en: tuple[str, str]
    sv: tuple[str, str]
    es: tuple[str, str]
    direction: str = ChangeStory.Direction.POSITIVE
    # Partner kinds the event makes sense for (a party congress, a cooperative); empty: all.
    kinds: frozenset[str] = frozenset()

    def text(self, language: str) -> tuple[str, str]:
        return {"en": self.en, "sv": self.sv, "es": self.es}[language]


def _tags(*names: str) -> frozenset[str]:
    return frozenset(names)


PARTIES = frozenset({K.POLITICAL_PARTY, K.PARTY_AFFILIATED})
POLITICAL = PARTIES | {K.YOUTH_ORGANISATION, K.WOMENS_ORGANISATION}
COOPERATIVES = frozenset({K.NETWORK, K.WOMENS_ORGANISATION, K.CSO})
UNIONS_AND_GROUPS = COOPERATIVES | {K.TRADE_UNION}

EVENTS: tuple[StoryEvent, ...] = (
    StoryEvent(
        ("participation-decision-making", "collective-action"),
        Who.GROUP,
        ("women",),
        _tags("women", "participation", "collective"),
        en=(
            "Women's group wins seats on the water committee",
            "At the village assembly in {place} the women's group put forward two candidates "
            "for the water committee, and both were elected. Within a month the committee had "
            "the broken pipe to the upper houses repaired, something the women had asked for "
            "since the rains.",
        ),
        sv=(
            "Kvinnogruppen fick platser i vattenkommittén",
            "På bystämman i {place} föreslog kvinnogruppen två kandidater till "
            "vattenkommittén och båda blev valda. Inom en månad hade kommittén lagat det "
            "trasiga röret till husen längst upp, något kvinnorna krävt sedan regnperioden.",
        ),
        es=(
            "El grupo de mujeres gana puestos en el comité de agua",
            "En la asamblea comunitaria de {place} el grupo de mujeres presentó dos candidatas "
            "al comité de agua y las dos fueron electas. En menos de un mes el comité reparó la "
            "tubería rota de las casas de arriba, algo que las mujeres pedían desde las lluvias.",
        ),
    ),
    StoryEvent(
        ("collective-action", "economic-self-reliance"),
        Who.GROUP,
        ("other-marginalised",),
        _tags("collective", "economic"),
        kinds=UNIONS_AND_GROUPS,
        en=(
            "Vendors negotiate covered stalls at the market",
            "After weeks of meetings, the vendors' committee in {place} reached an agreement "
            "with the municipality: {number} covered stalls near the bus stop and an end to the "
            "confiscation of goods. Members can now leave their stock overnight without paying "
            "bribes.",
        ),
        sv=(
            "Gatuförsäljare förhandlade fram tak över marknadsstånden",
            "Efter flera veckors möten kom försäljarnas kommitté i {place} överens med kommunen: "
            "{number} stånd med tak vid busshållplatsen och inga fler beslag av varor. "
            "Medlemmarna kan nu lämna varorna över natten utan att betala mutor.",
        ),
        es=(
            "Vendedores negocian puestos techados en el mercado",
            "Tras semanas de reuniones, el comité de vendedores de {place} llegó a un acuerdo con "
            "la municipalidad: {number} puestos techados junto a la parada de buses y el fin de "
            "los decomisos. Ahora pueden dejar su mercancía por la noche sin pagar sobornos.",
        ),
    ),
    StoryEvent(
        ("economic-self-reliance",),
        Who.INDIVIDUAL,
        ("women",),
        _tags("women", "economic"),
        kinds=UNIONS_AND_GROUPS,
        en=(
            "A loan from the savings circle becomes a tailoring workshop",
            "With a loan from her savings circle, a member in {place} bought a second-hand "
            "sewing machine and started taking orders for school uniforms. She now earns enough "
            "to pay the rent and has taken on a neighbour as an apprentice.",
        ),
        sv=(
            "Ett lån från spargruppen blev en syverkstad",
            "Med ett lån från sin spargrupp köpte en medlem i {place} en begagnad symaskin och "
            "började ta emot beställningar på skoluniformer. Nu tjänar hon tillräckligt för att "
            "betala hyran och har tagit in en granne som lärling.",
        ),
        es=(
            "Un préstamo del grupo de ahorro se convierte en taller de costura",
            "Con un préstamo de su grupo de ahorro, una socia de {place} compró una máquina de "
            "coser usada y empezó a recibir pedidos de uniformes escolares. Ahora gana lo "
            "suficiente para pagar el alquiler y tomó a una vecina como aprendiz.",
        ),
    ),
    StoryEvent(
        ("participation-decision-making",),
        Who.INDIVIDUAL,
        ("women", "youth"),
        _tags("women", "youth", "participation"),
        kinds=POLITICAL,
        en=(
            "Former politician-school student elected to the council",
            "A 26-year-old woman who attended last year's politician school was elected to the "
            "municipal council in {place}. At her first session she proposed a budget line for "
            "young people and won the support of two other parties.",
        ),
        sv=(
            "Tidigare elev på politikerskolan invald i fullmäktige",
            "En 26-årig kvinna som gick politikerskolan förra året valdes in i "
            "kommunfullmäktige i {place}. Redan på första sammanträdet föreslog hon en egen "
            "budgetpost för unga och fick stöd av två andra partier.",
        ),
        es=(
            "Exalumna de la escuela de política electa concejal",
            "Una mujer de 26 años que participó en la escuela de formación política del año "
            "pasado fue electa al concejo municipal de {place}. En su primera sesión propuso una "
            "partida para la juventud y obtuvo el apoyo de otros dos partidos.",
        ),
    ),
    StoryEvent(
        ("collective-action", "economic-self-reliance"),
        Who.GROUP,
        ("women",),
        _tags("women", "collective", "economic"),
        kinds=frozenset({K.TRADE_UNION, K.WOMENS_ORGANISATION}),
        en=(
            "Domestic workers win written contracts",
            "{number} domestic workers in {place} now have written contracts with a weekly day "
            "off, after union members visited the employers together and explained the law. "
            "Before, none of them had anything on paper.",
        ),
        sv=(
            "Hushållsarbetare fick skriftliga anställningsavtal",
            "{number} hushållsarbetare i {place} har nu skriftliga avtal med en ledig dag i "
            "veckan, sedan fackmedlemmar gemensamt besökt arbetsgivarna och förklarat lagen. "
            "Tidigare hade ingen av dem något på papper.",
        ),
        es=(
            "Trabajadoras del hogar consiguen contratos escritos",
            "{number} trabajadoras del hogar de {place} tienen ahora contratos escritos con un "
            "día libre a la semana, después de que las afiliadas visitaran juntas a los "
            "empleadores para explicarles la ley. Antes ninguna tenía nada por escrito.",
        ),
    ),
    StoryEvent(
        ("participation-decision-making", "organisational-capacity"),
        Who.ORGANISATION,
        ("women",),
        _tags("women", "participation", "capacity"),
        kinds=PARTIES,
        en=(
            "Party adopts alternating lists for internal elections",
            "The regional congress in {place} decided that every internal election list must "
            "alternate women and men. The proposal came from the women's section, which had "
            "gathered support in the local branches for half a year.",
        ),
        sv=(
            "Partiet införde varvade listor i interna val",
            "Regionkongressen i {place} beslutade att alla listor i interna val ska varva "
            "kvinnor och män. Förslaget kom från kvinnosektionen, som under ett halvår samlat "
            "stöd i lokalavdelningarna.",
        ),
        es=(
            "El partido adopta listas paritarias en sus elecciones internas",
            "El congreso regional en {place} aprobó que todas las listas de elecciones internas "
            "alternen mujeres y hombres. La propuesta vino de la secretaría de mujeres, que pasó "
            "medio año reuniendo apoyos en las bases.",
        ),
    ),
    StoryEvent(
        ("collective-action", "participation-decision-making"),
        Who.INSTITUTION,
        ("persons-with-disabilities",),
        _tags("collective", "participation"),
        en=(
            "Polling station moved to the ground floor",
            "Members with disabilities in {place} wrote to the election office with photos of "
            "the steep stairs at their polling station. Before the next election it was moved to "
            "a ground-floor school hall, and {number} of them voted without help for the first "
            "time.",
        ),
        sv=(
            "Vallokalen flyttades till bottenvåningen",
            "Medlemmar med funktionsnedsättning i {place} skrev till valmyndigheten och skickade "
            "bilder på den branta trappan till vallokalen. Inför nästa val flyttades den till en "
            "skolsal i bottenvåningen, och {number} av dem kunde för första gången rösta utan "
            "hjälp.",
        ),
        es=(
            "El local de votación se trasladó a la planta baja",
            "Socios con discapacidad de {place} escribieron a la oficina electoral con fotos de "
            "las escaleras empinadas de su local de votación. Antes de las siguientes elecciones "
            "se trasladó a un aula en planta baja y {number} de ellos votaron sin ayuda por "
            "primera vez.",
        ),
    ),
    StoryEvent(
        ("organisational-capacity",),
        Who.ORGANISATION,
        (),
        _tags("capacity"),
        en=(
            "Membership register moves online",
            "The branch in {place} replaced its paper ledgers with a shared digital membership "
            "register. For the first time the treasurer can see who is behind with dues, and "
            "the branch won back {number} lapsed members in three months.",
        ),
        sv=(
            "Medlemsregistret flyttade till nätet",
            "Avdelningen i {place} ersatte sina pappersliggare med ett gemensamt digitalt "
            "medlemsregister. För första gången ser kassören vem som ligger efter med avgiften, "
            "och på tre månader fick avdelningen tillbaka {number} medlemmar.",
        ),
        es=(
            "El registro de socios pasa a ser digital",
            "La filial de {place} reemplazó sus cuadernos por un registro digital compartido. "
            "Por primera vez la tesorera puede ver quién está atrasado con las cuotas, y en tres "
            "meses recuperaron {number} socios.",
        ),
    ),
    StoryEvent(
        ("collective-action", "participation-decision-making"),
        Who.COMMUNITY,
        ("indigenous-peoples",),
        _tags("collective", "indigenous"),
        en=(
            "Village assembly's forest claim accepted",
            "The assembly in {place} mapped its traditional forest together with elders and "
            "young volunteers and filed a community claim. The district committee accepted it, "
            "and families can again collect firewood without paying the guards.",
        ),
        sv=(
            "Byns anspråk på skogen godkändes",
            "Bystämman i {place} kartlade sin traditionella skog tillsammans med äldre och unga "
            "frivilliga och lämnade in ett gemensamt anspråk. Distriktskommittén godkände det, "
            "och familjerna kan åter samla ved utan att betala vakterna.",
        ),
        es=(
            "Aprobado el reclamo comunitario sobre el bosque",
            "La asamblea de {place} mapeó su bosque tradicional con los mayores y con jóvenes "
            "voluntarios y presentó un reclamo comunitario. El comité distrital lo aprobó y las "
            "familias pueden volver a recoger leña sin pagar a los guardias.",
        ),
    ),
    StoryEvent(
        ("collective-action",),
        Who.COMMUNITY,
        (),
        _tags("collective"),
        en=(
            "School meals restored after parents' complaint",
            "Parents in {place} noticed that the school had served no lunch for weeks. The "
            "parents' committee documented it and took it to the district education office; "
            "the meals were back within a fortnight and a parent now checks them every Friday.",
        ),
        sv=(
            "Skolmaten kom tillbaka efter föräldrarnas klagomål",
            "Föräldrar i {place} märkte att skolan inte serverat lunch på flera veckor. "
            "Föräldrakommittén dokumenterade det och tog det till distriktets skolkontor, och "
            "inom två veckor var maten tillbaka. Nu kontrollerar en förälder den varje fredag.",
        ),
        es=(
            "Vuelve el almuerzo escolar tras la queja de las familias",
            "Las familias de {place} notaron que la escuela llevaba semanas sin dar almuerzo. El "
            "comité de padres lo documentó y lo llevó a la oficina distrital de educación; en dos "
            "semanas volvió la comida y ahora una madre o un padre la revisa cada viernes.",
        ),
    ),
    StoryEvent(
        ("participation-decision-making",),
        Who.GROUP,
        ("youth",),
        _tags("youth", "participation"),
        en=(
            "Young people question the mayor in a public debate",
            "The youth group in {place} organised the first public debate between young people "
            "and the mayor. {number} young people came, and the mayor promised money for a "
            "youth centre, which appeared in the draft budget two months later.",
        ),
        sv=(
            "Unga ställde borgmästaren till svars i en öppen debatt",
            "Ungdomsgruppen i {place} ordnade den första öppna debatten mellan unga och "
            "borgmästaren. {number} unga kom, och borgmästaren lovade pengar till en ungdomsgård, "
            "som två månader senare fanns med i budgetförslaget.",
        ),
        es=(
            "Jóvenes interpelan al alcalde en un debate público",
            "El grupo juvenil de {place} organizó el primer debate público entre jóvenes y el "
            "alcalde. Asistieron {number} jóvenes y el alcalde prometió fondos para un centro "
            "juvenil, que aparecieron en el proyecto de presupuesto dos meses después.",
        ),
    ),
    StoryEvent(
        ("economic-self-reliance", "organisational-capacity"),
        Who.GROUP,
        ("women",),
        _tags("women", "economic"),
        kinds=COOPERATIVES,
        en=(
            "Cooperative signs its first supply agreement",
            "The women's cooperative in {place} signed an agreement to deliver dried herbs and "
            "preserves to a supermarket chain every month. Members now receive a regular payment "
            "instead of waiting for the seasonal fairs.",
        ),
        sv=(
            "Kooperativet skrev sitt första leveransavtal",
            "Kvinnokooperativet i {place} skrev avtal om att varje månad leverera torkade örter "
            "och inläggningar till en livsmedelskedja. Medlemmarna får nu en regelbunden "
            "utbetalning i stället för att vänta på säsongsmarknaderna.",
        ),
        es=(
            "La cooperativa firma su primer contrato de suministro",
            "La cooperativa de mujeres de {place} firmó un acuerdo para entregar hierbas secas y "
            "conservas a una cadena de supermercados cada mes. Las socias reciben ahora un pago "
            "regular en lugar de esperar a las ferias de temporada.",
        ),
    ),
    StoryEvent(
        ("collective-action",),
        Who.INSTITUTION,
        ("women",),
        _tags("women", "collective"),
        en=(
            "Police station opens a desk for survivors",
            "For a year, volunteers in {place} accompanied survivors of violence to the police "
            "and noted every refusal. After they showed the record to the station commander, a "
            "desk with a trained woman officer opened, and cases are now registered the same day.",
        ),
        sv=(
            "Polisstationen öppnade en disk för våldsutsatta",
            "Under ett år följde frivilliga i {place} med våldsutsatta kvinnor till polisen och "
            "antecknade varje gång de avvisades. När de visade sammanställningen för "
            "stationschefen öppnades en disk med en utbildad kvinnlig polis, och anmälningar tas "
            "nu upp samma dag.",
        ),
        es=(
            "La comisaría abre una ventanilla para sobrevivientes",
            "Durante un año, voluntarias de {place} acompañaron a sobrevivientes de violencia a la "
            "policía y anotaron cada rechazo. Tras presentar ese registro al jefe de la comisaría "
            "se abrió una ventanilla con una agente capacitada, y las denuncias se registran ahora "
            "el mismo día.",
        ),
    ),
    StoryEvent(
        ("participation-decision-making", "collective-action"),
        Who.GROUP,
        ("women",),
        _tags("women", "participation"),
        en=(
            "Women speak at the budget hearing for the first time",
            "{number} women from {place} attended the municipal budget hearing, and three of them "
            "spoke to ask for street lighting on the road to the health post. The lighting was "
            "included in the approved budget.",
        ),
        sv=(
            "Kvinnor talade på budgetmötet för första gången",
            "{number} kvinnor från {place} deltog i kommunens budgetmöte, och tre av dem begärde "
            "ordet och krävde gatubelysning längs vägen till vårdcentralen. Belysningen kom med i "
            "den beslutade budgeten.",
        ),
        es=(
            "Las mujeres toman la palabra en la audiencia de presupuesto",
            "{number} mujeres de {place} asistieron a la audiencia pública del presupuesto "
            "municipal y tres de ellas pidieron alumbrado en el camino al puesto de salud. El "
            "alumbrado quedó incluido en el presupuesto aprobado.",
        ),
    ),
    StoryEvent(
        ("organisational-capacity", "participation-decision-making"),
        Who.ORGANISATION,
        ("youth",),
        _tags("youth", "capacity"),
        en=(
            "Young members found a new local branch",
            "After the summer camp, young members in {place} founded their own local branch, "
            "elected a board with a woman as chair and held their first annual meeting. They now "
            "meet every other week and have {number} paying members.",
        ),
        sv=(
            "Unga medlemmar startade en ny lokalavdelning",
            "Efter sommarlägret grundade unga medlemmar i {place} en egen lokalavdelning, valde "
            "en styrelse med en kvinna som ordförande och höll sitt första årsmöte. Nu träffas de "
            "varannan vecka och har {number} betalande medlemmar.",
        ),
        es=(
            "Jóvenes fundan una nueva filial local",
            "Después del campamento de verano, jóvenes de {place} fundaron su propia filial, "
            "eligieron una directiva presidida por una mujer y celebraron su primera asamblea. "
            "Ahora se reúnen cada dos semanas y tienen {number} miembros al día con sus cuotas.",
        ),
    ),
    StoryEvent(
        ("collective-action", "economic-self-reliance"),
        Who.GROUP,
        ("other-marginalised",),
        _tags("collective", "economic"),
        kinds=frozenset({K.TRADE_UNION, K.CSO}),
        en=(
            "Day labourers win a higher daily wage",
            "Day labourers on the farms around {place} refused to start the harvest until the "
            "owners met them as a group. After two days of talks the daily wage was raised, and "
            "drinking water is now provided in the fields.",
        ),
        sv=(
            "Daglönare fick höjd dagslön",
            "Daglönarna på gårdarna runt {place} vägrade börja skörden innan ägarna träffade dem "
            "som grupp. Efter två dagars förhandlingar höjdes dagslönen, och nu finns det "
            "dricksvatten ute på fälten.",
        ),
        es=(
            "Jornaleros consiguen un aumento del jornal",
            "Los jornaleros de las fincas cercanas a {place} se negaron a empezar la cosecha "
            "hasta que los dueños los recibieran como grupo. Tras dos días de conversaciones "
            "subió el jornal y ahora hay agua potable en los campos.",
        ),
    ),
    StoryEvent(
        ("organisational-capacity", "economic-self-reliance"),
        Who.ORGANISATION,
        ("women",),
        _tags("capacity", "economic", "women"),
        kinds=COOPERATIVES,
        en=(
            "Cooperative presents its first audited accounts",
            "The treasurer of the cooperative in {place} finished the bookkeeping course and "
            "closed the year with audited accounts. With them the cooperative could apply for a "
            "municipal grant for a cold room, and the grant was approved.",
        ),
        sv=(
            "Kooperativet lade fram sitt första reviderade bokslut",
            "Kassören i kooperativet i {place} gick bokföringskursen och avslutade året med ett "
            "reviderat bokslut. Med det kunde kooperativet söka kommunalt bidrag till ett kylrum, "
            "och ansökan beviljades.",
        ),
        es=(
            "La cooperativa presenta sus primeras cuentas auditadas",
            "La tesorera de la cooperativa de {place} terminó el curso de contabilidad y cerró el "
            "año con cuentas auditadas. Con ellas la cooperativa pudo solicitar un subsidio "
            "municipal para una cámara de frío, que fue aprobado.",
        ),
    ),
    StoryEvent(
        # Unexpected but welcome: the "negative or unexpected" type is not only for bad news.
        ("negative-unexpected", "economic-self-reliance"),
        Who.COMMUNITY,
        ("women",),
        _tags("women", "economic"),
        kinds=UNIONS_AND_GROUPS,
        en=(
            "Men start their own savings group",
            "When the men in {place} saw that the women's savings group had paid for a new roof "
            "on the meeting hall, some of them asked the women to teach them how it works. "
            "Nobody had planned this, and the women now chair the joint meetings.",
        ),
        sv=(
            "Männen startade en egen spargrupp",
            "När männen i {place} såg att kvinnornas spargrupp betalat ett nytt tak till "
            "samlingslokalen bad några av dem kvinnorna att lära dem hur det fungerar. Ingen hade "
            "planerat det, och nu är det kvinnorna som leder de gemensamma mötena.",
        ),
        es=(
            "Los hombres forman su propio grupo de ahorro",
            "Al ver que el grupo de ahorro de las mujeres de {place} había pagado el techo nuevo "
            "del salón comunal, varios hombres les pidieron que les enseñaran cómo funciona. "
            "Nadie lo había planeado y ahora son ellas quienes presiden las reuniones conjuntas.",
        ),
    ),
    StoryEvent(
        ("other", "participation-decision-making"),
        Who.GROUP,
        ("youth", "indigenous-peoples"),
        _tags("youth"),
        en=(
            "Community radio starts a weekly programme in the local language",
            "Young members in {place} started a weekly half-hour programme on the community "
            "radio in their own language, with news from the assemblies and a phone-in. "
            "Listeners now call in with questions for the council.",
        ),
        sv=(
            "Närradion sänder ett veckoprogram på det lokala språket",
            "Unga medlemmar i {place} startade ett halvtimmesprogram i veckan i närradion på sitt "
            "eget språk, med nyheter från stämmorna och en del där lyssnare ringer in. Nu ringer "
            "lyssnare in med frågor till kommunfullmäktige.",
        ),
        es=(
            "La radio comunitaria estrena un programa semanal en idioma local",
            "Jóvenes de {place} iniciaron un programa semanal de media hora en la radio "
            "comunitaria en su propio idioma, con noticias de las asambleas y llamadas de los "
            "oyentes. Ahora la gente llama con preguntas para el concejo.",
        ),
    ),
    StoryEvent(
        ("negative-unexpected", "participation-decision-making"),
        Who.GROUP,
        (),
        _tags("participation"),
        en=(
            "Authorities ban a planned members' meeting",
            "Two days before the members' meeting in {place}, the local authorities withdrew the "
            "permit for the hall without giving a reason. The meeting moved online, but only a "
            "third of the members joined, and several say they are now afraid to be seen at the "
            "organisation's events.",
        ),
        sv=(
            "Myndigheterna stoppade ett planerat medlemsmöte",
            "Två dagar före medlemsmötet i {place} drog de lokala myndigheterna tillbaka "
            "tillståndet för lokalen utan att ange skäl. Mötet flyttades till nätet men bara en "
            "tredjedel av medlemmarna anslöt, och flera säger att de nu är rädda att synas på "
            "organisationens aktiviteter.",
        ),
        es=(
            "Las autoridades prohíben una asamblea de socios",
            "Dos días antes de la asamblea en {place}, las autoridades locales retiraron el "
            "permiso del salón sin dar razones. La reunión pasó a ser virtual, pero solo se "
            "conectó un tercio de los socios y varios dicen que ahora temen ser vistos en las "
            "actividades de la organización.",
        ),
        direction=ChangeStory.Direction.NEGATIVE,
    ),
    StoryEvent(
        ("negative-unexpected", "participation-decision-making"),
        Who.INDIVIDUAL,
        ("women",),
        _tags("women", "participation"),
        en=(
            "Candidate withdraws after harassment",
            "A woman from {place} who registered as a candidate for the ward committee received "
            "threats on social media and at her door. She withdrew a week before the vote, and "
            "the group has not found anyone willing to stand in her place.",
        ),
        sv=(
            "Kandidat drog sig ur efter trakasserier",
            "En kvinna från {place} som ställt upp till stadsdelskommittén fick hot både i "
            "sociala medier och vid sin dörr. Hon drog sig ur en vecka före valet, och gruppen har "
            "inte hittat någon annan som vågar ställa upp.",
        ),
        es=(
            "Candidata se retira tras sufrir acoso",
            "Una mujer de {place} que se inscribió como candidata al comité vecinal recibió "
            "amenazas en redes sociales y en la puerta de su casa. Se retiró una semana antes de "
            "la votación y el grupo no ha encontrado a nadie dispuesta a ocupar su lugar.",
        ),
        direction=ChangeStory.Direction.NEGATIVE,
    ),
    StoryEvent(
        ("negative-unexpected", "economic-self-reliance"),
        Who.GROUP,
        ("women",),
        _tags("women", "economic"),
        kinds=COOPERATIVES,
        en=(
            "Buyer cancels and members lose income",
            "The trader who had bought the cooperative's produce in {place} for two seasons "
            "cancelled without notice when transport costs rose. Members were left with goods "
            "they could not sell, and several had to use their savings for household costs.",
        ),
        sv=(
            "Köparen hoppade av och medlemmarna förlorade inkomster",
            "Handlaren som under två säsonger köpt kooperativets varor i {place} sade upp "
            "avtalet utan förvarning när transportkostnaderna steg. Medlemmarna blev sittande med "
            "varor de inte kunde sälja, och flera fick ta av sina sparpengar till hushållet.",
        ),
        es=(
            "El comprador cancela y las socias pierden ingresos",
            "El comerciante que durante dos temporadas había comprado la producción de la "
            "cooperativa de {place} canceló sin aviso cuando subieron los costos de transporte. "
            "Las socias se quedaron con productos sin vender y varias tuvieron que usar sus "
            "ahorros para los gastos del hogar.",
        ),
        direction=ChangeStory.Direction.NEGATIVE,
    ),
)
POSITIVE_EVENTS = tuple(e for e in EVENTS if e.direction == ChangeStory.Direction.POSITIVE)
NEGATIVE_EVENTS = tuple(e for e in EVENTS if e.direction == ChangeStory.Direction.NEGATIVE)

# Why it matters, by language and by how significant the storyteller found it.
SIGNIFICANCE_REASONS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "low": (
            "A small step, but people noticed it.",
            "It has affected only a few households so far.",
            "Useful, though it may not last without follow-up.",
        ),
        "mid": (
            "It shows that organising together works here.",
            "It changed how local officials treat the group.",
        ),
        "high": (
            "For the first time, people who were never asked took part in the decision.",
            "It changes daily life for many families and will be hard to reverse.",
            "Other communities have already asked how they did it.",
        ),
        "negative": (
            "It shows how fragile the gains are.",
            "It makes people less willing to take part.",
            "We need to plan differently for this risk.",
        ),
    },
    "sv": {
        "low": (
            "Ett litet steg, men folk lade märke till det.",
            "Hittills har det bara berört några få hushåll.",
            "Bra, men det håller kanske inte utan uppföljning.",
        ),
        "mid": (
            "Det visar att det lönar sig att organisera sig tillsammans.",
            "Det ändrade hur tjänstemännen bemöter gruppen.",
        ),
        "high": (
            "För första gången var människor som aldrig tillfrågats med och fattade beslutet.",
            "Det förändrar vardagen för många familjer och blir svårt att ta tillbaka.",
            "Andra byar har redan frågat hur de gjorde.",
        ),
        "negative": (
            "Det visar hur sköra framstegen är.",
            "Det gör människor mindre benägna att delta.",
            "Vi behöver planera annorlunda för den här risken.",
        ),
    },
    "es": {
        "low": (
            "Un paso pequeño, pero la gente lo notó.",
            "Por ahora solo ha beneficiado a pocas familias.",
            "Es útil, aunque sin seguimiento puede no durar.",
        ),
        "mid": (
            "Muestra que organizarse juntos funciona aquí.",
            "Cambió la forma en que los funcionarios tratan al grupo.",
        ),
        "high": (
            "Por primera vez participaron en la decisión personas a las que nunca se consultaba.",
            "Cambia la vida diaria de muchas familias y será difícil de revertir.",
            "Otras comunidades ya preguntaron cómo lo lograron.",
        ),
        "negative": (
            "Muestra lo frágiles que son los avances.",
            "Hace que la gente tenga menos ganas de participar.",
            "Tenemos que planificar de otra manera frente a este riesgo.",
        ),
    },
}

CONTRIBUTION_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        Level.NONE: (
            "The people involved did this on their own.",
            "It happened independently of the project.",
        ),
        Level.SOME: (
            "The training gave them the arguments, but the work was theirs.",
            "The project paid for travel to the meetings.",
            "Advice from the partner's staff helped them prepare.",
        ),
        Level.DECISIVE: (
            "Without the course and the follow-up visits this would not have happened.",
            "Without the project, the authorities would not have listened.",
            "The savings method came from the project.",
        ),
    },
    "sv": {
        Level.NONE: (
            "De inblandade gjorde detta helt på egen hand.",
            "Det hände oberoende av projektet.",
        ),
        Level.SOME: (
            "Utbildningen gav dem argumenten, men arbetet var deras eget.",
            "Projektet betalade resorna till mötena.",
            "Råd från partnerns personal hjälpte dem att förbereda sig.",
        ),
        Level.DECISIVE: (
            "Utan kursen och uppföljningsbesöken hade detta inte hänt.",
            "Utan projektet hade myndigheterna inte lyssnat.",
            "Sparmetoden kom från projektet.",
        ),
    },
    "es": {
        Level.NONE: (
            "Las personas involucradas lo hicieron por su cuenta.",
            "Ocurrió sin relación con el proyecto.",
        ),
        Level.SOME: (
            "La capacitación les dio los argumentos, pero el trabajo fue suyo.",
            "El proyecto pagó el transporte a las reuniones.",
            "Los consejos del equipo de la organización les ayudaron a prepararse.",
        ),
        Level.DECISIVE: (
            "Sin el curso y las visitas de seguimiento esto no habría pasado.",
            "Sin el proyecto, las autoridades no habrían escuchado.",
            "El método de ahorro vino del proyecto.",
        ),
    },
}

# Review workflow spread: most stories end up verified, some are still in the pipeline.
STATUS_WEIGHTS: dict[str, int] = {
    Status.DRAFT: 5,
    Status.SUBMITTED: 9,
    Status.RETURNED: 4,
    Status.VERIFIED: 64,
    Status.SELECTED: 6,
    Status.ARCHIVED: 12,
}
STATUSES = tuple(STATUS_WEIGHTS)
STATUS_CUM_WEIGHTS = tuple(itertools.accumulate(STATUS_WEIGHTS.values()))
PENDING_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED})
FINAL_STATUSES = (Status.VERIFIED, Status.SELECTED, Status.ARCHIVED)
FINAL_STATUS_WEIGHTS = tuple(STATUS_WEIGHTS[s] for s in FINAL_STATUSES)
SIGNIFICANCE_WEIGHTS = (5, 15, 35, 30, 15)  # for 1..5
# Where stories from indigenous peoples' forests and radios are plausible.
INDIGENOUS_CONTEXTS = frozenset({"GT", "BO", "CO", "IN", "NP"})


# --- Organisations, programmes, users ------------------------------------------------------------


@dataclass
class DemoWorld:
    partners: dict[str, Partner]
    programs: dict[str, Program]
    projects: dict[str, Project]
    users: dict[str, User]


def section_rng(seed: int, section: str) -> random.Random:
    """One generator per section, so that adding data to one section leaves the others as they
    were (a single shared stream would shift every later value)."""
    return random.Random(f"{seed}:{section}")


def pseudonym(rng: random.Random) -> str:
    # Drawn from the seed rather than ``secrets`` so that screenshots and browser tests can rely
    # on it; only demo partners get one this way.
    return "Partner " + "".join(rng.choice(PSEUDONYM_ALPHABET) for _ in range(PSEUDONYM_LENGTH))


def seed_partners(rng: random.Random) -> dict[str, Partner]:
    partners: dict[str, Partner] = {}
    for spec in PARTNERS:
        code = pseudonym(rng)  # drawn on every run, used on the first: keeps the stream stable
        while Partner.objects.filter(pseudonym=code).exclude(name=spec.name).exists():
            code = pseudonym(rng)
        fields = {
            "kind": spec.kind,
            "country": spec.country,
            "region": region_for_country(spec.country),
            "status": spec.status,
            "partnership_start": spec.start,
            "partnership_end": spec.end,
            "website": spec.website,
            "description": spec.description,
            "is_confidential": spec.is_confidential,
        }
        partner, _ = Partner.objects.update_or_create(
            name=spec.name,
            defaults=fields,
            # The pseudonym is set once and never changes: people remember it.
            create_defaults={**fields, "pseudonym": code},
        )
        for position, contact in enumerate(spec.contacts):
            PartnerContact.objects.update_or_create(
                partner=partner,
                name=contact.name,
                defaults={
                    "position": contact.position,
                    "email": contact.email,
                    "is_primary": position == 0,
                },
            )
        partners[spec.name] = partner
    return partners


def seed_funders() -> dict[str, Funder]:
    return {
        spec.name: Funder.objects.update_or_create(
            name=spec.name, defaults={"kind": spec.kind, "iati_ref": spec.iati_ref}
        )[0]
        for spec in FUNDERS
    }


def seed_member_organisations() -> dict[str, MemberOrganisation]:
    return {
        spec.name: MemberOrganisation.objects.update_or_create(
            name=spec.name,
            defaults={
                "kind": spec.kind,
                "org_number": spec.org_number,
                "municipality": spec.municipality,
                "website": spec.website,
            },
        )[0]
        for spec in MEMBER_ORGANISATIONS
    }


def seed_users(
    partners: dict[str, Partner], members: dict[str, MemberOrganisation]
) -> dict[str, User]:
    users: dict[str, User] = {}
    device_key = base64.b32decode(DEMO_TOTP_SECRET).hex()  # django-otp stores the key as hex
    for spec in USERS:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.org",
                "role": spec.role,
                "is_active": True,
                "is_superuser": spec.is_superuser,
                "is_staff": spec.is_staff,
                "is_cleared": spec.is_cleared,
                "partner": partners[spec.partner] if spec.partner else None,
                "member_organisation": (
                    members[spec.member_organisation] if spec.member_organisation else None
                ),
            },
        )
        # Reset on every run: someone may have changed a demo password while trying things out.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if spec.totp:
            TOTPDevice.objects.update_or_create(
                user=user,
                name=DEMO_DEVICE_NAME,
                defaults={
                    "key": device_key,
                    "confirmed": True,
                    # A re-seed also forgets failed attempts and the last code used.
                    "throttling_failure_count": 0,
                    "throttling_failure_timestamp": None,
                    "last_t": -1,
                },
            )
        users[spec.username] = user
    return users


def seed_programs(funders: dict[str, Funder], users: dict[str, User]) -> dict[str, Program]:
    programs: dict[str, Program] = {}
    for spec in PROGRAMS:
        program, _ = Program.objects.update_or_create(
            title=spec.title,
            defaults={
                "focus_area": spec.focus_area,
                "description": spec.description,
                "start_date": PROGRAM_START,
                "end_date": PROGRAM_END,
                "budget_sek": Decimal(spec.budget_sek),
                "responsible_staff": users[spec.responsible],
                "dac_sector_codes": list(spec.dac_sector_codes),
                "iati_identifier": f"{IATI_ORGANISATION}-{spec.code}",
            },
        )
        program.funders.set([funders[name] for name in spec.funders])
        programs[spec.code] = program
    return programs


def project_period(spec: ProjectSeed, partner: PartnerSeed, program: Program) -> tuple[date, date]:
    """A project runs inside both its programme and the partnership, unless set explicitly."""
    start = spec.start or max(program.start_date, partner.start or program.start_date)
    end = spec.end or min(program.end_date, partner.end or program.end_date)
    return start, max(start, end)


def seed_projects(partners: dict[str, Partner], programs: dict[str, Program]) -> dict[str, Project]:
    projects: dict[str, Project] = {}
    for partner_spec in PARTNERS:
        for spec in partner_spec.projects:
            program = programs[spec.program]
            start, end = project_period(spec, partner_spec, program)
            project, _ = Project.objects.update_or_create(
                program=program,
                partner=partners[partner_spec.name],
                title=spec.title,
                defaults={
                    "description": spec.description,
                    "status": spec.status,
                    "start_date": start,
                    "end_date": end,
                    "budget_sek": Decimal(spec.budget_sek),
                },
            )
            projects[spec.key] = project
    return projects


def seed_networks(
    partners: dict[str, Partner],
    programs: dict[str, Program],
    members: dict[str, MemberOrganisation],
) -> dict[str, SolidarityNetwork]:
    networks: dict[str, SolidarityNetwork] = {}
    for spec in NETWORKS:
        linked = [partners[name] for name in spec.partners]
        if any(partner.is_confidential for partner in linked):
            # Network members see their networks' partners: a confidential one would be exposed.
            raise CommandError(f"Network {spec.name!r} lists a confidential partner.")
        network, _ = SolidarityNetwork.objects.update_or_create(
            name=spec.name,
            defaults={
                "theme": spec.theme,
                "description": spec.description,
                # django-countries' type hints miss that a multiple field takes a list.
                "countries": list(spec.countries),  # type: ignore[misc]
            },
        )
        network.partners.set(linked)
        network.programs.set([programs[code] for code in spec.programs])
        for member_name, joined_on in spec.members:
            NetworkMembership.objects.update_or_create(
                network=network,
                member_organisation=members[member_name],
                defaults={"joined_on": joined_on, "left_on": None},
            )
        networks[spec.name] = network
    return networks


def monthly_dates(first: date, until: date) -> list[date]:
    dates: list[date] = []
    current = first
    while current <= until:
        dates.append(current)
        year, month = divmod(current.month, 12)
        current = current.replace(year=current.year + year, month=month + 1)
    return dates


def seed_contributions(
    members: dict[str, MemberOrganisation],
    networks: dict[str, SolidarityNetwork],
    programs: dict[str, Program],
) -> int:
    specs = list(CONTRIBUTIONS)
    for pledge in MONTHLY_PLEDGES:
        specs.extend(
            ContributionSeed(
                C.MONTHLY_PLEDGE,
                on,
                member=pledge.member,
                donor=pledge.donor,
                amount_sek=pledge.amount_sek,
                network=pledge.network,
                program=pledge.program,
            )
            for on in monthly_dates(pledge.first, ANCHOR)
        )
    for spec in specs:
        # No natural key on the model; everything that identifies a gift is the lookup.
        Contribution.objects.update_or_create(
            kind=spec.kind,
            date=spec.on,
            member_organisation=members[spec.member] if spec.member else None,
            donor_name=spec.donor,
            network=networks[spec.network] if spec.network else None,
            program=programs[spec.program] if spec.program else None,
            defaults={
                "amount_sek": Decimal(spec.amount_sek) if spec.amount_sek is not None else None,
                "hours": Decimal(spec.hours) if spec.hours is not None else None,
                "note": spec.note,
            },
        )
    return len(specs)


# --- Activity plans and activities --------------------------------------------------------------

PARTNER_OF_PROJECT: dict[str, PartnerSeed] = {
    project.key: partner for partner in PARTNERS for project in partner.projects
}
# Typical head counts per kind of activity (min, max).
PARTICIPANTS: dict[str, tuple[int, int]] = {
    A.TRAINING: (12, 30),
    A.EXCHANGE: (5, 12),
    A.CAMPAIGN: (40, 220),
    A.POLITICIAN_SCHOOL: (15, 25),
    A.MEETING: (6, 20),
    A.STUDY_CIRCLE: (5, 12),
    A.SURVEY: (10, 60),
}


def quarter_window(year: int, quarter: int | None) -> tuple[date, date]:
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    start = date(year, 3 * quarter - 2, 1)
    end = date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(1)
    return start, end


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def participants(rng: random.Random, kind: str, project_key: str | None) -> dict[str, int]:
    low, high = PARTICIPANTS[kind]
    total = rng.randint(low, high)
    partner = PARTNER_OF_PROJECT.get(project_key or "")
    women_share = 0.5
    youth_share = rng.uniform(0.1, 0.35)
    if partner is not None and partner.kind == K.WOMENS_ORGANISATION:
        women_share = 0.85
    if kind == A.POLITICIAN_SCHOOL or (
        partner is not None and partner.kind == K.YOUTH_ORGANISATION
    ):
        youth_share = rng.uniform(0.6, 0.95)
    other = rng.choice((0, 0, 0, 1, 2)) if total > 10 else 0
    women = round((total - other) * rng.uniform(women_share - 0.1, min(1.0, women_share + 0.1)))
    return {
        "participants_women": women,
        "participants_men": total - other - women,
        "participants_other": other,
        # Never more young people than participants: the model enforces it too.
        "participants_youth": min(total, round(total * youth_share)),
    }


def activity_place(rng: random.Random, format_: str, project_key: str | None) -> str:
    if format_ == DIGITAL:
        return "Online"
    if project_key is not None:
        return rng.choice(PARTNER_OF_PROJECT[project_key].localities)
    return rng.choice(SWEDISH_PLACES)


def held_count(rng: random.Random, target: int, start: date, end: date) -> int:
    """How many times a planned activity was held by the anchor date.

    Mostly as planned, sometimes one short or one extra, and proportionally fewer for a window
    that is still running: follow-up should show gaps as well as targets met.
    """
    last = min(end, ANCHOR - timedelta(days=1))
    if last < start:
        return 0
    elapsed = ((last - start).days + 1) / ((end - start).days + 1)
    return max(0, round(target * elapsed) + rng.choice((-1, 0, 0, 0, 0, 1)))


def seed_activities(
    rng: random.Random, programs: dict[str, Program], projects: dict[str, Project]
) -> int:
    held = 0
    for plan_spec in PLANS:
        plan, _ = ActivityPlan.objects.update_or_create(
            year=plan_spec.year,
            owner_unit=plan_spec.owner_unit,
            title=plan_spec.title,
            defaults={"program": programs[plan_spec.program] if plan_spec.program else None},
        )
        for item in plan_spec.items:
            project = projects[item.project] if item.project else None
            planned, _ = PlannedActivity.objects.update_or_create(
                plan=plan,
                title=item.title,
                defaults={
                    "kind": item.kind,
                    "target_count": item.target,
                    "format": item.format,
                    "quarter": item.quarter,
                    "project": project,
                },
            )
            start, end = quarter_window(plan_spec.year, item.quarter)
            count = held_count(rng, item.target, start, end)
            last = min(end, ANCHOR - timedelta(days=1))
            dates = sorted(random_day(rng, start, last) for _ in range(count))
            for number, on in enumerate(dates, start=1):
                title = item.title if number == 1 else f"{item.title}, session {number}"
                Activity.objects.update_or_create(
                    planned=planned,
                    title=title,
                    defaults={
                        "project": project,
                        "partner": project.partner if project else None,
                        "kind": item.kind,
                        "date": on,
                        "place": activity_place(rng, item.format, item.project),
                        "format": item.format,
                        **participants(rng, item.kind, item.project),
                    },
                )
                held += 1
    for extra in UNPLANNED_ACTIVITIES:
        project = projects[extra.project] if extra.project else None
        Activity.objects.update_or_create(
            planned=None,
            title=extra.title,
            date=extra.on,
            defaults={
                "project": project,
                "partner": project.partner if project else None,
                "kind": extra.kind,
                "place": activity_place(rng, extra.format, extra.project),
                "format": extra.format,
                **participants(rng, extra.kind, extra.project),
            },
        )
        held += 1
    return held


def seed_world(seed: int) -> DemoWorld:
    partners = seed_partners(section_rng(seed, "partners"))
    members = seed_member_organisations()
    users = seed_users(partners, members)
    programs = seed_programs(seed_funders(), users)
    projects = seed_projects(partners, programs)
    networks = seed_networks(partners, programs, members)
    seed_contributions(members, networks, programs)
    seed_activities(section_rng(seed, "activities"), programs, projects)
    return DemoWorld(partners=partners, programs=programs, projects=projects, users=users)


# --- Stories ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StorySlot:
    """Where a story can belong: a partner's project, its programme only, or neither."""

    project_id: int | None
    program_id: int | None
    start: date
    end: date
    # Cumulative weights over POSITIVE_EVENTS / NEGATIVE_EVENTS for ``random.choices``.
    positive_weights: tuple[float, ...]
    negative_weights: tuple[float, ...]
    women_youth: bool


@dataclass(frozen=True)
class StoryPartner:
    partner_id: int
    country: str
    latin_america: bool
    localities: tuple[str, ...]
    storytellers: tuple[str, ...]
    domain: str
    submitted_by_id: int
    project_slots: tuple[StorySlot, ...]
    program_slots: tuple[StorySlot, ...]
    general_slot: StorySlot


@dataclass
class PlannedStory:
    story: ChangeStory
    change_type_ids: list[int]
    target_group_ids: list[int]
    storyteller: tuple[str, str] | None


def event_weight(event: StoryEvent, *, focus_area: str, kind: str, country: str) -> float:
    """How likely a storyteller in this context tells this kind of event.

    Encodes patterns worth finding in the dashboards: women and youth programmes lean to women,
    youth and participation; Latin American partners to collective action; unions to collective
    and economic gains; capacity programmes to organisational change.
    """
    if event.kinds and kind not in event.kinds:
        return 0.0
    tags = event.tags
    weight = 1.0
    if focus_area == FocusArea.WOMEN_YOUTH and tags & {"women", "youth"}:
        weight *= 3
    if focus_area == FocusArea.WOMEN_YOUTH and "participation" in tags:
        weight *= 1.5
    if focus_area == FocusArea.CAPACITY and "capacity" in tags:
        weight *= 5
    if focus_area == FocusArea.DEMOCRACY and tags & {"participation", "collective"}:
        weight *= 1.5
    if region_for_country(country) == Region.LATIN_AMERICA and "collective" in tags:
        weight *= 2.5
    if kind == K.TRADE_UNION and tags & {"collective", "economic"}:
        weight *= 2
    if kind in (K.POLITICAL_PARTY, K.PARTY_AFFILIATED) and "participation" in tags:
        weight *= 2.5
    if kind == K.WOMENS_ORGANISATION and "women" in tags:
        weight *= 2
    if kind == K.YOUTH_ORGANISATION and "youth" in tags:
        weight *= 3
    if "indigenous" in tags and country not in INDIGENOUS_CONTEXTS:
        weight *= 0.1
    return weight


def story_slot(
    spec: PartnerSeed,
    *,
    project: Project | None,
    program: Program | None,
) -> StorySlot | None:
    start = max(STORIES_FROM, spec.start or STORIES_FROM)
    end = min(ANCHOR, spec.end or ANCHOR)
    if project is not None:
        start, end = max(start, project.start_date), min(end, project.end_date)
    if start > end:
        return None  # e.g. a project that has not started yet
    focus_area = program.focus_area if program is not None else ""

    def cumulative(events: Sequence[StoryEvent]) -> tuple[float, ...]:
        weights = (
            event_weight(e, focus_area=focus_area, kind=spec.kind, country=spec.country)
            for e in events
        )
        return tuple(itertools.accumulate(weights))

    return StorySlot(
        project_id=project.pk if project is not None else None,
        program_id=program.pk if program is not None else None,
        start=start,
        end=end,
        positive_weights=cumulative(POSITIVE_EVENTS),
        negative_weights=cumulative(NEGATIVE_EVENTS),
        women_youth=focus_area == FocusArea.WOMEN_YOUTH,
    )


def story_partners(world: DemoWorld) -> tuple[list[StoryPartner], list[int]]:
    """The partners that tell stories, with their slots, and their relative weights."""
    submitter_of = {
        user.partner_id: user.pk for user in world.users.values() if user.partner_id is not None
    }
    staff_id = world.users["staff"].pk
    result: list[StoryPartner] = []
    weights: list[int] = []
    for spec in PARTNERS:
        if spec.story_weight == 0:
            continue
        partner = world.partners[spec.name]
        projects = [world.projects[p.key] for p in spec.projects]
        project_slots = [
            story_slot(spec, project=project, program=project.program) for project in projects
        ]
        program_slots = [
            story_slot(spec, project=None, program=program)
            for program in {project.program_id: project.program for project in projects}.values()
        ]
        general = story_slot(spec, project=None, program=None)
        if general is None:
            continue
        result.append(
            StoryPartner(
                partner_id=partner.pk,
                country=spec.country,
                latin_america=region_for_country(spec.country) == Region.LATIN_AMERICA,
                localities=spec.localities,
                storytellers=STORYTELLERS.get(spec.country, ()),
                domain=spec.website.removeprefix("https://"),
                submitted_by_id=submitter_of.get(partner.pk, staff_id),
                project_slots=tuple(s for s in project_slots if s is not None),
                program_slots=tuple(s for s in program_slots if s is not None),
                general_slot=general,
            )
        )
        weights.append(spec.story_weight)
    return result, list(itertools.accumulate(weights))


class StoryFactory:
    """Builds story number ``index`` the same way every time, whatever else exists."""

    def __init__(self, world: DemoWorld, seed: int) -> None:
        self.seed = seed
        self.partners, self.partner_weights = story_partners(world)
        self.change_type_ids = dict(ChangeType.objects.values_list("code", "pk"))
        self.target_group_ids = dict(TargetGroup.objects.values_list("code", "pk"))
        missing = {code for e in EVENTS for code in e.change_types} - set(self.change_type_ids)
        if missing:
            raise CommandError(f"Change types missing (run migrate): {', '.join(sorted(missing))}")
        self.timezone = ZoneInfo(settings.TIME_ZONE)
        self.cutoff = datetime.combine(ANCHOR, clock(12), tzinfo=self.timezone)

    @staticmethod
    def reference(index: int) -> str:
        return f"{STORY_REFERENCE_PREFIX}{index + 1:06d}"

    def build(self, index: int) -> PlannedStory:
        # Its own generator per story: a story does not change when others are added or exist.
        rng = random.Random(f"{self.seed}:story:{index}")
        if index < len(self.partners):
            # The first stories visit every partner once, verified, so even ``--stories 20``
            # shows each partner (confidential ones included) in lists and dashboards.
            partner = self.partners[index]
            status: str = Status.VERIFIED
        else:
            partner = rng.choices(self.partners, cum_weights=self.partner_weights)[0]
            status = rng.choices(STATUSES, cum_weights=STATUS_CUM_WEIGHTS)[0]
        slot = self.pick_slot(rng, partner)
        if status in PENDING_STATUSES and slot.end < ANCHOR - timedelta(days=150):
            # An ended project has no stories still waiting for review.
            status = rng.choices(FINAL_STATUSES, weights=FINAL_STATUS_WEIGHTS)[0]
        negative = rng.random() < 0.1
        events = NEGATIVE_EVENTS if negative else POSITIVE_EVENTS
        weights = slot.negative_weights if negative else slot.positive_weights
        event = rng.choices(events, cum_weights=weights)[0]

        event_date = self.pick_event_date(rng, slot, status)
        role, mode = self.pick_role(rng)
        language = self.pick_language(rng, partner, role)
        place = rng.choice(partner.localities)
        values = {"place": place, "number": rng.randint(12, 60)}
        title, narrative = (text.format_map(values) for text in event.text(language))
        translation = ""
        if language != "en" and status not in PENDING_STATUSES and rng.random() < 0.6:
            translation = event.en[1].format_map(values)
        significance = self.pick_significance(rng, negative)
        contribution = rng.choices(
            (Level.NONE, Level.SOME, Level.DECISIVE),
            weights=(30, 55, 15) if negative else (8, 55, 37),
        )[0]
        consent_quote = rng.random() < 0.85
        story = ChangeStory(
            reference=self.reference(index),
            title=title,
            narrative=narrative,
            language=language,
            translation=translation,
            event_date=event_date,
            country=partner.country,
            locality=place if rng.random() < 0.9 else "",
            partner_id=partner.partner_id,
            project_id=slot.project_id,
            program_id=slot.program_id,
            submitter_role=role,
            collection_mode=mode,
            submitted_by_id=partner.submitted_by_id,
            who_changed=event.who_changed,
            direction=event.direction,
            significance=significance,
            significance_reason=self.significance_reason(rng, language, significance, negative),
            contribution=contribution,
            contribution_text=rng.choice(CONTRIBUTION_TEXTS[language][contribution]),
            # Storing needs consent; a draft may still be waiting for it.
            consent_store=status != Status.DRAFT or rng.random() < 0.7,
            consent_quote_internal=consent_quote,
            consent_publish=consent_quote and rng.random() < 0.3,
            status=status,
            submitted_at=(
                None if status == Status.DRAFT else self.submission_time(rng, event_date)
            ),
        )
        return PlannedStory(
            story=story,
            change_type_ids=[self.change_type_ids[c] for c in self.pick_change_types(rng, event)],
            target_group_ids=[
                self.target_group_ids[c]
                for c in self.pick_target_groups(rng, event, slot, partner)
                if c in self.target_group_ids
            ],
            storyteller=self.pick_storyteller(rng, partner, role),
        )

    def pick_slot(self, rng: random.Random, partner: StoryPartner) -> StorySlot:
        draw = rng.random()
        if draw < 0.8 and partner.project_slots:
            return rng.choice(partner.project_slots)
        if draw < 0.95 and partner.program_slots:
            return rng.choice(partner.program_slots)
        return partner.general_slot

    @staticmethod
    def pick_event_date(rng: random.Random, slot: StorySlot, status: str) -> date:
        if status in PENDING_STATUSES:
            # Stories still in review happened recently.
            return random_day(rng, max(slot.start, slot.end - timedelta(days=120)), slot.end)
        # Reviewed stories need a few weeks between event and verification.
        return random_day(rng, slot.start, max(slot.start, slot.end - timedelta(days=21)))

    @staticmethod
    def pick_role(rng: random.Random) -> tuple[str, str]:
        draw = rng.random()
        if draw < 0.45:
            # Rights-holders write themselves (submission link) or are interviewed.
            return Role.RIGHTS_HOLDER, Mode.SELF_ENTERED if rng.random() < 0.4 else Mode.INTERVIEW
        if draw < 0.85:
            return Role.PARTNER, Mode.SELF_ENTERED
        return Role.STAFF, Mode.STAFF

    @staticmethod
    def pick_language(rng: random.Random, partner: StoryPartner, role: str) -> str:
        if role == Role.STAFF:
            # Swedish staff write up field visits in Swedish about half of the time.
            return "sv" if rng.random() < 0.5 else ("es" if partner.latin_america else "en")
        if partner.latin_america:
            return "es" if rng.random() < 0.85 else "en"
        return "en"

    @staticmethod
    def pick_significance(rng: random.Random, negative: bool) -> int:
        if negative:
            return rng.choice((2, 3, 3, 4, 4, 5))
        return rng.choices((1, 2, 3, 4, 5), weights=SIGNIFICANCE_WEIGHTS)[0]

    @staticmethod
    def significance_reason(
        rng: random.Random, language: str, significance: int, negative: bool
    ) -> str:
        reasons = SIGNIFICANCE_REASONS[language]
        if negative:
            return rng.choice(reasons["negative"])
        band = "low" if significance <= 2 else "mid" if significance == 3 else "high"
        return rng.choice(reasons[band])

    @staticmethod
    def pick_change_types(rng: random.Random, event: StoryEvent) -> list[str]:
        codes = [event.change_types[0]]
        if len(event.change_types) > 1 and (
            event.direction == ChangeStory.Direction.NEGATIVE or rng.random() < 0.35
        ):
            codes.append(rng.choice(event.change_types[1:]))
        return codes

    @staticmethod
    def pick_target_groups(
        rng: random.Random, event: StoryEvent, slot: StorySlot, partner: StoryPartner
    ) -> list[str]:
        groups = [code for code in event.target_groups if rng.random() < 0.85]
        if slot.women_youth:
            groups += [code for code in ("women", "youth") if rng.random() < 0.4]
        if partner.country in INDIGENOUS_CONTEXTS and rng.random() < 0.3:
            groups.append("indigenous-peoples")
        if rng.random() < 0.05:
            groups.append("persons-with-disabilities")
        return sorted(set(groups))[:3]

    @staticmethod
    def pick_storyteller(
        rng: random.Random, partner: StoryPartner, role: str
    ) -> tuple[str, str] | None:
        if role != Role.RIGHTS_HOLDER or not partner.storytellers or rng.random() >= 0.4:
            return None
        name = rng.choice(partner.storytellers)
        contact = rng.choice(("via the local coordinator", f"stories@{partner.domain}"))
        return name, contact

    def submission_time(self, rng: random.Random, event_date: date) -> datetime:
        day = event_date + timedelta(days=rng.randint(2, 45))
        moment = datetime.combine(
            day, clock(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=self.timezone
        )
        return max(
            datetime.combine(event_date, clock(8), tzinfo=self.timezone),
            min(moment, self.cutoff),
        )


def chunks(total: int, size: int) -> Iterable[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


# The review questions and selection reasons that the demo history carries, in English: they
# are written by staff of the Swedish organisation.
REVIEW_QUESTIONS = (
    "Could you say how many people took part, and whether women were among those who spoke?",
    "When exactly did this happen, and what has changed since then?",
    "Can the storyteller say more about what the support contributed?",
)
SELECTION_REASONS = (
    "Shows people acting together and winning something concrete; the board should hear it.",
    "The clearest example this year of women taking part in decisions that concern them.",
    "A change the partner achieved largely on its own: a sign of a stronger organisation.",
)
# The steps behind each status, after "created": (action, status before, status after).
HISTORY_STEPS: dict[str, tuple[tuple[str, str, str], ...]] = {
    Status.DRAFT: (),
    Status.SUBMITTED: (("submitted", Status.DRAFT, Status.SUBMITTED),),
    Status.RETURNED: (
        ("submitted", Status.DRAFT, Status.SUBMITTED),
        ("returned", Status.SUBMITTED, Status.RETURNED),
    ),
    Status.VERIFIED: (
        ("submitted", Status.DRAFT, Status.SUBMITTED),
        ("verified", Status.SUBMITTED, Status.VERIFIED),
    ),
    Status.SELECTED: (
        ("submitted", Status.DRAFT, Status.SUBMITTED),
        ("verified", Status.SUBMITTED, Status.VERIFIED),
        ("selected", Status.VERIFIED, Status.SELECTED),
    ),
    Status.ARCHIVED: (
        ("submitted", Status.DRAFT, Status.SUBMITTED),
        ("archived", Status.SUBMITTED, Status.ARCHIVED),
    ),
}


def history_for(story: ChangeStory, story_id: int, reviewer_id: int) -> list[HistoryEvent]:
    """A plausible review trail for a demo story: who did what, a few days apart."""
    start = story.submitted_at or datetime.combine(ANCHOR, clock(9), tzinfo=ZoneInfo("UTC"))
    rng = random.Random(story.reference)
    events = [
        HistoryEvent(
            story_id=story_id,
            actor_id=story.submitted_by_id,
            action="created",
            to_status=Status.DRAFT if story.status == Status.DRAFT else Status.SUBMITTED,
            at=start,
        )
    ]
    for step, (action, before, after) in enumerate(HISTORY_STEPS[str(story.status)]):
        by_reviewer = action not in ("submitted",)
        comment = ""
        if action == "returned":
            comment = rng.choice(REVIEW_QUESTIONS)
        elif action == "selected":
            comment = rng.choice(SELECTION_REASONS)
        events.append(
            HistoryEvent(
                story_id=story_id,
                actor_id=reviewer_id if by_reviewer else story.submitted_by_id,
                action=action,
                from_status=before,
                to_status=after,
                comment=comment,
                at=start + timedelta(days=3 * step, minutes=5),
            )
        )
    return events


def insert_stories(planned: list[PlannedStory], reviewer_id: int) -> None:
    """One batch: stories, then their many-to-many rows and storytellers, by reference."""
    ChangeStory.objects.bulk_create([p.story for p in planned], batch_size=BATCH_SIZE)
    # Ids are read back by reference rather than trusted from bulk_create, which only fills
    # them in on databases that support RETURNING.
    ids = dict(
        ChangeStory.objects.filter(reference__in=[p.story.reference for p in planned]).values_list(
            "reference", "pk"
        )
    )
    change_types = ChangeStory.change_types.through
    target_groups = ChangeStory.target_groups.through
    change_type_rows = []
    target_group_rows = []
    storytellers = []
    for p in planned:
        story_id = ids[p.story.reference]
        change_type_rows += [
            change_types(changestory_id=story_id, changetype_id=pk) for pk in p.change_type_ids
        ]
        target_group_rows += [
            target_groups(changestory_id=story_id, targetgroup_id=pk) for pk in p.target_group_ids
        ]
        if p.storyteller is not None:
            name, contact = p.storyteller
            storytellers.append(Storyteller(story_id=story_id, name=name, contact=contact))
    change_types.objects.bulk_create(change_type_rows, batch_size=BATCH_SIZE)
    target_groups.objects.bulk_create(target_group_rows, batch_size=BATCH_SIZE)
    Storyteller.objects.bulk_create(storytellers, batch_size=BATCH_SIZE)
    HistoryEvent.objects.bulk_create(
        [
            event
            for p in planned
            for event in history_for(p.story, ids[p.story.reference], reviewer_id)
        ],
        batch_size=BATCH_SIZE,
    )
    # ``created_at`` is auto_now_add, which bulk_create overwrites with the current time; a
    # submitted story was created when it was submitted, so lists sort like real data.
    ChangeStory.objects.filter(pk__in=ids.values(), submitted_at__isnull=False).update(
        created_at=F("submitted_at")
    )


def seed_stories(
    world: DemoWorld, *, seed: int, total: int, progress: Callable[[int, int], None]
) -> int:
    """Insert the missing stories among ``DEMO-000001`` .. ``total``; return how many."""
    factory = StoryFactory(world, seed)
    created = 0
    for indices in chunks(total, BATCH_SIZE):
        references = [factory.reference(i) for i in indices]
        existing = set(
            ChangeStory.objects.filter(reference__in=references).values_list("reference", flat=True)
        )
        planned = [
            factory.build(i)
            for i, ref in zip(indices, references, strict=True)
            if ref not in existing
        ]
        if planned:
            with transaction.atomic():
                insert_stories(planned, reviewer_id=world.users["staff"].pk)
            created += len(planned)
        # With DEBUG on (the normal case here) Django keeps the last 9000 statements, each
        # batch insert being megabytes of SQL: without this a million stories need gigabytes.
        reset_queries()
        progress(indices.stop, created)
    return created


# --- The command --------------------------------------------------------------------------------


class Command(BaseCommand):
    verbosity = 1
    help = (
        "Create deterministic demo data (partners, programmes, networks, activity plans, "
        "change stories and demo logins). Idempotent; refuses to run unless DEBUG is on or "
        "--force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stories",
            type=int,
            default=DEFAULT_STORIES,
            help=f"Number of change stories to have (default {DEFAULT_STORIES}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same data (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. The demo logins have a published password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates logins with a published password and refuses to run while "
                "DEBUG is off. Use a development setting (DEBUG=true) or pass --force if you "
                "really want demo data in this database."
            )
        total: int = options["stories"]
        seed: int = options["seed"]
        if total < 0:
            raise CommandError("--stories must be zero or more.")
        self.verbosity = options["verbosity"]
        began = time.monotonic()

        with transaction.atomic():
            world = seed_world(seed)
        created = seed_stories(world, seed=seed, total=total, progress=self.report_progress)
        # Bulk inserts bypass the outbox: recompute the report figures from what is there now.
        aggregates.rebuild_all()

        if self.verbosity >= 1:
            self.print_summary(seed=seed, created=created, seconds=time.monotonic() - began)

    def report_progress(self, done: int, created: int) -> None:
        # Only large runs say anything on the way; a demo seed should stay quiet.
        if self.verbosity >= 1 and done % 100_000 == 0:
            self.stdout.write(f"  stories: {done:,} checked, {created:,} created")

    def print_summary(self, *, seed: int, created: int, seconds: float) -> None:
        partners = Partner.objects.count()
        confidential = Partner.objects.filter(is_confidential=True).count()
        rows = (
            ("partners", f"{partners} ({confidential} confidential)"),
            ("programmes", str(Program.objects.count())),
            ("projects", str(Project.objects.count())),
            ("activities", str(Activity.objects.count())),
            ("stories", f"{ChangeStory.objects.count()} ({created} new)"),
            ("users", str(User.objects.count())),
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (seed {seed}) in {seconds:.1f} s."))
        for label, value in rows:
            self.stdout.write(f"  {label:<11} {value}")
        self.stdout.write(f"Demo logins, all with password {DEMO_PASSWORD!r}:")
        for spec in USERS:
            self.stdout.write(f"  {spec.username:<9} {spec.label}")
        self.stdout.write(
            f"TOTP secret for admin and staff: {DEMO_TOTP_SECRET} (base32, any authenticator)."
        )
