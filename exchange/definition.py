"""Export and import an initiative's whole framework as JSON (the format is in docs/definition-format.md).

Import validates every object with the same forms the coordinator pages use, so a file is held to
exactly the rules a person typing it in would be, and writes it through the same services; it runs
in one transaction: one error and nothing is created.
"""

import reprlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.bilingual import LANGUAGE_CODES
from core.forms import model_fields
from core.numbers import plain
from impact import services as impact_services
from impact.forms import CategoryForm, DimensionForm, InitiativeForm, PopulationForm
from impact.models import Category, Dimension, Initiative, TargetPopulation
from indicators import services
from indicators.forms import BaselineForm, IndicatorForm, NarrativeForm, TargetForm
from indicators.models import Indicator, Narrative, NarrativeStatus, Target
from indicators.periods import PeriodError, parse_period
from partners import services as partners_services
from partners.forms import OrganizationCreateForm
from partners.models import Organization, Participation

FORMAT = "concerto.initiative"
VERSION = 1
LISTS = ("dimensions", "reporting_organizations")  # form fields that take the lists we build


class DefinitionError(Exception):
    """A definition file that cannot be imported; ``messages`` lists every problem found."""

    def __init__(self, messages):
        super().__init__("\n".join(messages))
        self.messages = messages


# Export ----------------------------------------------------------------------------------------


def texts(instance, field):
    return {code: getattr(instance, f"{field}_{code}") for code in LANGUAGE_CODES}


def number(value):
    """Write a Decimal without trailing zeros or exponent: Decimal('62.500000') -> '62.5'."""
    return None if value is None else plain(value)


def iso(day):
    return day.isoformat() if day else None


def export_definition(initiative):
    """Return the initiative's framework as a JSON-ready dict."""
    population = TargetPopulation.objects.filter(initiative=initiative).first()
    participations = initiative.participations.select_related("organization").order_by("organization__slug")
    dimensions = initiative.dimensions.prefetch_related("categories").order_by("order", "code")
    indicators = initiative.indicators.select_related("outcome").prefetch_related(
        "dimensions",
        "reporting_organizations",
        "baselines__category__dimension",
        "targets__category__dimension",
        "narratives",
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "initiative": {
            "slug": initiative.slug,
            "name": texts(initiative, "name"),
            "issue": texts(initiative, "issue"),
            "agenda": texts(initiative, "agenda"),
            "geography": texts(initiative, "geography"),
            "start_date": iso(initiative.start_date),
            "fiscal_year_start_month": initiative.fiscal_year_start_month,
            "report_due_days": initiative.report_due_days,
            "small_cell_threshold": initiative.small_cell_threshold,
            "status": initiative.status,
        },
        "population": population
        and {
            "description": texts(population, "description"),
            "area": texts(population, "area"),
            "estimated_size": population.estimated_size,
            "size_as_of": iso(population.size_as_of),
            "size_source": texts(population, "size_source"),
        },
        "dimensions": [
            {
                "code": dimension.code,
                "name": texts(dimension, "name"),
                "order": dimension.order,
                "categories": [
                    {"code": c.code, "name": texts(c, "name"), "order": c.order}
                    for c in dimension.categories.all()
                ],
            }
            for dimension in dimensions
        ],
        "organizations": [
            {
                "slug": p.organization.slug,
                "name": texts(p.organization, "name"),
                "sector": p.organization.sector,
                "website": p.organization.website,
                "role": p.role,
            }
            for p in participations
        ],
        "indicators": [export_indicator(indicator) for indicator in indicators],
    }


def export_indicator(indicator):
    return {
        "code": indicator.code,
        "order": indicator.order,
        "name": texts(indicator, "name"),
        "definition": texts(indicator, "definition"),
        "level": indicator.level,
        "outcome": indicator.outcome.code if indicator.outcome else None,
        "measure_type": indicator.measure_type,
        "direction": indicator.direction,
        "frequency": indicator.frequency,
        "accumulation": indicator.accumulation,
        "multiplier": number(indicator.multiplier),
        "unit": texts(indicator, "unit"),
        "data_source": texts(indicator, "data_source"),
        "decimals": indicator.decimals,
        "min_value": number(indicator.min_value),
        "max_value": number(indicator.max_value),
        "dimensions": sorted(d.code for d in indicator.dimensions.all()),
        "reporting_organizations": sorted(o.slug for o in indicator.reporting_organizations.all()),
        "baselines": [export_milestone(b) for b in sorted(indicator.baselines.all(), key=milestone_key)],
        "targets": [export_milestone(t) for t in sorted(indicator.targets.all(), key=milestone_key)],
        "stories": [export_story(n) for n in sorted(indicator.narratives.all(), key=lambda n: n.period)],
    }


def export_story(narrative):
    """The story behind the curve of one period: the backbone's own words, drafts included."""
    return {
        "period": narrative.period,
        "status": narrative.status,
        "published_at": narrative.published_at.isoformat(timespec="seconds")
        if narrative.published_at
        else None,
        "story": texts(narrative, "story"),
        "partners": texts(narrative, "partners"),
        "next_steps": texts(narrative, "next_steps"),
    }


def milestone_key(milestone):
    category = milestone.category
    return (
        category is not None,
        category and category.dimension.code,
        category and category.code,
        milestone.period,
    )


def export_milestone(milestone):
    category = milestone.category
    return {
        "dimension": category.dimension.code if category else None,
        "category": category.code if category else None,
        "period": milestone.period,
        "value": number(milestone.value),
        "note": milestone.note,
    }


# Import ----------------------------------------------------------------------------------------


class DefinitionImporter:
    """Builds an initiative from a definition document, collecting every problem it meets."""

    def __init__(self, document, slug=None):
        self.document = document
        self.slug = slug
        self.errors = []

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def form_errors(self, where, form):
        for field, messages in form.errors.items():
            label = where if field == "__all__" else f"{where}.{field}"
            for message in messages:
                self.error(label, message)

    def section(self, key, kind, item=None, where=None):
        """``item[key]`` (the document's by default) if it is a ``kind``; empty if missing or not."""
        value = (self.document if item is None else item).get(key)
        if value is None:
            return kind()
        if not isinstance(value, kind):
            self.error(
                f"{where}.{key}" if where else key, f"must be a {'list' if kind is list else 'JSON object'}"
            )
            return kind()
        return value

    def codes(self, item, key, where):
        """The list of codes (or slugs) ``item[key]``, or None, said, when it is something else."""
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            self.error(f"{where}.{key}", "must be a list of codes")
            return None
        return value

    def text(self, item, key, where):
        """The code or text ``item[key]`` (None if missing); a list or object there is said to be wrong."""
        value = item.get(key)
        if value is None or isinstance(value, str):
            return value
        self.error(f"{where}.{key}", f"must be a text, not {reprlib.repr(value)}")
        return False

    def bilingual(self, item, field, where):
        value = item.get(field) or {}
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.error(f"{where}.{field}", 'must be {"en": "…", "fr": "…"}')
            return {}
        return {f"{field}_{code}": value.get(code) or "" for code in LANGUAGE_CODES}

    def bind(self, form_class, data, where, **kwargs):
        """Validate ``data`` with a page's form; return the form if valid, else record its errors.

        Forms read what a browser posts, texts: a number is given as its text, and a list or an
        object where a text belongs is refused here (a form would take its repr as the text).
        """
        posted = {}
        for key, value in data.items():
            if isinstance(value, list | dict) and key not in LISTS:
                self.error(
                    f"{where}.{key.removeprefix('new-')}",
                    f"must be a text or a number, not {reprlib.repr(value)}",
                )
                return None
            posted[key] = value if value is None or isinstance(value, str | list) else str(value)
        form = form_class(data=posted, **kwargs)
        if form.is_valid():
            return form
        self.form_errors(where, form)
        return None

    def run(self):
        document = self.document
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise DefinitionError([f'not a Concerto initiative definition (expected "format": "{FORMAT}")'])
        if document.get("version") != VERSION:
            raise DefinitionError(
                [
                    f"unsupported version {reprlib.repr(document.get('version'))}; "
                    f"this Concerto reads version {VERSION}"
                ]
            )
        with transaction.atomic():
            initiative = self.create_initiative()
            if initiative:
                self.create_dimensions(initiative)
                self.create_organizations(initiative)
                self.create_indicators(initiative)
                if not initiative.participations.filter(role=Participation.Role.BACKBONE).exists():
                    self.error(
                        "organizations", "no organization has the role “backbone”: someone must coordinate"
                    )
            if self.errors:
                raise DefinitionError(self.errors)  # rolls back everything created above
        return initiative

    def create_initiative(self):
        item = self.section("initiative", dict)
        slug = self.slug or self.text(item, "slug", "initiative")
        if slug is False:
            return None
        if not slug:
            self.error("initiative.slug", "is missing")
            return None
        if Initiative.objects.filter(slug=slug).exists():
            self.error(
                "initiative.slug",
                f"an initiative “{slug}” exists already; choose another slug (--slug)",
            )
            return None
        try:
            Initiative._meta.get_field("slug").clean(slug, None)
        except ValidationError as error:
            for message in error.messages:
                self.error("initiative.slug", message)
            return None
        data = {
            **self.bilingual(item, "name", "initiative"),
            **self.bilingual(item, "issue", "initiative"),
            **self.bilingual(item, "agenda", "initiative"),
            **self.bilingual(item, "geography", "initiative"),
            **{
                key: item.get(key)
                for key in (
                    "start_date",
                    "fiscal_year_start_month",
                    "report_due_days",
                    "small_cell_threshold",
                    "status",
                )
            },
        }
        form = self.bind(InitiativeForm, data, "initiative", instance=Initiative(slug=slug))
        if form is None:
            return None
        return impact_services.initiative_create(
            fields={"slug": slug, **model_fields(form)}, population=self.population()
        )

    def population(self):
        """The population's fields, when the file's are valid (else the errors are said)."""
        item = self.section("population", dict)
        data = {
            **self.bilingual(item, "description", "population"),
            **self.bilingual(item, "area", "population"),
            **self.bilingual(item, "size_source", "population"),
            "estimated_size": item.get("estimated_size"),
            "size_as_of": item.get("size_as_of"),
        }
        form = self.bind(PopulationForm, data, "population", instance=TargetPopulation())
        return model_fields(form) if form else None

    def create_dimensions(self, initiative):
        self.categories = {}
        for index, item in enumerate(self.section("dimensions", list)):
            where = f"dimensions[{index}]"
            if not isinstance(item, dict):
                self.error(where, "must be a JSON object")
                continue
            data = {
                "code": item.get("code"),
                "order": item.get("order", index),
                **self.bilingual(item, "name", where),
            }
            form = self.bind(
                DimensionForm,
                data,
                where,
                instance=Dimension(initiative=initiative),
                initiative=initiative,
            )
            if form is None:
                continue
            dimension = impact_services.dimension_save(
                dimension=Dimension(initiative=initiative), fields=model_fields(form)
            )
            for position, category_item in enumerate(self.section("categories", list, item, where)):
                place = f"{where}.categories[{position}]"
                if not isinstance(category_item, dict):
                    self.error(place, "must be a JSON object")
                    continue
                data = {
                    "code": category_item.get("code"),
                    "order": category_item.get("order", position),
                    **self.bilingual(category_item, "name", place),
                }
                category_form = self.bind(CategoryForm, data, place, instance=Category(dimension=dimension))
                if category_form is None:
                    continue
                code = category_form.cleaned_data["code"]
                if (dimension.code, code) in self.categories:
                    self.error(place, f"category “{code}” appears twice")
                    continue
                self.categories[(dimension.code, code)] = impact_services.category_save(
                    category=Category(), dimension=dimension, fields=model_fields(category_form)
                )

    def create_organizations(self, initiative):
        self.organizations = {}
        items = self.section("organizations", list)
        existing = Organization.objects.in_bulk(
            [item["slug"] for item in items if isinstance(item, dict) and isinstance(item.get("slug"), str)],
            field_name="slug",
        )
        for index, item in enumerate(items):
            where = f"organizations[{index}]"
            if not isinstance(item, dict):
                self.error(where, "must be a JSON object")
                continue
            role = item.get("role")
            if role not in Participation.Role.values:
                self.error(f"{where}.role", f"must be one of {', '.join(Participation.Role.values)}")
                continue
            slug = self.text(item, "slug", where)
            if slug is False:
                continue
            organization = existing.get(slug)
            if organization is None:
                data = {
                    "slug": slug,
                    "sector": item.get("sector"),
                    "website": item.get("website") or "",
                    "role": role,
                    **self.bilingual(item, "name", where),
                }
                form = self.bind(OrganizationCreateForm, {f"new-{k}": v for k, v in data.items()}, where)
                if form is None:
                    continue
                organization = partners_services.organization_create(
                    fields=model_fields(form), initiative=initiative, role=role
                ).organization
            elif organization.slug in self.organizations:
                self.error(where, f"organization “{organization.slug}” appears twice")
                continue
            else:
                partners_services.participation_add(
                    initiative=initiative, organization=organization, role=role
                )
            self.organizations[organization.slug] = organization

    def create_indicators(self, initiative):
        items = self.section("indicators", list)
        # Outcomes first, so that contributing measures can point at them whatever the file's order.
        ordered = sorted(
            enumerate(items),
            key=lambda pair: not (isinstance(pair[1], dict) and pair[1].get("level") == "outcome"),
        )
        created = {}
        dimensions = {d.code: d.pk for d in initiative.dimensions.all()}
        for index, item in ordered:
            where = f"indicators[{index}]"
            if not isinstance(item, dict):
                self.error(where, "must be a JSON object")
                continue
            if isinstance(item.get("code"), str):
                where = f"{where} ({item['code']})"
            outcome_code = self.text(item, "outcome", where)
            dimension_codes = self.codes(item, "dimensions", where)
            organization_slugs = self.codes(item, "reporting_organizations", where)
            if outcome_code is False or dimension_codes is None or organization_slugs is None:
                continue
            if outcome_code and outcome_code not in created:
                self.error(f"{where}.outcome", f"no population-level outcome “{outcome_code}” in this file")
                continue
            unknown = [code for code in dimension_codes if code not in dimensions]
            unknown += [slug for slug in organization_slugs if slug not in self.organizations]
            if unknown:
                self.error(where, f"refers to unknown dimensions or organizations: {', '.join(unknown)}")
                continue
            data = {
                key: item.get(key)
                for key in (
                    "code",
                    "level",
                    "measure_type",
                    "direction",
                    "frequency",
                    "accumulation",
                    "decimals",
                )
            }
            data |= {
                key: item.get(key) if item.get(key) is not None else ""
                for key in ("multiplier", "min_value", "max_value")
            }
            data |= {
                "order": item.get("order", index),
                "outcome": created[outcome_code].pk if outcome_code else "",
                "dimensions": [dimensions[code] for code in dimension_codes],
                "reporting_organizations": [self.organizations[slug].pk for slug in organization_slugs],
                **self.bilingual(item, "name", where),
                **self.bilingual(item, "definition", where),
                **self.bilingual(item, "unit", where),
                **self.bilingual(item, "data_source", where),
            }
            form = self.bind(
                IndicatorForm,
                data,
                where,
                instance=Indicator(initiative=initiative),
                initiative=initiative,
            )
            if form is None:
                continue
            indicator = services.indicator_save(indicator=form.instance, fields=model_fields(form))
            created[indicator.code] = indicator
            for key, form_class in (("baselines", BaselineForm), ("targets", TargetForm)):
                milestones = self.section(key, list, item, where)
                self.create_milestones(indicator, milestones, form_class, f"{where}.{key}")
            self.create_stories(indicator, self.section("stories", list, item, where), f"{where}.stories")

    def create_stories(self, indicator, items, where):
        seen = set()
        for index, item in enumerate(items):
            place = f"{where}[{index}]"
            if not isinstance(item, dict):
                self.error(place, "must be a JSON object")
                continue
            period_key, status = self.text(item, "period", place), item.get("status", NarrativeStatus.DRAFT)
            if period_key is False:
                continue
            try:
                period = parse_period(period_key or "", indicator.initiative.fiscal_year_start_month)
            except PeriodError as error:
                self.error(f"{place}.period", str(error))
                continue
            if period.key != period_key or period.frequency != indicator.frequency:
                self.error(f"{place}.period", f"“{period_key}” is not a period of this indicator")
                continue
            if period.key in seen:
                self.error(place, f"a second story for {period.key}")
                continue
            if status not in NarrativeStatus.values:
                self.error(f"{place}.status", f"must be one of {', '.join(NarrativeStatus.values)}")
                continue
            published_at = self.text(item, "published_at", place)
            if published_at is False:
                continue
            try:
                moment = parse_datetime(published_at) if published_at else None
            except ValueError:
                moment = None
            if published_at and moment is None:
                self.error(f"{place}.published_at", f"“{published_at}” is not a date and time")
                continue
            data = {
                **self.bilingual(item, "story", place),
                **self.bilingual(item, "partners", place),
                **self.bilingual(item, "next_steps", place),
            }
            form = self.bind(NarrativeForm, data, place, instance=Narrative())
            if form is None:
                continue
            seen.add(period.key)
            narrative = services.narrative_save(
                narrative=None,
                indicator=indicator,
                period_key=period.key,
                fields=model_fields(form),
                user=None,
                status=status,
            )
            if narrative.published_at and moment:  # when it was published, not the day of the import
                Narrative.objects.filter(pk=narrative.pk).update(published_at=moment)

    def create_milestones(self, indicator, items, form_class, where):
        model = form_class._meta.model
        seen = set()
        for index, item in enumerate(items):
            place = f"{where}[{index}]"
            if not isinstance(item, dict):
                self.error(place, "must be a JSON object")
                continue
            category = None
            dimension_code, category_code = (
                self.text(item, "dimension", place),
                self.text(item, "category", place),
            )
            if dimension_code is False or category_code is False:
                continue
            if dimension_code or category_code:
                category = self.categories.get((dimension_code, category_code))
                if category is None:
                    self.error(place, f"unknown category “{dimension_code}: {category_code}”")
                    continue
            value = item.get("value")
            try:
                if isinstance(value, list | dict):
                    raise InvalidOperation
                value = Decimal(str(value)) if value is not None else ""
            except InvalidOperation:
                self.error(
                    f"{place}.value",
                    f"“{value if isinstance(value, str) else reprlib.repr(value)}” is not a number",
                )
                continue
            data = {
                "category": category.pk if category else "",
                "period": item.get("period"),
                "value": value,
                "note": item.get("note") or "",
            }
            form = self.bind(
                form_class, data, place, instance=model(indicator=indicator), indicator=indicator
            )
            if form is None:
                continue
            key = (data["category"], form.cleaned_data["period"] if model is Target else None)
            if key in seen:
                self.error(
                    place,
                    "repeats an earlier entry for the same category"
                    + (" and period" if model is Target else ""),
                )
                continue
            seen.add(key)
            services.milestones_save(
                indicator=indicator, changes=[(form.instance, model_fields(form))], reason=None, user=None
            )


def import_definition(document, *, slug=None):
    """Create an initiative from a definition document, or raise DefinitionError and create nothing."""
    return DefinitionImporter(document, slug=slug).run()
