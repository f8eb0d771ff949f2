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


class BrokenEmailBackend:
    """An email backend whose server is down: every send fails, as with a refused SMTP connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")
