"""What every page may print about the office: its name, the letterhead's address line and logo (settings)."""

from django.conf import settings


def office(request) -> dict:
    return {
        "office_name": settings.OFFICE_NAME,
        "office_address": settings.OFFICE_ADDRESS,
        "office_logo": settings.OFFICE_LOGO,
    }
