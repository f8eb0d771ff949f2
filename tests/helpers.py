"""Small helpers the page tests share."""


def formset_data(prefix, rows, initial=0):
    """Return the POST data of a Django formset: its management form and ``rows`` of field values."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {f"{prefix}-{index}-{key}": value for key, value in row.items()}
    return data


def indicator_data(**overrides):
    """The POST data of a valid new indicator (a quarterly count), with ``overrides``."""
    data = {
        "code": "C9",
        "order": "0",
        "name_en": "Families served",
        "name_fr": "Familles desservies",
        "level": "outcome",
        "measure_type": "count",
        "direction": "increase",
        "frequency": "quarterly",
        "accumulation": "per_period",
        "decimals": "0",
    }
    return data | overrides


class BrokenEmailBackend:
    """An email backend whose server is down: every send fails, as with a refused SMTP connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")
