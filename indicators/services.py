"""Writes to indicators and reports. Every status change of a report goes through this module.

Each service checks who asks, writes, records the audit trail and runs in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators.figures import figure_problems
from indicators.models import DataValue, Indicator, PartnerReport, ReportEvent
from indicators.periods import parse_period

Status = PartnerReport.Status


@transaction.atomic
def indicator_save(*, form) -> Indicator:
    """Save an indicator and its dimensions and reporting organizations together."""
    return form.save()


@transaction.atomic
def milestones_save(*, baselines, targets, reason, user) -> None:
    """Save valid baseline and target formsets; the reason goes with every historical record."""
    for formset in (baselines, targets):
        for form in formset.forms:
            form.instance._change_reason = reason or None
            form.instance._history_user = user
        formset.save()


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
    """True for the initiative's coordinators and for members of the reporting organization."""
    if membership.initiative.pk != report.initiative_id:
        return False
    if membership.is_coordinator:
        return True
    return any(org.pk == report.organization_id for org in membership.partner_organizations)


def _transition(*, report, membership, action, allowed_from, to_status, user, comment=""):
    """Move a report to ``to_status`` and record who did it, when, and why."""
    if membership.initiative.pk != report.initiative_id:
        raise PermissionDenied
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
    ReportEvent.objects.create(
        report=current,
        action=action,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )
    return current


@transaction.atomic
def report_submit(*, report, membership, user) -> PartnerReport:
    """Send a draft or returned report to the backbone for review."""
    if not _can_report_for(membership, report):
        raise PermissionDenied
    if not report.values.exists():
        raise ValidationError(_("Enter at least one value before submitting the report."))
    return _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.SUBMIT,
        allowed_from={Status.DRAFT, Status.RETURNED},
        to_status=Status.SUBMITTED,
        user=user,
    )


@transaction.atomic
def report_approve(*, report, membership, user, comment="") -> PartnerReport:
    """Accept a submitted report: its values count from now on and it is locked."""
    if not membership.is_coordinator:
        raise PermissionDenied
    return _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.APPROVE,
        allowed_from={Status.SUBMITTED},
        to_status=Status.APPROVED,
        user=user,
        comment=comment,
    )


@transaction.atomic
def report_return(*, report, membership, user, comment) -> PartnerReport:
    """Send a submitted report back to its partner with a comment saying what to fix."""
    if not membership.is_coordinator:
        raise PermissionDenied
    if not comment.strip():
        raise ValidationError(_("Say what the partner should fix: a returned report needs a comment."))
    return _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.RETURN,
        allowed_from={Status.SUBMITTED},
        to_status=Status.RETURNED,
        user=user,
        comment=comment,
    )


@transaction.atomic
def report_reopen(*, report, membership, user, reason) -> PartnerReport:
    """Unlock an approved report so it can be corrected; its values stop counting until re-approved."""
    if not membership.is_coordinator:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(
            _("Give a reason for reopening an approved report: it is kept in the audit trail.")
        )
    return _transition(
        report=report,
        membership=membership,
        action=ReportEvent.Action.REOPEN,
        allowed_from={Status.APPROVED},
        to_status=Status.RETURNED,
        user=user,
        comment=reason,
    )


def _value_problems(report, values):
    """Return every reason the values cannot go into this report, each naming its indicator."""
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
        label = f"{indicator.code}{f' ({category})' if category else ''}"
        if indicator.initiative_id != report.initiative_id:
            problems.append(_("%(indicator)s is not an indicator of this initiative.") % {"indicator": label})
            continue
        if indicator.frequency != period.frequency:
            problems.append(
                _("%(indicator)s is reported %(frequency)s, not in a %(period)s report.")
                % {
                    "indicator": label,
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
        problems += [f"{label}: {problem}" for problem in figure_problems(indicator, item)]
    return problems


class StaleReport(Exception):
    """The report changed since the form was opened; the caller shows the other person's change."""


@transaction.atomic
def report_values_save(*, report, membership, user, values, version) -> PartnerReport:
    """Write a report's values (dicts of indicator, category and figures) if nobody saved meanwhile.

    ``version`` is the report version the user's form was built from. Values are replaced as a
    whole per (indicator, category); a figure left out is untouched.
    """
    if not _can_report_for(membership, report) or not membership.can_write:
        raise PermissionDenied
    current = PartnerReport.objects.select_for_update().get(pk=report.pk)
    if current.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(
            _("This report is %(status)s: its values cannot change.")
            % {"status": current.get_status_display().lower()}
        )
    if current.version != version:
        raise StaleReport
    problems = _value_problems(current, values)
    if problems:
        raise ValidationError(problems)
    existing = {(v.indicator_id, v.category_id): v for v in current.values.all()}
    new_rows = []
    for item in values:
        key = (item["indicator"].pk, item["category"].pk if item.get("category") else None)
        row = existing.get(key) or DataValue(
            report=current, indicator=item["indicator"], category=item.get("category")
        )
        for name in (
            "value",
            "numerator",
            "denominator",
            "not_available",
            "not_available_reason",
            "comment",
        ):
            if name in item:
                setattr(row, name, item[name])
        row.updated_by = user
        if row.pk:
            row._history_user = user
            row.save()
        else:
            new_rows.append(row)
    if new_rows:
        bulk_create_with_history(new_rows, DataValue, default_user=user)
    current.version += 1
    current._history_user = user
    current.save()
    return current
