"""Pages and exports with personal data are never kept by a cache; a page may ask only for the camera and the
location, and only for this site."""

import pytest
from django.urls import reverse

from tests.factories import OperatorFactory

pytestmark = pytest.mark.django_db


def test_what_a_signed_in_user_receives_is_not_stored_and_every_page_limits_the_browser(client):
    public = client.get(reverse("complaints:public_submit"))
    assert "camera=(self)" in public["Permissions-Policy"] and "microphone=()" in public["Permissions-Policy"]
    client.force_login(OperatorFactory())
    for url, data in [
        (reverse("beneficiaries:person_list"), {}),
        (reverse("beneficiaries:person_export"), {}),
        (reverse("monitoring:worklist"), {"tahun": 2024}),
    ]:
        response = client.get(url, data)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert "geolocation=(self)" in response["Permissions-Policy"]
