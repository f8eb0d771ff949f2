"""The demo initiative `early-years`: a school-readiness initiative for francophone children.

Fictional organizations and figures, shaped like real ones: two school boards whose cohorts differ
fivefold (so pooling percentages differs from averaging them), a history before the baseline (so
the curve's turn can be judged), and reports in every state — approved, submitted, returned and
late — for the current quarter.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from impact.access import get_membership
from impact.models import Category, Dimension, Initiative, TargetPopulation
from indicators.models import (
    Baseline,
    DataValue,
    Indicator,
    Narrative,
    NarrativeStatus,
    PartnerReport,
    ReportEvent,
    Target,
)
from indicators.outcomes.engine import initiative_outcomes
from indicators.periods import Frequency, Period, periods_between
from indicators.reporting import notifications, services
from partners.models import Organization, OrganizationMember, Participation

SLUG = "early-years"
PASSWORD = "concerto-demo"
FISCAL_START = 4  # April, as in Ontario's public sector
QUARTERLY = Frequency.QUARTERLY
ANNUAL = Frequency.ANNUAL

ORGANIZATIONS = [
    # slug, English name, French name, sector, role
    (
        "reseau-petite-enfance",
        "Eastern Early Years Network",
        "Réseau Petite Enfance de l'Est",
        "non_profit",
        "backbone",
    ),
    (
        "maison-famille",
        "Prescott-Russell Family House",
        "Maison de la famille de Prescott-Russell",
        "non_profit",
        "partner",
    ),
    (
        "conseil-scolaire-est",
        "Eastern Catholic School Board",
        "Conseil scolaire catholique de l'Est",
        "public_institution",
        "partner",
    ),
    (
        "ecoles-publiques-est",
        "Eastern Public School Board",
        "Conseil des écoles publiques de l'Est",
        "public_institution",
        "partner",
    ),
    (
        "csc-estrie",
        "Estrie Community Health Centre",
        "Centre de santé communautaire de l'Estrie",
        "public_institution",
        "partner",
    ),
    (
        "bibliotheque-clarence",
        "Clarence-Rockland Public Library",
        "Bibliothèque publique de Clarence-Rockland",
        "public_institution",
        "partner",
    ),
    (
        "services-enfance-cu",
        "United Counties Children's Services",
        "Services à l'enfance des Comtés unis",
        "government",
        "partner",
    ),
    (
        "fondation-horizon",
        "Horizon Youth Foundation",
        "Fondation Horizon Jeunesse",
        "philanthropic",
        "funder",
    ),
]

USERS = [
    # username, first name, last name, email, organization (None: site admin)
    ("admin", "Alex", "Admin", "admin@example.org", None),
    ("coordinator", "Claire", "Lavoie", "claire.lavoie@example.org", "reseau-petite-enfance"),
    ("partner", "Mathieu", "Bélanger", "mathieu.belanger@example.org", "maison-famille"),
    ("partner2", "Amina", "Diallo", "amina.diallo@example.org", "conseil-scolaire-est"),
    ("funder", "Robert", "Chen", "robert.chen@example.org", "fondation-horizon"),
]

DIMENSIONS = [
    (
        "age",
        "Age group",
        "Groupe d'âge",
        [
            ("0-2", "0–2 years", "0 à 2 ans"),
            ("3-4", "3–4 years", "3 à 4 ans"),
            ("5-6", "5–6 years", "5 à 6 ans"),
        ],
    ),
    (
        "language",
        "First official language spoken",
        "Première langue officielle parlée",
        [
            ("fr", "French", "Français"),
            ("en", "English", "Anglais"),
            ("fr-en", "French and English", "Français et anglais"),
        ],
    ),
]


@dataclass
class Spec:
    code: str
    name_en: str
    name_fr: str
    definition_en: str
    definition_fr: str
    measure_type: str
    frequency: str
    accumulation: str = "per_period"
    direction: str = "increase"
    outcome: str | None = None
    reporters: tuple = ()
    dimensions: tuple = ()
    unit_en: str = ""
    unit_fr: str = ""
    decimals: int = 0
    multiplier: Decimal | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    source_en: str = ""
    source_fr: str = ""
    baseline: tuple = ()  # (period, value)
    targets: tuple = ()  # (period, value), ...


BOARDS = ("conseil-scolaire-est", "ecoles-publiques-est")

INDICATORS = [
    Spec(
        "R1",
        "Children ready for school",
        "Enfants prêts pour l'école",
        "Share of francophone kindergarten children who are not vulnerable in any of the five domains of the Early Development Instrument (EDI).",
        "Proportion des enfants francophones de maternelle qui ne sont vulnérables dans aucun des cinq domaines de l'Instrument de mesure du développement de la petite enfance (IMDPE).",
        "percentage",
        ANNUAL,
        outcome=None,
        reporters=BOARDS,
        dimensions=("language",),
        decimals=1,
        source_en="Early Development Instrument, school boards",
        source_fr="IMDPE, conseils scolaires",
        baseline=("2022", Decimal("61.4")),
        targets=(("2025", Decimal("68")), ("2028", Decimal("80"))),
    ),
    Spec(
        "R2",
        "Children vulnerable in language and cognitive development",
        "Enfants vulnérables sur le plan du langage et du développement cognitif",
        "Share of francophone kindergarten children who are vulnerable in the EDI's language and cognitive development domain.",
        "Proportion des enfants francophones de maternelle vulnérables dans le domaine « habiletés langagières et cognitives » de l'IMDPE.",
        "percentage",
        ANNUAL,
        direction="decrease",
        reporters=BOARDS,
        dimensions=("language",),
        decimals=1,
        source_en="Early Development Instrument, school boards",
        source_fr="IMDPE, conseils scolaires",
        baseline=("2022", Decimal("19.0")),
        targets=(("2025", Decimal("16.5")), ("2028", Decimal("12"))),
    ),
    Spec(
        "C1",
        "Families taking part in early-years programs",
        "Familles participant aux programmes de la petite enfance",
        "Families with a child aged 0 to 6 who attended at least one French-language early-years activity during the quarter; each family counted once per organization.",
        "Familles ayant un enfant de 0 à 6 ans qui ont participé à au moins une activité de la petite enfance en français pendant le trimestre; chaque famille comptée une fois par organisme.",
        "count",
        QUARTERLY,
        outcome="R1",
        reporters=("maison-famille", "bibliotheque-clarence", "csc-estrie"),
        dimensions=("age",),
        unit_en="families",
        unit_fr="familles",
        source_en="Partners' attendance records",
        source_fr="Registres de présence des partenaires",
        baseline=("2022-Q4", Decimal("412")),
        targets=(("2024-Q4", Decimal("520")), ("2026-Q4", Decimal("640"))),
    ),
    Spec(
        "C2",
        "Children screened for speech and language delays",
        "Enfants ayant fait l'objet d'un dépistage des retards de langage",
        "Children aged 18 months to 5 years screened in French for speech and language delays since April 2023 (running total).",
        "Enfants de 18 mois à 5 ans ayant fait l'objet d'un dépistage en français des retards de la parole et du langage depuis avril 2023 (total cumulatif).",
        "count",
        QUARTERLY,
        accumulation="cumulative",
        outcome="R2",
        reporters=("csc-estrie", "maison-famille"),
        unit_en="children",
        unit_fr="enfants",
        baseline=("2022-Q4", Decimal("0")),
        targets=(("2024-Q4", Decimal("900")), ("2027-Q4", Decimal("2400"))),
    ),
    Spec(
        "C3",
        "Investment in early-literacy activities",
        "Investissement dans les activités d'éveil à la lecture",
        "Money spent during the quarter on French-language early-literacy activities (staff, books, venues).",
        "Sommes dépensées pendant le trimestre pour des activités d'éveil à la lecture en français (personnel, livres, locaux).",
        "amount",
        QUARTERLY,
        outcome="R1",
        reporters=("bibliotheque-clarence", "maison-famille", "services-enfance-cu"),
        unit_en="$",
        unit_fr="$",
        decimals=0,
        baseline=("2022-Q4", Decimal("38500")),
        targets=(("2026-Q4", Decimal("60000")),),
    ),
    Spec(
        "C4",
        "Days a week parents read with their child",
        "Jours par semaine de lecture parent-enfant",
        "Mean number of days in a typical week that a parent reads in French with their child, from the partners' parent survey (n = parents answering).",
        "Nombre moyen de jours, dans une semaine typique, où un parent lit en français avec son enfant, selon le sondage des parents (n = parents répondants).",
        "mean",
        QUARTERLY,
        outcome="R1",
        reporters=("maison-famille", "bibliotheque-clarence"),
        unit_en="days",
        unit_fr="jours",
        decimals=1,
        min_value=Decimal("0"),
        max_value=Decimal("7"),
        baseline=("2022-Q4", Decimal("2.9")),
        targets=(("2026-Q4", Decimal("4")),),
    ),
    Spec(
        "C5",
        "Licensed French-language child-care spaces",
        "Places en garderie agréée de langue française",
        "Licensed French-language child-care spaces per 1,000 francophone children aged 0 to 5 (spaces ÷ children).",
        "Places en garderie agréée de langue française pour 1 000 enfants francophones de 0 à 5 ans (places ÷ enfants).",
        "rate",
        ANNUAL,
        accumulation="latest",
        outcome="R2",
        reporters=("services-enfance-cu",),
        multiplier=Decimal("1000"),
        decimals=0,
        source_en="Child care licensing registry; Statistics Canada",
        source_fr="Registre des permis de garde; Statistique Canada",
        baseline=("2022", Decimal("212")),
        targets=(("2028", Decimal("300")),),
    ),
    Spec(
        "C6",
        "Wait for a speech-language assessment",
        "Attente pour une évaluation en orthophonie",
        "Median number of days between referral and a first French-language speech-language assessment, at the one public clinic.",
        "Nombre médian de jours entre la recommandation et une première évaluation en orthophonie en français, à l'unique clinique publique.",
        "single",
        QUARTERLY,
        accumulation="latest",
        direction="decrease",
        outcome="R2",
        reporters=("csc-estrie",),
        unit_en="days",
        unit_fr="jours",
        baseline=("2022-Q4", Decimal("146")),
        targets=(("2026-Q4", Decimal("60")),),
    ),
]

FIRST_QUARTER = Period(QUARTERLY, 2023, 1, FISCAL_START)
LAST_QUARTER = Period(QUARTERLY, 2026, 2, FISCAL_START)  # July to September 2026, due 30 October 2026
ANNUAL_YEARS = range(2018, 2026)  # history before the 2022 baseline, then three years of results
CURRENT_STATES = {
    # the last quarter's reports; the others are approved
    "maison-famille": "submitted",
    "bibliotheque-clarence": "returned",
    "csc-estrie": "late",
    "services-enfance-cu": "approved",
}


def ensure_users(organizations):
    User = get_user_model()
    users = {}
    for username, first, last, email, org_slug in USERS:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
        user.first_name, user.last_name, user.email = first, last, email
        user.is_superuser = user.is_staff = org_slug is None
        user.set_password(PASSWORD)
        user.save()
        if org_slug:
            OrganizationMember.objects.get_or_create(user=user, organization=organizations[org_slug])
        users[username] = user
    return users


def ensure_organizations():
    organizations = {}
    for slug, name_en, name_fr, sector, _role in ORGANIZATIONS:
        organizations[slug], _ = Organization.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_fr": name_fr, "sector": sector}
        )
    return organizations


def create_framework(organizations):
    initiative = Initiative.objects.create(
        slug=SLUG,
        name_en="Ready for School — Eastern Ontario",
        name_fr="Prêts pour l'école — Est ontarien",
        issue_en=(
            "Nearly four in ten francophone children in Eastern Ontario start kindergarten vulnerable in at "
            "least one area of their development, most often language. In a minority-language setting, "
            "French-language services for young children are scattered, waiting lists are long, and many "
            "families do not know where to turn."
        ),
        issue_fr=(
            "Près de quatre enfants francophones sur dix de l'Est ontarien commencent la maternelle en étant "
            "vulnérables dans au moins un domaine de leur développement, le plus souvent le langage. En "
            "milieu minoritaire, les services en français pour la petite enfance sont dispersés, les listes "
            "d'attente sont longues et bien des familles ne savent pas à qui s'adresser."
        ),
        agenda_en=(
            "By 2028, eight in ten francophone children in the region start school ready to learn. Partners "
            "commit to reach families early, screen every child for language delays, make French-language "
            "child care available, and share one set of measures to learn together what works."
        ),
        agenda_fr=(
            "D'ici 2028, huit enfants francophones sur dix de la région commencent l'école prêts à apprendre. "
            "Les partenaires s'engagent à joindre les familles tôt, à dépister les retards de langage chez "
            "chaque enfant, à rendre la garde en français accessible et à partager un même ensemble de "
            "mesures pour apprendre ensemble ce qui fonctionne."
        ),
        geography_en="Prescott-Russell and Stormont, Dundas and Glengarry, Ontario",
        geography_fr="Prescott-Russell et Stormont, Dundas et Glengarry (Ontario)",
        start_date=datetime.date(2023, 4, 1),
        fiscal_year_start_month=FISCAL_START,
        report_due_days=30,
    )
    TargetPopulation.objects.create(
        initiative=initiative,
        description_en="Francophone children from birth to age 6 and their families.",
        description_fr="Les enfants francophones de la naissance à 6 ans et leurs familles.",
        area_en="Eastern Ontario: the United Counties of Prescott and Russell and of Stormont, Dundas and Glengarry",
        area_fr="Est ontarien : Comtés unis de Prescott et Russell et de Stormont, Dundas et Glengarry",
        estimated_size=9850,
        size_as_of=datetime.date(2021, 5, 11),
        size_source_en="Statistics Canada, 2021 Census",
        size_source_fr="Statistique Canada, Recensement de 2021",
    )
    for slug, *_names, role in ORGANIZATIONS:
        Participation.objects.create(initiative=initiative, organization=organizations[slug], role=role)
    categories = {}
    for order, (code, name_en, name_fr, members) in enumerate(DIMENSIONS):
        dimension = Dimension.objects.create(
            initiative=initiative, code=code, name_en=name_en, name_fr=name_fr, order=order
        )
        for position, (category_code, category_en, category_fr) in enumerate(members):
            categories[(code, category_code)] = Category.objects.create(
                dimension=dimension,
                code=category_code,
                name_en=category_en,
                name_fr=category_fr,
                order=position,
            )
    dimensions = {d.code: d for d in initiative.dimensions.all()}
    indicators = {}
    for order, spec in enumerate(INDICATORS):
        indicator = Indicator.objects.create(
            initiative=initiative,
            code=spec.code,
            order=order,
            name_en=spec.name_en,
            name_fr=spec.name_fr,
            definition_en=spec.definition_en,
            definition_fr=spec.definition_fr,
            level="contributing" if spec.outcome else "outcome",
            outcome=indicators.get(spec.outcome),
            measure_type=spec.measure_type,
            direction=spec.direction,
            frequency=spec.frequency,
            accumulation=spec.accumulation,
            multiplier=spec.multiplier,
            unit_en=spec.unit_en,
            unit_fr=spec.unit_fr,
            data_source_en=spec.source_en,
            data_source_fr=spec.source_fr,
            decimals=spec.decimals,
            min_value=spec.min_value,
            max_value=spec.max_value,
        )
        indicator.dimensions.set([dimensions[code] for code in spec.dimensions])
        indicator.reporting_organizations.set([organizations[slug] for slug in spec.reporters])
        period, value = spec.baseline
        Baseline.objects.create(indicator=indicator, period=period, value=value, note="")
        for period, value in spec.targets:
            Target.objects.create(indicator=indicator, period=period, value=value)
        indicators[spec.code] = indicator
    # Equity: the baseline and targets of school readiness per first official language.
    for category, baseline, target in (
        ("fr", "63.0", "82"),
        ("en", "55.8", "75"),
        ("fr-en", "60.1", "80"),
    ):
        Baseline.objects.create(
            indicator=indicators["R1"],
            category=categories[("language", category)],
            period="2022",
            value=Decimal(baseline),
        )
        Target.objects.create(
            indicator=indicators["R1"],
            category=categories[("language", category)],
            period="2028",
            value=Decimal(target),
        )
    return initiative, indicators, categories


class Figures:
    """Deterministic, plausible figures: trends with some noise, seeded so every run is identical."""

    def __init__(self):
        self.random = random.Random(2026)

    def noise(self, spread):
        return self.random.uniform(-spread, spread)

    def school_readiness(self, board, year, *, vulnerable_in_language=False):
        """Return {category: (numerator, denominator)} for a school board's kindergarten cohort."""
        cohort = 1380 if board == BOARDS[0] else 276
        # Falling before the initiative, rising after its start in 2023.
        ready_share = 0.640 - 0.007 * (min(year, 2022) - 2018) + 0.026 * max(0, year - 2022)
        if board == BOARDS[1]:
            ready_share -= 0.06  # smaller board, more children from exogamous families
        if vulnerable_in_language:
            ready_share = 0.135 + 0.004 * (min(year, 2022) - 2018) - 0.011 * max(0, year - 2022)
            ready_share += 0.03 if board == BOARDS[1] else 0
        shares = {
            "fr": (0.72, 0.04),
            "en": (0.10, -0.08 if not vulnerable_in_language else 0.05),
            "fr-en": (0.18, -0.01),
        }
        figures = {}
        for category, (weight, gap) in shares.items():
            denominator = round(cohort * weight * (1 + self.noise(0.05)))
            share = min(max(ready_share + gap + self.noise(0.01), 0.01), 0.99)
            figures[category] = (round(denominator * share), denominator)
        return figures

    def quarterly(self, code, organization, index):
        """Return a dict of DataValue fields for quarter number ``index`` (0 = April–June 2023)."""
        growth = 1 + 0.035 * index
        if code == "C1":
            base = {"maison-famille": 210, "bibliotheque-clarence": 120, "csc-estrie": 95}[organization]
            return {"value": Decimal(round(base * growth * (1 + self.noise(0.06))))}
        if code == "C2":
            base = {"csc-estrie": 58, "maison-famille": 21}[organization]
            return {"value": Decimal(round(base * (1 + 0.02 * index) * (1 + self.noise(0.1))))}
        if code == "C3":
            base = {
                "bibliotheque-clarence": 14500,
                "maison-famille": 19000,
                "services-enfance-cu": 9000,
            }[organization]
            return {"value": Decimal(round(base * (1 + 0.02 * index) * (1 + self.noise(0.08)), -1))}
        if code == "C4":
            mean = (
                2.9
                + 0.06 * index
                + self.noise(0.15)
                + (0.2 if organization == "bibliotheque-clarence" else 0)
            )
            n = round(
                {"maison-famille": 160, "bibliotheque-clarence": 45}[organization] * (1 + self.noise(0.2))
            )
            return {"value": Decimal(f"{mean:.2f}"), "denominator": Decimal(n)}
        if code == "C6":
            return {"value": Decimal(max(45, round(146 - 6.5 * index + self.noise(8))))}
        raise ValueError(code)


def split(total, weights, figures):
    """Split a count into categories that add up to at most the total (some ages are unknown)."""
    parts = {}
    remaining = int(total)
    for category, weight in weights:
        part = min(remaining, round(int(total) * weight * (1 + figures.noise(0.05))))
        parts[category] = Decimal(part)
        remaining -= part
    return parts


def create_reports(initiative, indicators, categories, organizations, users):
    """Enter, submit and review three years of reports through the report services."""
    figures = Figures()
    coordinator = users["coordinator"]
    backbone = get_membership(coordinator, SLUG)
    memberships = {
        "maison-famille": get_membership(users["partner"], SLUG),
        "conseil-scolaire-est": get_membership(users["partner2"], SLUG),
    }
    by_frequency = {}
    for spec in INDICATORS:
        for organization in spec.reporters:
            by_frequency.setdefault((spec.frequency, organization), []).append(spec)

    def enter(organization, period, rows, final_state):
        partner_user = (
            users["partner"]
            if organization == "maison-famille"
            else users["partner2"]
            if organization == "conseil-scolaire-est"
            else coordinator
        )
        membership = memberships.get(organization, backbone)
        report = services.report_get_or_create(
            initiative=initiative, organization=organizations[organization], period_key=period.key
        )
        report = services.report_values_save(
            report=report,
            membership=membership,
            user=partner_user,
            values=rows,
            version=report.version,
        )
        if final_state in ("draft", "late"):
            backdate(report, period)
            return report
        report = services.report_submit(report=report, membership=membership, user=partner_user)
        if final_state == "approved":
            report = services.report_approve(report=report, membership=backbone, user=coordinator)
        elif final_state == "returned":
            investment = report.values.get(indicator__code="C3", category=None)
            report = services.report_return(
                report=report,
                membership=backbone,
                user=coordinator,
                comment="Merci! Une seule correction / Thank you! One correction.",
                value_comments={
                    investment.pk: "Ce montant semble annuel : inscrivez les dépenses du trimestre seulement. / "
                    "This looks like the yearly amount: enter the quarter's spending only."
                },
            )
        backdate(report, period)
        return report

    # Annual indicators: the two school boards (history before the baseline included) and child care.
    for year in ANNUAL_YEARS:
        period = Period(ANNUAL, year, 1, FISCAL_START)
        for board in BOARDS:
            rows = []
            for code, language_flag in (("R1", False), ("R2", True)):
                per_category = figures.school_readiness(board, year, vulnerable_in_language=language_flag)
                total_num = sum(n for n, _ in per_category.values())
                total_den = sum(d for _, d in per_category.values())
                rows.append(
                    {
                        "indicator": indicators[code],
                        "numerator": Decimal(total_num),
                        "denominator": Decimal(total_den),
                    }
                )
                for category, (numerator, denominator) in per_category.items():
                    rows.append(
                        {
                            "indicator": indicators[code],
                            "category": categories[("language", category)],
                            "numerator": Decimal(numerator),
                            "denominator": Decimal(denominator),
                        }
                    )
            enter(board, period, rows, "approved")
        if year >= 2022:
            spaces = 1780 + 95 * (year - 2022)
            children = 8400 + 60 * (year - 2022)
            enter(
                "services-enfance-cu",
                period,
                [
                    {
                        "indicator": indicators["C5"],
                        "numerator": Decimal(spaces),
                        "denominator": Decimal(children),
                    }
                ],
                "approved",
            )

    # Quarterly indicators, April 2023 to September 2026.
    quarters = periods_between(FIRST_QUARTER, LAST_QUARTER)
    for index, period in enumerate(quarters):
        for organization in (
            "maison-famille",
            "bibliotheque-clarence",
            "csc-estrie",
            "services-enfance-cu",
        ):
            rows = []
            for spec in by_frequency.get((QUARTERLY, organization), []):
                fields = figures.quarterly(spec.code, organization, index)
                rows.append({"indicator": indicators[spec.code], **fields})
                if spec.code == "C1":
                    weights = (("0-2", 0.34), ("3-4", 0.38), ("5-6", 0.25))
                    for category, value in split(fields["value"], weights, figures).items():
                        rows.append(
                            {
                                "indicator": indicators["C1"],
                                "category": categories[("age", category)],
                                "value": value,
                            }
                        )
            if organization == "bibliotheque-clarence" and period == LAST_QUARTER:
                rows = [
                    row if row["indicator"].code != "C3" else {**row, "value": row["value"] * 4}
                    for row in rows
                ]
            state = CURRENT_STATES[organization] if period == LAST_QUARTER else "approved"
            enter(organization, period, rows, state)


def backdate(report, period):
    """Give a demo report the dates it would have had: entered and submitted before its due date,
    reviewed after."""
    due = datetime.datetime.combine(
        report.due_date, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    now = timezone.now()
    entered = min(due - datetime.timedelta(days=12), now)
    submitted = min(due - datetime.timedelta(days=5), now)
    reviewed = min(due + datetime.timedelta(days=3), now)
    DataValue.history.filter(report_id=report.pk, history_type="+").update(history_date=entered)
    DataValue.history.filter(report_id=report.pk, history_type="~").update(history_date=reviewed)
    PartnerReport.objects.filter(pk=report.pk).update(
        submitted_at=submitted, reviewed_at=reviewed if report.reviewed_at else None
    )
    report.events.filter(action=ReportEvent.Action.SUBMIT).update(at=submitted)
    report.events.exclude(action=ReportEvent.Action.SUBMIT).update(at=reviewed)


def seed_demo():
    """Create the demo initiative, its organizations, logins and data; return (initiative, created).

    Nobody is emailed about the years of reports it replays.
    """
    with notifications.muted():
        return _seed_demo()


def measure_baselines(initiative, codes):
    """Set the outcomes' baselines (total and per category) to what the 2022 reports measured."""
    chosen = initiative.indicators.filter(code__in=codes)
    outcomes = initiative_outcomes(initiative, indicators=chosen)
    for outcome in outcomes.values():
        for series in [outcome.total, *outcome.categories.values()]:
            point = next((p for p in series.points if p.period.key == "2022"), None)
            if point is None or point.value is None:
                continue
            Baseline.objects.filter(indicator=outcome.indicator, category=series.category).update(
                value=round(point.value, 1)
            )


@transaction.atomic
def _seed_demo():
    organizations = ensure_organizations()
    users = ensure_users(organizations)
    initiative = Initiative.objects.filter(slug=SLUG).first()
    if initiative:
        return initiative, False
    initiative, indicators, categories = create_framework(organizations)
    create_reports(initiative, indicators, categories, organizations, users)
    measure_baselines(initiative, ("R1", "R2"))
    write_stories(initiative, users["coordinator"])
    return initiative, True


STORIES = {
    # code, period, published?: the story behind the curve, in both languages
    ("R1", "2025", True): {
        "story_en": "School readiness has risen three years in a row, from 62.6% at the baseline to 69.8%. "
        "The gain is largest among francophone children, where early-years programs reach more families. "
        "Children from English-speaking homes gained too, but still trail by about 12 points.",
        "story_fr": "La préparation à l'école progresse depuis trois ans, de 62,6 % au point de départ à 69,8 %. "
        "Le gain est le plus fort chez les enfants francophones, là où les programmes de la petite enfance "
        "rejoignent plus de familles. Les enfants de foyers anglophones progressent aussi, mais restent "
        "environ 12 points derrière.",
        "partners_en": "Prescott-Russell Family House and the Clarence-Rockland Public Library doubled their "
        "read-aloud sessions; both school boards share their kindergarten screening results each fall.",
        "partners_fr": "La Maison de la famille de Prescott-Russell et la Bibliothèque publique de "
        "Clarence-Rockland ont doublé leurs heures du conte; les deux conseils scolaires partagent les "
        "résultats du dépistage à la maternelle chaque automne.",
        "next_steps_en": "Reach English-speaking and bilingual families through the health centre's "
        "prenatal classes, and add two play-based learning groups in the east of the region.",
        "next_steps_fr": "Rejoindre les familles anglophones et bilingues par les cours prénataux du centre "
        "de santé, et ouvrir deux groupes d'apprentissage par le jeu dans l'est de la région.",
    },
    ("R2", "2025", True): {
        "story_en": "Fewer children are vulnerable in language and cognitive development: 15.3%, down from "
        "19.0% at the baseline. Earlier screening means delays are caught before kindergarten, but waiting "
        "lists for speech-language assessments are still long.",
        "story_fr": "Moins d'enfants sont vulnérables sur le plan du langage et du développement cognitif : "
        "15,3 %, contre 19,0 % au point de départ. Le dépistage précoce repère les retards avant la "
        "maternelle, mais l'attente pour une évaluation en orthophonie reste longue.",
        "partners_en": "The Estrie Community Health Centre screens at 18-month visits; the United Counties' "
        "child-care centres opened 40 French-language spaces.",
        "partners_fr": "Le Centre de santé communautaire de l'Estrie fait le dépistage au rendez-vous de "
        "18 mois; les Services à l'enfance des Comtés unis ont ouvert 40 places en français.",
        "next_steps_en": "Screening is behind its target: the partners will train child-care educators to "
        "screen, and ask the province for a second speech-language pathologist.",
        "next_steps_fr": "Le dépistage accuse du retard sur la cible : les partenaires formeront les "
        "éducatrices en garderie au dépistage et demanderont à la province une deuxième orthophoniste.",
    },
    ("C2", "2026-Q1", False): {
        "story_en": "Screening picked up in the first quarter, but two clinics were short-staffed.",
        "story_fr": "Le dépistage a repris au premier trimestre, mais deux cliniques manquaient de personnel.",
    },
}


def write_stories(initiative, coordinator):
    """Write the demo's stories behind the curve: two published, one still a draft."""
    indicators = {indicator.code: indicator for indicator in initiative.indicators.all()}
    published_at = timezone.now()
    for (code, period, published), texts in STORIES.items():
        narrative = Narrative(
            indicator=indicators[code],
            period=period,
            author=coordinator,
            status=NarrativeStatus.PUBLISHED if published else NarrativeStatus.DRAFT,
            published_at=published_at if published else None,
            **texts,
        )
        narrative._history_user = coordinator
        narrative.save()
