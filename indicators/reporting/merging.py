"""Two people saved one report at once: what the other changed, merged with what the user typed.

The second save is refused (the report services' optimistic lock); the page then lists what the
other person changed since the version the form was opened at, from the history, and fills the
form so that saving again keeps both people's work (decision 24).
"""

from indicators.figures import ENTERED_FIELDS, entered, has_figures
from indicators.models import DataValue, PartnerReport

TEXTS = ("not_available_reason", "comment")


def merge(report, rows, typed, version):
    """Return (changes, figures): what the other person changed since ``version`` (the version
    the user's form was built from), and what each row should hold when the form is shown again.

    Rows the user changed keep the user's figures (``typed``, by row key, as the services take
    them); rows they left as they were take the other person's new figures, so saving again
    undoes nobody's work. ``changes`` lists (row, before, after, changed by the user too?). Each
    row's saved value becomes the new one.
    """
    now = {(v.indicator_id, v.category_id): v for v in report.values.select_related("updated_by")}
    then = values_at_version(report, version)
    changes, figures = [], {}
    for row in rows:
        before, after = then.get(row.key), now.get(row.key)
        user_changed = _compared(typed[row.key]) != _compared_value(before)
        other_changed = _compared_value(before) != _compared_value(after)
        if other_changed:
            changes.append((row, before, after, user_changed))
        keep_typed = user_changed or not other_changed
        figures[row.key] = typed[row.key] if keep_typed else (entered(after) if after else {})
        row.saved = after
    return changes, figures


def _compared(item):
    """What two versions of a row are compared on: everything entered (None: nothing reported)."""
    if not has_figures(item):
        return None
    return tuple(_normal(name, item.get(name)) for name in ENTERED_FIELDS)


def _normal(name, value):
    """A field as compared: a flag is a bool, an empty text is "" whether saved or typed."""
    if name == "not_available":
        return bool(value)
    if name in TEXTS:
        return value or ""
    return value


def _compared_value(value):
    return None if value is None else _compared(entered(value))


def values_at_version(report, version):
    """The report's values as they were at ``version`` (none before the report existed)."""
    record = PartnerReport.history.filter(id=report.pk, version=version).order_by("-history_date").first()
    if record is None:
        return {}
    values = DataValue.history.as_of(record.history_date).filter(report_id=report.pk)
    return {(v.indicator_id, v.category_id): v for v in values}
