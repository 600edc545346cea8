"""core.urls gives what Django's reverse gives, reversing each URL once per process."""

import pytest
from django.urls import reverse, set_script_prefix

from core.urls import _STAND_IN, cached_reverse, pk_url


@pytest.mark.parametrize("pk", [1, 7, 10, 987, _STAND_IN, 9876543210, 123987654321])
def test_pk_url_is_reverse(pk):
    assert pk_url("beneficiaries:person_detail", pk) == reverse("beneficiaries:person_detail", kwargs={"pk": pk})
    assert pk_url("beneficiaries:group_detail", str(pk)) == reverse("beneficiaries:group_detail", kwargs={"pk": pk})


def test_both_follow_the_script_prefix():
    assert cached_reverse("proposals:proposal_list") == reverse("proposals:proposal_list") == "/usulan/"
    set_script_prefix("/kube/")
    try:
        assert cached_reverse("proposals:proposal_list") == "/kube/usulan/"
        assert pk_url("beneficiaries:person_detail", 5) == reverse("beneficiaries:person_detail", kwargs={"pk": 5})
        assert pk_url("beneficiaries:person_detail", 5).startswith("/kube/")
    finally:
        set_script_prefix("/")


def test_a_pk_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        pk_url("beneficiaries:person_detail", "1/../admin")
