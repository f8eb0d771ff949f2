"""Mutation check of the access tests: remove one access check at a time, and see a test fail.

Each mutation below weakens one check in the views or the access helpers (``coordinator=True``
becomes False, ``raise PermissionDenied`` becomes ``pass``, a role guard is negated or dropped, a
method decorator is removed, a view is made public, a lookup loses its initiative…). The script
copies the repository (without .venv and .git) to a temporary directory once, then for each
mutation rewrites one file there, runs

    pytest -x tests/security/test_access_matrix.py tests/security/test_idor.py

against its own database, and puts the file back. A mutant the tests catch is "killed"; one they
don't is "survived", and the script exits 1. It is slow (a survivor costs a whole run) and not
part of ``make test``. From the repository root:

    .venv/bin/python scripts/access_mutants.py                 # every mutation
    .venv/bin/python scripts/access_mutants.py --list          # list them, run nothing
    .venv/bin/python scripts/access_mutants.py -k review      # those whose file, line or text match
    .venv/bin/python scripts/access_mutants.py -k impact/views/initiatives.py:60 -k impact/access.py:40

The test database is MUTANTS_DATABASE_URL (default postgres:///concerto_mutants), created on the first
run and reused after (``--reuse-db``): mutations never touch models.
"""

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
TESTS = ["tests/security/test_access_matrix.py", "tests/security/test_idor.py"]
DATABASE_URL = os.environ.get("MUTANTS_DATABASE_URL", "postgres:///concerto_mutants")
MODULES = [
    "core/views.py",
    "impact/views/initiatives.py",
    "impact/views/dimensions.py",
    "impact/views/participants.py",
    "impact/views/languages.py",
    "exchange/views.py",
    "indicators/views/indicators.py",
    "indicators/views/stories.py",
    "indicators/reporting/views/reports.py",
    "indicators/reporting/views/review.py",
    "indicators/reporting/views/files.py",
    "reports/views/dashboard.py",
    "reports/views/indicator_page.py",
    "reports/views/outcome_report.py",
    "impact/middleware.py",
    "impact/access.py",
    "indicators/access.py",
]
VIEW_MODULES = [m for m in MODULES if "views" in m]
PUBLIC = "from django.contrib.auth.decorators import login_not_required\n"
UNSCOPED = "object lookup not scoped to the initiative"

# Plain substitutions, (pattern, replacement, what the mutant does); each match is one mutant.
SUBSTITUTIONS = [
    (r"\bcoordinator=True\b", "coordinator=False", "coordinator=True → False"),
    (r"\bcoordinator=coordinator\b", "coordinator=False", "coordinator passed on → False"),
    (r"\bwrite=True\b", "write=False", "write=True → False"),
    (r'\bwrite=request\.method == "POST"', "write=False", "write on POST → False"),
    (r"^(\s*)raise PermissionDenied\b.*$", r"\1pass", "raise PermissionDenied → pass"),
    # Lookups scoped to the initiative lose their scope.
    (r"\binitiative=membership\.initiative, (?=\w+=)", "", UNSCOPED),
    (r"^(\s*)initiative=membership\.initiative,\s*$", r"\1", UNSCOPED),
    (
        r"Organization\.objects\.filter\(participations__initiative=[\w.]+\)",
        "Organization.objects.all()",
        "organization lookup not scoped to the initiative",
    ),
    (r"\binitiative=initiative, (?=code=)", "", UNSCOPED),
    (
        r"^(\s*)initiative=initiative, (?=organization=organization)",
        r"\1",
        "report lookup not scoped to the initiative",
    ),
    (r", organization__members__user=user\b", "", "every user a member of every initiative"),
    (r", participations__role=Participation\.Role\.BACKBONE\b", "", "any member may start an initiative"),
    (r" if pk in own\}", "}", "review comments not limited to the report's own values"),
    (r"^(\s*)elif user\.is_superuser:", r"\1elif True:", "every user sees any initiative as a site admin"),
    (r"\bis_site_admin=user\.is_superuser\b", "is_site_admin=True", "every user is a site admin"),
    (r"^(\s*)raise Http404\(\"No such initiative\.\"\)", r"\1pass", "a missing initiative is no 404"),
    # Role properties of a membership say yes to everyone.
    (
        r"^(\s*)return (self\.is_site_admin or Role\.BACKBONE in self\.roles)$",
        r"\1return True",
        "is_coordinator always true",
    ),
    (r"^(\s*)return Role\.PARTNER in self\.roles$", r"\1return True", "is_partner always true"),
    (r"^(\s*)return Role\.FUNDER in self\.roles$", r"\1return False", "is_funder always false"),
    (
        r"^(\s*)return self\.is_site_admin or bool\(self\.roles - \{Role\.FUNDER\}\)$",
        r"\1return True",
        "can_write always true",
    ),
    (r"^(\s*)return self\.is_coordinator or any\(.*$", r"\1return True", "reports_for always true"),
    (r"^(\s*)return any\(org\.pk == organization_id .*$", r"\1return True", "belongs_to always true"),
    (r"^(\s*)@require_(GET|POST)\s*$", r"\1", "@require_\\2 removed"),
    (r"^(\s*)@require_http_methods\(.*\)\s*$", r"\1", "@require_http_methods removed"),
    (r"^(\s*)@login_not_required\s*$", r"\1", "@login_not_required removed"),
]
# Conditions that decide who may do what: each guard is negated, and dropped unless it only raises
# (``raise PermissionDenied → pass`` covers that).
GUARD = re.compile(r"^(\s*)(if|elif) (.+):\s*$")
ACCESS_WORDS = re.compile(
    r"membership\.|\bcoordinator\b|\bwrite\b|is_superuser|is_authenticated|partners\b|organizations\b|"
    r"\bmatch\b|SAFE_METHODS|can_write"
)


@dataclass
class Mutant:
    path: str
    line: int
    description: str
    text: str  # the whole mutated file
    result: str = ""
    seconds: float = 0.0

    @property
    def where(self):
        return f"{self.path}:{self.line}"


def docstring_lines(source):
    """Numbers (from 0) of the lines inside triple-quoted strings: words there are not checks."""
    inside = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.string.endswith(('"""', "'''")):
            inside.update(range(token.start[0] - 1, token.end[0]))
    return inside


def mutants_of(path):
    source = (ROOT / path).read_text()
    lines = source.splitlines(keepends=True)
    prose = docstring_lines(source)

    def with_line(index, new):
        return "".join(lines[:index] + [new] + lines[index + 1 :])

    for index, line in enumerate(lines):
        if index in prose or line.lstrip().startswith("#"):
            continue
        for pattern, replacement, description in SUBSTITUTIONS:
            if description == UNSCOPED and "get_object_or_404(" not in "".join(
                lines[max(0, index - 3) : index + 1]
            ):
                continue  # an argument of a service call, not a lookup
            for match in re.finditer(pattern, line, flags=re.M):
                new = line[: match.start()] + match.expand(replacement) + line[match.end() :]
                yield Mutant(path, index + 1, match.expand(description), with_line(index, new))
        guard = GUARD.match(line)
        if guard and ACCESS_WORDS.search(guard.group(3)):
            indent, keyword, condition = guard.groups()
            yield Mutant(
                path,
                index + 1,
                f"guard negated: {keyword} {condition}",
                with_line(index, f"{indent}{keyword} not ({condition}):\n"),
            )
            body = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if not body.startswith("raise PermissionDenied"):
                yield Mutant(
                    path,
                    index + 1,
                    f"guard dropped: {keyword} {condition}",
                    with_line(index, f"{indent}{keyword} False:\n"),
                )
    if path in VIEW_MODULES:
        yield from made_public(path, lines)


def made_public(path, lines):
    """Each view that needs a login is marked @login_not_required (the import is added on top)."""
    for index, line in enumerate(lines):
        view = re.match(r"def (\w+)\(request\b", line)
        if not view:
            continue
        first = index
        while first > 0 and lines[first - 1].startswith("@"):
            first -= 1
        decorators = "".join(lines[first:index])
        if "login_not_required" in decorators or not decorators:
            continue  # already public, or a helper rather than a view
        text = "".join([PUBLIC, *lines[:first], "@login_not_required\n", *lines[first:]])
        yield Mutant(path, index + 1, f"@login_not_required added to {view.group(1)}", text)


def copy_repository(target):
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", ".ruff_cache", ".hypothesis", "*.pyc")
    shutil.copytree(ROOT, target, ignore=ignore)


def run_tests(workdir, timeout):
    environment = os.environ | {
        "DATABASE_URL": DATABASE_URL,
        # Never a stale .pyc: a mutated and a restored file can share a size and a second.
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [str(PYTHON), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--reuse-db", *TESTS]
    try:
        done = subprocess.run(command, cwd=workdir, env=environment, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    output = done.stdout.decode(errors="replace")
    # pytest exits 1 when tests failed; anything else (a mutant that breaks the import…) is reported.
    return {0: "passed", 1: "failed"}.get(done.returncode, f"error {done.returncode}"), output


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the mutations and run nothing")
    parser.add_argument(
        "-k",
        dest="keywords",
        action="append",
        default=[],
        help="only mutations whose file:line or text contain this (may be repeated)",
    )
    parser.add_argument("--timeout", type=int, default=900, help="seconds one test run may take")
    options = parser.parse_args()

    mutants = [m for path in MODULES for m in mutants_of(path)]
    if options.keywords:
        mutants = [m for m in mutants if any(k in f"{m.where} {m.description}" for k in options.keywords)]
    if options.list:
        for mutant in mutants:
            print(f"{mutant.where:34} {mutant.description}")
        print(f"{len(mutants)} mutations")
        return 0

    with tempfile.TemporaryDirectory(prefix="access-mutants-") as temporary:
        workdir = Path(temporary) / "repo"
        copy_repository(workdir)
        which = subprocess.run(
            [str(PYTHON), "-c", "import impact; print(impact.__file__)"],
            cwd=workdir,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not which.startswith(str(workdir)):
            print(f"The copy's modules are not the ones imported ({which}); stopping.", file=sys.stderr)
            return 2
        print(f"Baseline: the access tests on the unchanged copy in {workdir}…", flush=True)
        baseline, output = run_tests(workdir, options.timeout)
        if baseline != "passed":
            print(output[-3000:])
            print("The access tests fail without any mutation: fix them first.", file=sys.stderr)
            return 2
        for number, mutant in enumerate(mutants, start=1):
            target = workdir / mutant.path
            original = target.read_text()
            target.write_text(mutant.text)
            started = time.monotonic()
            try:
                outcome, _output = run_tests(workdir, options.timeout)
            finally:
                target.write_text(original)
            mutant.seconds = time.monotonic() - started
            mutant.result = {"passed": "survived", "failed": "killed"}.get(outcome, outcome)
            print(
                f"[{number}/{len(mutants)}] {mutant.result:8} {mutant.where:34} {mutant.description}"
                f" ({mutant.seconds:.0f}s)",
                flush=True,
            )

    print()
    print(f"{'mutation':70} {'where':34} result")
    for mutant in mutants:
        print(f"{mutant.description[:70]:70} {mutant.where:34} {mutant.result}")
    survivors = [m for m in mutants if m.result == "survived"]
    killed = [m for m in mutants if m.result == "killed"]
    others = len(mutants) - len(killed) - len(survivors)
    print(f"\n{len(killed)} killed, {len(survivors)} survived, {others} errors or timeouts")
    return 1 if survivors or others else 0


if __name__ == "__main__":
    sys.exit(main())
