"""Hostile initiative definitions: wrong types, missing keys, NaN, deep nesting, refused whole.

Whatever JSON arrives, import_definition creates the whole initiative or raises DefinitionError
with a message for each problem, and then nothing at all was created.
"""

import copy
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exchange.definition import DefinitionError, import_definition
from impact.models import Category, Dimension, Initiative, TargetPopulation
from indicators.models import Baseline, Indicator, Target
from partners.models import Organization, Participation
from tests.robustness.test_hostile_input import Rollback

MODELS = (
    Initiative,
    TargetPopulation,
    Dimension,
    Category,
    Organization,
    Participation,
    Indicator,
    Baseline,
    Target,
)


def indicator(code, **fields):
    return {
        "code": code,
        "order": 0,
        "name": {"en": f"Indicator {code}"},
        "definition": {"en": ""},
        "level": "outcome",
        "outcome": None,
        "measure_type": "count",
        "direction": "increase",
        "frequency": "annual",
        "accumulation": "per_period",
        "multiplier": None,
        "unit": {},
        "data_source": {},
        "decimals": 0,
        "min_value": None,
        "max_value": None,
        "dimensions": [],
        "reporting_organizations": ["partner"],
        "baselines": [],
        "targets": [],
        **fields,
    }


DOCUMENT = {
    "format": "concerto.initiative",
    "version": 1,
    "initiative": {
        "slug": "copy",
        "name": {"en": "Copy", "fr": "Copie"},
        "issue": {"en": "Too few children ready"},
        "agenda": "Every child ready",
        "geography": {},
        "start_date": "2024-04-01",
        "fiscal_year_start_month": 4,
        "report_due_days": 30,
        "small_cell_threshold": 5,
        "status": "active",
    },
    "population": {"description": {"en": "Children"}, "estimated_size": 100, "size_as_of": "2024-01-01"},
    "dimensions": [
        {
            "code": "age",
            "name": {"en": "Age"},
            "order": 0,
            "categories": [{"code": "young", "name": {"en": "Young"}, "order": 0}],
        }
    ],
    "organizations": [
        {
            "slug": "backbone",
            "name": {"en": "Backbone"},
            "sector": "non_profit",
            "website": "",
            "role": "backbone",
        },
        {
            "slug": "partner",
            "name": {"en": "Partner"},
            "sector": "non_profit",
            "website": "",
            "role": "partner",
        },
    ],
    "indicators": [
        indicator(
            "R1",
            measure_type="percentage",
            dimensions=["age"],
            baselines=[{"dimension": None, "category": None, "period": "2024", "value": "50", "note": ""}],
            targets=[{"dimension": "age", "category": "young", "period": "2026", "value": "70", "note": ""}],
        ),
        indicator("C1", level="contributing", outcome="R1"),
    ],
}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["", "R1", "age", "young", "partner", "backbone", "2024", "NaN", "1e400", "<b>x</b>"]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


def paths(value, prefix=()):
    """Every place in a JSON document: (key or index, …)."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


PATHS = [path for path in paths(DOCUMENT) if path]


def replaced(document, path, value):
    changed = copy.deepcopy(document)
    place = changed
    for key in path[:-1]:
        place = place[key]
    if value is DELETE:
        del place[path[-1]]
    else:
        place[path[-1]] = value
    return changed


DELETE = object()


def counts():
    return [model.objects.count() for model in MODELS]


def assert_imported_whole_or_refused(document, slug=None):
    before = counts()
    try:
        initiative = import_definition(document, slug=slug)
    except DefinitionError as refused:
        assert refused.messages and all(isinstance(m, str) and m.strip() for m in refused.messages)
        assert counts() == before, "a refused definition creates nothing"
        return None
    assert counts() != before
    return initiative


def test_the_base_document_imports(db):
    initiative = assert_imported_whole_or_refused(copy.deepcopy(DOCUMENT))
    assert initiative.indicators.count() == 2


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(PATHS), st.one_of(json_values, st.just(DELETE))), min_size=1, max_size=3
    )
)
@example(changes=[(("indicators", 0, "dimensions"), 5)])
@example(changes=[(("indicators", 0, "dimensions"), [["age"]])])
@example(changes=[(("indicators", 1, "outcome"), ["R1"])])
@example(changes=[(("indicators", 0, "reporting_organizations"), [{"a": 1}])])
@example(changes=[(("organizations", 1, "slug"), ["partner"])])
@example(changes=[(("dimensions", 0, "categories"), 7)])
@example(changes=[(("indicators", 0, "baselines"), 3)])
@example(changes=[(("indicators", 0, "targets", 0, "dimension"), ["age"])])
@example(changes=[(("initiative", "start_date"), 20240401)])
@example(changes=[(("population", "size_as_of"), ["2024-01-01"])])
@example(changes=[(("indicators", 0, "baselines", 0, "value"), float("nan"))])
@example(changes=[(("indicators", 0, "baselines", 0, "period"), 2024)])
@example(changes=[(("initiative", "slug"), {"a": 1})])
@example(changes=[(("indicators", 0, "code"), ["R1"])])
def test_any_damage_to_a_definition_is_refused_whole_with_messages(db, changes):
    document = DOCUMENT
    for path, value in changes:
        try:
            document = replaced(document, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    try:
        with transaction.atomic():
            assert_imported_whole_or_refused(document)
            raise Rollback
    except Rollback:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=json_values)
def test_any_json_at_all_is_refused_with_a_message(db, document):
    with pytest.raises(DefinitionError) as refused:
        import_definition(document)
    assert refused.value.messages


def nested(depth):
    value = "deep"
    for _level in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("indicators", 0, "name"), {"en": nested(5000)}),
        (("indicators", 0, "dimensions"), nested(5000)),
        (("initiative", "name"), nested(5000)),
        (("indicators",), [nested(5000)]),
    ],
    ids=["name", "dimensions", "initiative-name", "indicator"],
)
def test_deeply_nested_values_are_refused_with_a_message(db, path, value):
    assert_imported_whole_or_refused(replaced(DOCUMENT, path, value))


def test_the_command_refuses_deeply_nested_json_with_a_message(db, tmp_path):
    file = tmp_path / "deep.json"
    file.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError):
        call_command("import_initiative", str(file))


def test_the_command_refuses_a_file_that_is_no_json_with_a_message(db, tmp_path):
    file = tmp_path / "broken.json"
    file.write_bytes(b'{"format": "concerto.initiative", "version": 1, "initiative": \xff')
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_initiative", str(file))
    file.write_text(json.dumps({**DOCUMENT, "indicators": "R1"}).replace('"R1"', "NaN", 1))
    with pytest.raises(CommandError, match="nothing was created"):
        call_command("import_initiative", str(file))
