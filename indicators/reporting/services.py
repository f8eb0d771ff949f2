"""Writes to partners' reports. Every status change of a report goes through this module.

Each service checks who asks, writes, records the audit trail and runs in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.numbers import plain
from indicators.figures import ENTERED_FIELDS, category_overflows, figure_problems, has_figures
from indicators.models import (
    EDITABLE_STATUSES,
    DataValue,
    Indicator,
    PartnerReport,
    ReportEvent,
    ReportStatus,
)
from indicators.outcomes import rollups
from indicators.periods import parse_period
from indicators.reporting import notifications


def report_get_or_create(*, initiative, organization, period_key) -> PartnerReport:
    """Return the organization's report for a period, creating an empty draft if there is none."""
    period = parse_period(period_key, initiative.fiscal_year_start_month)
    report, _created = PartnerReport.objects.get_or_create(
        initiative=initiative,
        organization=organization,
        period=period.key,
        defaults={"due_date": period.due_date(initiative.report_due_days)},
    )
    return report


def _can_report_for(membership, report):
    """True when the membership is of the report's initiative and may report for its organization."""
    return membership.initiative.pk == report.initiative_id and membership.reports_for(report.organization_id)


def _refuse_null_characters(*texts):
    """Posted texts reach here without a form: refuse the NUL character, which no text may hold."""
    if any("\x00" in text for text in texts):
        raise ValidationError(_("Remove the null character (\\0) from your comment: it cannot be saved."))


def _transition(*, report, membership, action, allowed_from, to_status, user, comment="", version=None):
    """Move a report to ``to_status`` and record who did it, when, and why.

    ``version``, when given, is the version the user was looking at: a report that changed since
    (resubmitted with other values, say) is not approved or returned on the strength of an old page.
    """
    if membership.initiative.pk != report.initiative_id:
        raise PermissionDenied
    _refuse_null_characters(comment)
    rollups.lock(report.initiative_id)  # before the report's lock: see rollups.lock
    # Lock the row: two reviewers cannot approve and return the same report at once.
    current = PartnerReport.objects.select_for_update().get(pk=report.pk)
    from_status = current.status
    if from_status not in allowed_from:
        raise ValidationError(
            _("This report is %(status)s: it cannot be %(action)s.")
            % {
                "status": current.get_status_display().lower(),
                "action": ReportEvent.Action(action).label.lower(),
            }
        )
    if version is not None and version != current.version:
        raise ValidationError(_("This report changed since you opened it: look at it again before deciding."))
    now = timezone.now()
    current.status = to_status
    current.version += 1
    if action == ReportEvent.Action.SUBMIT:
        current.submitted_at, current.submitted_by = now, user
    else:
        current.reviewed_at, current.reviewed_by, current.review_comment = now, user, comment
    current._history_user = user
    current._change_reason = comment or None
    current.save()
    rollups.refresh_report(current)
    ReportEvent.objects.create(
        report=current,
        action=action,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )
    return current


def _set_review_comments(report, user, comments):
    """Give each value of the report the reviewer's comment on it (none where not given)."""
    for value in report.values.all():
        wanted = comments.get(value.pk, "")
        if value.review_comment != wanted:
            value.review_comment = wanted
            value._history_user = user
            value.save(update_fields=["review_comment", "updated_at"])


@transaction.atomic
def report_submit(*, report, membership, user) -> PartnerReport:
    """Send a draft or returned report to the backbone for review: every figure must be there."""
    if not _can_report_for(membership, report):
        raise PermissionDenied
    if not report.values.exists():
        raise ValidationError(_("Enter at least one value before submitting the report."))
    missing = missing_figures(report)
    if missing:
        raise ValidationError(
            _("The report is not complete. Missing: %(missing)s. Enter them, or mark them not available.")
            % {"missing": ", ".join(missing)}
        )
    submitted = _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.SUBMIT,
        allowed_from=EDITABLE_STATUSES,
        to_status=ReportStatus.SUBMITTED,
        user=user,
    )
    notifications.after_commit(notifications.report_submitted, submitted)
    return submitted


def missing_figures(report):
    """Return the labels of the rows a complete report still lacks: every indicator the organization
    is asked to report this period, its total and each of its categories."""
    period = parse_period(report.period, report.initiative.fiscal_year_start_month)
    indicators = list(
        Indicator.objects.filter(
            initiative=report.initiative_id,
            reporting_organizations=report.organization_id,
            frequency=period.frequency,
        ).prefetch_related("dimensions__categories")
    )
    reported = set(report.values.values_list("indicator_id", "category_id"))
    missing = []
    for indicator in indicators:
        categories = [None] + [c for d in indicator.dimensions.all() for c in d.categories.all()]
        for category in categories:
            if (indicator.pk, category.pk if category else None) not in reported:
                missing.append(f"{indicator.code} ({category.name})" if category else indicator.code)
    return missing


@transaction.atomic
def report_approve(*, report, membership, user, comment="", version=None) -> PartnerReport:
    """Accept a submitted report: its values count from now on and it is locked."""
    if not membership.is_coordinator:
        raise PermissionDenied
    approved = _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.APPROVE,
        allowed_from={ReportStatus.SUBMITTED},
        to_status=ReportStatus.APPROVED,
        user=user,
        comment=comment,
        version=version,
    )
    _set_review_comments(approved, user, {})  # an approved report has nothing left to fix
    notifications.after_commit(notifications.report_reviewed, approved)
    return approved


@transaction.atomic
def report_return(*, report, membership, user, comment, value_comments=None, version=None) -> PartnerReport:
    """Send a submitted report back to its partner, saying what to fix (per value too, if given).

    ``value_comments`` maps a DataValue id to the reviewer's comment on it; the comments of an
    earlier review round are cleared, so the partner sees only what this review asks.
    """
    if not membership.is_coordinator:
        raise PermissionDenied
    value_comments = {pk: text.strip() for pk, text in (value_comments or {}).items() if text.strip()}
    _refuse_null_characters(comment, *value_comments.values())
    if not comment.strip() and not value_comments:
        raise ValidationError(_("Say what the partner should fix: a returned report needs a comment."))
    returned = _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.RETURN,
        allowed_from={ReportStatus.SUBMITTED},
        to_status=ReportStatus.RETURNED,
        user=user,
        comment=comment.strip(),
        version=version,
    )
    _set_review_comments(returned, user, value_comments)
    notifications.after_commit(notifications.report_reviewed, returned)
    return returned


@transaction.atomic
def report_reopen(*, report, membership, user, reason) -> PartnerReport:
    """Unlock an approved report so it can be corrected; its values stop counting until re-approved."""
    if not membership.is_coordinator:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(
            _("Give a reason for reopening an approved report: it is kept in the audit trail.")
        )
    _refuse_null_characters(reason)
    reopened = _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.REOPEN,
        allowed_from={ReportStatus.APPROVED},
        to_status=ReportStatus.RETURNED,
        user=user,
        comment=reason.strip(),
    )
    notifications.after_commit(notifications.report_reviewed, reopened)
    return reopened


def _key(item):
    return (item["indicator"].pk, item["category"].pk if item.get("category") else None)


def _unchanged(row, item):
    return row is not None and all(getattr(row, name) == _wanted(item)[name] for name in ENTERED_FIELDS)


def _wanted(item):
    return {name: item.get(name, DataValue._meta.get_field(name).get_default()) for name in ENTERED_FIELDS}


def _value_problems(report, values, existing):
    """Return every reason the values cannot go into this report, each naming its indicator.

    A row being emptied, or sent back unchanged, is always accepted: an indicator no longer
    asked of the organization must not lock a report that holds an old value for it.
    """
    period = parse_period(report.period, report.initiative.fiscal_year_start_month)
    # Two queries for all rows, whatever their number: which indicators this organization is
    # asked to report, and how each indicator is broken down.
    indicator_ids = {item["indicator"].pk for item in values}
    assigned = set(
        Indicator.reporting_organizations.through.objects.filter(
            indicator_id__in=indicator_ids, organization_id=report.organization_id
        ).values_list("indicator_id", flat=True)
    )
    breakdowns = set(
        Indicator.dimensions.through.objects.filter(indicator_id__in=indicator_ids).values_list(
            "indicator_id", "dimension_id"
        )
    )
    problems = []
    for item in values:
        indicator, category = item["indicator"], item.get("category")
        if indicator.initiative_id != report.initiative_id:
            problems.append(
                _("%(indicator)s is not an indicator of this initiative.")
                % {"indicator": _label(indicator, category)}
            )
            continue
        if not has_figures(item) or _unchanged(existing.get(_key(item)), item):
            continue
        if indicator.frequency != period.frequency:
            problems.append(
                _("%(indicator)s is reported %(frequency)s, not in a %(period)s report.")
                % {
                    "indicator": _label(indicator, category),
                    "frequency": indicator.get_frequency_display().lower(),
                    "period": period.key,
                }
            )
        if indicator.pk not in assigned:
            problems.append(
                _("%(organization)s is not asked to report %(indicator)s.")
                % {"organization": report.organization, "indicator": indicator.code}
            )
        if category and (indicator.pk, category.dimension_id) not in breakdowns:
            problems.append(
                _("%(indicator)s is not broken down by %(dimension)s.")
                % {"indicator": indicator.code, "dimension": category.dimension}
            )
        problems += [
            f"{_label(indicator, category)}: {message}"
            for _field, message in figure_problems(indicator, item)
        ]
    return problems + _category_sum_problems(existing, values)


def _label(indicator, category):
    return f"{indicator.code}{f' ({category})' if category else ''}"


def _category_sum_problems(existing, values):
    """Categories of one dimension may not add up to more than the total (counts and amounts),
    judged on the report as it will be: saved values, with these ones over them."""
    final = {key: (row.indicator, row.category, row.value) for key, row in existing.items()}
    for item in values:
        final[_key(item)] = (item["indicator"], item.get("category"), item.get("value"))
    return [
        _("%(indicator)s: the %(dimension)s categories add up to %(parts)s, more than the total %(total)s.")
        % {
            "indicator": indicator.code,
            "dimension": dimension.name.lower(),
            "parts": plain(parts),
            "total": plain(total),
        }
        for _total, indicator, dimension, parts, total in category_overflows(
            (key, *figure) for key, figure in final.items()
        )
    ]


class StaleReport(Exception):
    """The report changed since the form was opened; the caller shows the other person's change."""


@transaction.atomic
def report_values_save(*, report, membership, user, values, version) -> PartnerReport:
    """Write a report's values if nobody saved it meanwhile; return the report, one version on.

    ``values`` are dicts of indicator, category (None for the total) and ENTERED_FIELDS; one
    without any figure removes what was reported there (an empty field is "not reported").
    Rows not mentioned are untouched. ``version`` is the version the user's form was built from:
    an older one raises StaleReport and writes nothing.
    """
    if not _can_report_for(membership, report) or not membership.can_write:
        raise PermissionDenied
    current = (
        PartnerReport.objects.select_for_update()
        .select_related("initiative", "organization")
        .get(pk=report.pk)
    )
    if not current.is_editable:
        raise ValidationError(
            _("This report is %(status)s: its values cannot change.")
            % {"status": current.get_status_display().lower()}
        )
    if current.version != version:
        raise StaleReport
    existing = {
        (v.indicator_id, v.category_id): v
        for v in current.values.select_related("indicator", "category__dimension")
    }
    problems = _value_problems(current, values, existing)
    if problems:
        raise ValidationError(problems)
    reason = None
    if not membership.belongs_to(current.organization_id):
        reason = _("Entered by the backbone on behalf of %(organization)s") % {
            "organization": current.organization
        }
    new_rows = []
    for item in values:
        row = existing.get(_key(item))
        if not has_figures(item):
            if row is not None:
                row._history_user, row._change_reason = user, reason
                row.delete()
            continue
        if _unchanged(row, item):
            continue  # no history entry for a value nobody touched
        row = row or DataValue(report=current, indicator=item["indicator"], category=item.get("category"))
        for name, value in _wanted(item).items():
            setattr(row, name, value)
        row.updated_by = user
        if row.pk:
            row._history_user, row._change_reason = user, reason
            row.save()
        else:
            new_rows.append(row)
    if new_rows:
        bulk_create_with_history(new_rows, DataValue, default_user=user, default_change_reason=reason)
    current.version += 1
    current._history_user = user
    current.save()
    return current


@transaction.atomic
def report_submit_values(*, report, membership, user, values, version) -> PartnerReport:
    """Save the values a partner typed and submit the report, both or neither."""
    rollups.lock(report.initiative_id)  # before the save locks the report: see rollups.lock
    report = report_values_save(
        report=report, membership=membership, user=user, values=values, version=version
    )
    return report_submit(report=report, membership=membership, user=user)
