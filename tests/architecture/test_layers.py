"""The layout holds (docs/architecture.md): imports run one way, between apps and between layers.

Every module of the project is parsed and each of its imports checked, function-level ones
included: an app imports only apps ranked below it, and a module only modules of its own layer
or below. A failure names the file, the line and the rule it breaks.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Apps from the kernel up. Orchestration and the project sit on top of the domain apps; apps of
# one rank do not import each other.
APP_RANKS = {
    "core": 0,
    "partners": 1,
    "impact": 2,
    "indicators": 3,
    "reports": 4,
    "exchange": 5,
    "demo": 5,
    "concerto": 6,
}
ORCHESTRATION = {"exchange", "demo", "concerto"}
LAYERS = (
    "kernel",
    "models",
    "access",
    "services and selectors",
    "forms",
    "views and entry points",
    "urls",
    "orchestration",
)
ENTRY_POINTS = {"admin", "middleware", "apps"}
MAX_MODULES_PER_FOLDER = 16


def layer_of(module):
    """The layer of a dotted module name (see LAYERS)."""
    parts = module.split(".")
    app, name = parts[0], parts[-1]
    if app == "core":
        return LAYERS.index("kernel")
    if app in ORCHESTRATION:
        return LAYERS.index("orchestration")
    if name == "models" or module == "indicators.periods":  # the calendar the models validate with
        return LAYERS.index("models")
    if name == "access":
        return LAYERS.index("access")
    if name == "forms":
        return LAYERS.index("forms")
    if name == "urls":
        return LAYERS.index("urls")
    if name in ENTRY_POINTS or {"views", "templatetags", "management"} & set(parts):
        return LAYERS.index("views and entry points")
    return LAYERS.index("services and selectors")


def project_modules():
    """{dotted name: path} of every module of the apps, migrations left out (they are history:
    a migration may call code of any layer as it stood when it was written)."""
    modules = {}
    for app in APP_RANKS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported(tree, known):
    """Yield (line number, module) for each project module the parsed ``tree`` imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APP_RANKS:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative imports make the layers harder to read"
            if not node.module or node.module.split(".")[0] not in APP_RANKS:
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield node.lineno, full if full in known else node.module


def violations_in(module, source, known):
    """Return "path:line: text — rule" for each import of ``source`` (module ``module``) that
    goes against the order of the apps or of the layers."""
    found = []
    lines = source.splitlines()
    source_app, source_layer = module.split(".")[0], layer_of(module)
    for line, target in imported(ast.parse(source), known):
        target_app = target.split(".")[0]
        text = f"{module.replace('.', '/')}.py:{line}: {lines[line - 1].strip()} —"
        if target_app != source_app and APP_RANKS[target_app] >= APP_RANKS[source_app]:
            found.append(f"{text} app {source_app} may not import app {target_app} (not below it)")
        elif target in known and known[target].name != "__init__.py" and layer_of(target) > source_layer:
            found.append(
                f"{text} {LAYERS[source_layer]} may not import {LAYERS[layer_of(target)]} ({target})"
            )
    return found


def test_imports_run_one_way_between_apps_and_layers():
    known = project_modules()
    found = []
    for module, path in known.items():
        found += violations_in(module, path.read_text(), known)
    assert found == [], "imports against the layout:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("module", "source", "named"),
    [
        (
            "indicators.models",
            "import datetime\nfrom indicators.reporting.services import report_submit\n",
            2,
        ),
        ("core.numbers", "def f():\n    from impact.models import Initiative\n", 2),
        ("partners.services", "from impact import access\n", 1),
        ("indicators.reporting.services", "from indicators.reporting.forms import ReportForm\n", 1),
    ],
)
def test_an_import_against_the_layout_is_named_with_its_line(module, source, named):
    found = violations_in(module, source, project_modules())
    assert len(found) == 1
    assert f".py:{named}:" in found[0]


def test_package_inits_import_nothing_of_ours():
    """A package's __init__ stays empty, so importing one module never drags in its neighbours."""
    known = project_modules()
    crowded = [str(p) for p in known.values() if p.name == "__init__.py" and p.read_text().strip()]
    assert crowded == []


def test_no_folder_is_a_heap_of_modules():
    heaps = {}
    for app in APP_RANKS:
        for folder in [ROOT / app, *(p for p in (ROOT / app).rglob("*") if p.is_dir())]:
            if "migrations" in folder.parts or "__pycache__" in folder.parts:
                continue
            modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
            if len(modules) > MAX_MODULES_PER_FOLDER:
                heaps[str(folder.relative_to(ROOT))] = len(modules)
    assert heaps == {}, f"more than {MAX_MODULES_PER_FOLDER} modules: make packages of them: {heaps}"
