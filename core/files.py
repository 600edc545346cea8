"""Serving what people uploaded (a letter, a signed BAST scan, a photo) so that it can never act as a page of
this site: a PDF is a download, never opened inside the browser (one with JavaScript in it stays inert here);
every uploaded file carries a Content-Security-Policy of its own that runs nothing and sandboxes it, and is never
sniffed as another type."""

from django.http import FileResponse

PDF = "application/pdf"
TYPES = {"pdf": PDF, "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
UPLOAD_POLICY = "default-src 'none'; img-src 'self'; sandbox"


def upload_response(file, *, filename: str, content_type: str | None = None, cache: str = "private, no-store"):
    """The stored `file` (open for reading) as a response: by its name's extension when no type is given."""
    if content_type is None:
        content_type = TYPES.get(filename.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    response = FileResponse(file, as_attachment=content_type == PDF, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = UPLOAD_POLICY  # django-csp leaves a header that is already set
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return response
