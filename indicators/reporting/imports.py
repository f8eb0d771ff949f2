"""Spreadsheet import of reported values (DESIGN.md's format), all or nothing.

One row a value: indicator_code, period, dimension, category, value, numerator, denominator,
comment, and organization when the backbone imports for several partners. CSV (comma or
semicolon; UTF-8 with or without BOM, or Windows-1252) or XLSX; a decimal point or a decimal
comma. Every row is checked by the same rules as the entry form before anything is written;
one bad row and nothing is, and every bad row is named with its line number.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.numbers import parse_number
from core.spreadsheets import ImportRefused, read_rows, unguarded
from impact.models import Category
from indicators.figures import category_overflows, figure_problems, has_figures, overflow_message
from indicators.models import DataValue, Indicator
from indicators.outcomes import rollups
from indicators.periods import PeriodError, parse_period
from indicators.reporting import services
from partners.models import Organization

COLUMNS = (
    "indicator_code",
    "period",
    "dimension",
    "category",
    "value",
    "numerator",
    "denominator",
    "comment",
)
REQUIRED = ("indicator_code", "period")
NOT_AVAILABLE = {"na", "n/a", "n.a.", "nd", "n/d", "n.d.", "not available", "non disponible", "s.o.", "so"}
IGNORED = ("indicator_name", "measure")  # the template's columns for people
MAX_ROWS = 200_000
COMMENT_MAX_LENGTH = 2000  # as the entry form's
REASON_MAX_LENGTH = DataValue._meta.get_field("not_available_reason").max_length


@dataclass
class ImportResult:
    reports: list = field(default_factory=list)
    values: int = 0
    submitted: int = 0


# Reading ---------------------------------------------------------------------------------------


def normalize_header(name):
    return re.sub(r"[\s-]+", "_", str(name or "").strip().lstrip("\ufeff").lower())


def read_table(data, filename=""):
    """Return ([(line number, {column: cell})], decimal comma?) of a CSV or XLSX file.

    Blank lines are skipped. The second item says how to read "1,234": True for a semicolon
    file, False for a comma file, None for XLSX (whose numbers are numbers already) and where
    nothing tells (tab-separated text).
    """
    rows, decimal_comma = read_rows(data, filename, sheet="values")
    if not rows:
        raise ImportRefused([(None, _("The file is empty."))])
    header_line, header = rows[0]
    names = [normalize_header(name) for name in header]
    names = [name if name not in IGNORED else "" for name in names]
    missing = [name for name in REQUIRED if name not in names]
    if missing or not {"value", "numerator"} & set(names):
        raise ImportRefused(
            [
                (
                    header_line,
                    _("The first line must name the columns: %(columns)s (missing: %(missing)s).")
                    % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing) or "value"},
                )
            ]
        )
    table = []
    for line, cells in rows[1:]:
        record = {
            name: ("" if cell is None else unguarded(cell))
            for name, cell in zip(names, cells, strict=False)
            if name
        }
        if any(str(value).strip() for value in record.values()):
            table.append((line, record))
    if len(table) > MAX_ROWS:
        raise ImportRefused([(None, _("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS})])
    return table, decimal_comma


def period_text(cell):
    """A period key from a cell; Excel turns 2026-03 into a date, which names the month."""
    if isinstance(cell, datetime.datetime | datetime.date):
        return f"{cell.year:04d}-{cell.month:02d}"
    return str(cell or "").strip()


# Checking --------------------------------------------------------------------------------------


class ValuesImporter:
    """Checks every row of a table against the initiative, then writes all of it or nothing."""

    def __init__(self, *, initiative, membership, user, organization=None, decimal_comma=None):
        self.initiative = initiative
        self.decimal_comma = decimal_comma
        self.membership = membership
        self.user = user
        self.organization = organization
        self.errors = []
        indicators = initiative.indicators.prefetch_related("dimensions")
        self.indicators = {indicator.code.lower(): indicator for indicator in indicators}
        self.categories = {}
        for category in Category.objects.filter(dimension__initiative=initiative).select_related("dimension"):
            dimension = category.dimension
            for dimension_name in {dimension.code, dimension.name_en, dimension.name_fr} - {""}:
                for category_name in {category.code, category.name_en, category.name_fr} - {""}:
                    self.categories[(dimension_name.lower(), category_name.lower())] = category
        self.organizations = {
            organization.slug.lower(): organization
            for organization in Organization.objects.may_report_in(initiative)
        }
        self.assigned = set(
            Indicator.reporting_organizations.through.objects.filter(
                indicator__initiative=initiative
            ).values_list("indicator_id", "organization_id")
        )

    def error(self, line, message):
        self.errors.append((line, message))

    def organization_for(self, line, record):
        slug = str(record.get("organization") or "").strip().lower()
        if not slug:
            if self.organization is not None:
                return self.organization
            partners = self.membership.partner_organizations
            if not self.membership.is_coordinator and len(partners) == 1:
                return partners[0]
            self.error(line, _("Say which organization this value is for (the organization column)."))
            return None
        organization = self.organizations.get(slug)
        if organization is None:
            self.error(line, _("No organization “%(slug)s” reports in this initiative.") % {"slug": slug})
            return None
        if self.organization is not None and organization != self.organization:
            self.error(line, _("This file is for %(name)s only.") % {"name": self.organization})
            return None
        if not self.membership.reports_for(organization):
            self.error(line, _("You cannot report for %(name)s.") % {"name": organization})
            return None
        return organization

    def category_for(self, line, record, indicator):
        dimension = str(record.get("dimension") or "").strip().lower()
        category_name = str(record.get("category") or "").strip().lower()
        if not dimension and not category_name:
            return None, True
        if not dimension or not category_name:
            self.error(line, _("Give both the dimension and the category, or neither for the total."))
            return None, False
        category = self.categories.get((dimension, category_name))
        if category is None:
            self.error(
                line,
                _("No category “%(category)s” in a dimension “%(dimension)s”.")
                % {"category": record.get("category"), "dimension": record.get("dimension")},
            )
            return None, False
        if category.dimension not in indicator.dimensions.all():
            self.error(
                line,
                _("%(indicator)s is not broken down by %(dimension)s.")
                % {"indicator": indicator.code, "dimension": category.dimension},
            )
            return None, False
        return category, True

    def comment(self, line, record, max_length):
        """The row's comment, or None (with the error said) when the database could not hold it."""
        comment = str(record.get("comment") or "").strip()
        if "\x00" in comment:
            self.error(line, _("comment: remove the null character (\\0) it contains."))
            return None
        if len(comment) > max_length:
            self.error(
                line,
                _("comment: at most %(max)s characters here (it has %(length)s).")
                % {"max": max_length, "length": len(comment)},
            )
            return None
        return comment

    def figures(self, line, record):
        item = {}
        value = record.get("value")
        if isinstance(value, str) and value.strip().lower() in NOT_AVAILABLE:
            # The comment says why: it has the length of the entry form's reason.
            reason = self.comment(line, record, REASON_MAX_LENGTH)
            return None if reason is None else {"not_available": True, "not_available_reason": reason}
        for name in ("value", "numerator", "denominator"):
            try:
                number = parse_number(record.get(name), self.decimal_comma)
            except ValueError as error:
                self.error(line, f"{name}: {error}")
                return None
            if number is not None:
                item[name] = number
        item["comment"] = self.comment(line, record, COMMENT_MAX_LENGTH)
        return None if item["comment"] is None else item

    def check(self, table):
        """Return {(organization, period key): [items]} for the table; errors collect in self.errors."""
        groups = {}
        seen = {}
        for line, record in table:
            code = str(record.get("indicator_code") or "").strip()
            indicator = self.indicators.get(code.lower())
            if indicator is None:
                self.error(line, _("No indicator “%(code)s” in this initiative.") % {"code": code})
                continue
            try:
                period = parse_period(
                    period_text(record.get("period")),
                    self.initiative.fiscal_year_start_month,
                    indicator.frequency,
                )
            except PeriodError as error:
                self.error(line, str(error))
                continue
            organization = self.organization_for(line, record)
            category, category_ok = self.category_for(line, record, indicator)
            item = self.figures(line, record)
            if organization is None or not category_ok or item is None:
                continue
            if (indicator.pk, organization.pk) not in self.assigned:
                self.error(
                    line,
                    _("%(organization)s is not asked to report %(indicator)s.")
                    % {"organization": organization, "indicator": indicator.code},
                )
                continue
            if not has_figures(item):
                continue  # a template row left blank: not reported
            for _field, message in figure_problems(indicator, item):
                self.error(line, f"{indicator.code}: {message}")
            key = (organization.pk, period.key, indicator.pk, category.pk if category else None)
            if key in seen:
                self.error(line, _("The same value as line %(line)s.") % {"line": seen[key]})
                continue
            seen[key] = line
            item |= {"indicator": indicator, "category": category, "line": line}
            groups.setdefault((organization, period.key), []).append(item)
        self.check_reports(groups)
        self.check_category_totals(groups)
        return groups

    def check_reports(self, groups):
        """A submitted or approved report is locked: its rows are refused, naming the report."""
        organizations = {organization.pk for organization, _period in groups}
        locked = {
            (report.organization_id, report.period): report
            for report in self.initiative.reports.filter(organization__in=organizations).locked()
        }
        for (organization, period), items in groups.items():
            report = locked.get((organization.pk, period))
            if report is not None:
                for item in items:
                    self.error(
                        item["line"],
                        _(
                            "The report of %(organization)s for %(period)s is %(status)s: "
                            "its values cannot change."
                        )
                        % {
                            "organization": organization,
                            "period": period,
                            "status": report.get_status_display().lower(),
                        },
                    )

    def check_category_totals(self, groups):
        """Categories of one dimension may not add up to more than the total, in each report."""
        for items in groups.values():
            figures = [
                (item["line"], item["indicator"], item["category"], item.get("value")) for item in items
            ]
            for line, _indicator, dimension, parts, total in category_overflows(figures):
                self.error(line, overflow_message(dimension, parts, total))

    def write(self, groups, submit=False):
        """Write every group through the report services, in one transaction: all of it or nothing."""
        try:
            with transaction.atomic():
                return self._write(groups, submit)
        except ValidationError as error:  # a rule about a whole report, such as completeness
            raise ImportRefused([(None, message) for message in error.messages]) from error

    def _write(self, groups, submit):
        result = ImportResult()
        if submit:
            rollups.lock(self.initiative.pk)  # before any report's lock: see rollups.lock
        for (organization, period), items in groups.items():
            report = services.report_get_or_create(
                initiative=self.initiative, organization=organization, period_key=period
            )
            values = [{key: value for key, value in item.items() if key != "line"} for item in items]
            try:
                report = services.report_values_save(
                    report=report,
                    membership=self.membership,
                    user=self.user,
                    values=values,
                    version=report.version,
                )
                if submit:
                    report = services.report_submit(report=report, membership=self.membership, user=self.user)
                    result.submitted += 1
            except ValidationError as error:
                raise ValidationError(
                    [f"{organization} {period}: {message}" for message in error.messages]
                ) from error
            result.reports.append(report)
            result.values += len(values)
        return result


def import_values(*, initiative, membership, user, data, filename="", organization=None, submit=False):
    """Import a spreadsheet's values into the initiative; raise ImportRefused, writing nothing, if bad."""
    table, decimal_comma = read_table(data, filename)
    importer = ValuesImporter(
        initiative=initiative,
        membership=membership,
        user=user,
        organization=organization,
        decimal_comma=decimal_comma,
    )
    groups = importer.check(table)
    if importer.errors:
        raise ImportRefused(sorted(importer.errors, key=lambda error: error[0] or 0))
    if not groups:
        raise ImportRefused([(None, _("The file has no value to import: every row is empty."))])
    return importer.write(groups, submit=submit)
