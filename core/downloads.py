"""Files people download: the response that saves them under a name, and the types we send."""

from django.http import HttpResponse, StreamingHttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def attachment(content, filename):
    """A response the browser saves as ``filename``, typed by its extension; ``content`` is the
    file (bytes or text), or an iterable of its pieces, streamed as they come."""
    content_type = CONTENT_TYPES[filename.rsplit(".", 1)[1]]
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
