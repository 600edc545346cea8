"""Whole NIKs and KKs never reach a role without the right to see them, even written inside free text.

Lists and pages print `masked_nik`; but a complaint's description, a visit's note or a review note is typed by
people, and may carry a NIK ("NIK 6472 0157 0845 0001"). For a signed-in user without `view_full_nik` (Pimpinan,
Auditor) every run of 16 digits in an HTML page is masked on the way out (core.formatting.mask_numbers_in_text),
whatever template wrote it; and for everyone on the pages that can be taken along to a phone (core.offline). Streams
(exports) are masked where they are written (core.excel.ReportWriter)."""

from beneficiaries.permissions import can_see_full_nik
from core.formatting import mask_numbers_in_text


class MaskNumbersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or (can_see_full_nik(user) and not getattr(response, "mask_numbers", False))
        ):
            return response
        charset = response.charset or "utf-8"
        text = response.content.decode(charset)
        masked = mask_numbers_in_text(text)
        if masked != text:
            response.content = masked.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
