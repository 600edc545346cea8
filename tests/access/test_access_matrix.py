import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from disbursements.services import allocations_create, handover_attach, package_lines
from tests.access.matrix import ACCESS, ANONYMOUS, LOGIN, NAMESPACES, OTHER, OWN, undeclared_url_names, url_names
from tests.factories import (
    ApprovedItemFactory,
    BudgetYearFactory,
    CeilingFactory,
    HandoverFactory,
    KubeMemberFactory,
    OperatorFactory,
    PackageFactory,
    PersonFactory,
    ProposalFactory,
    ProposalItemFactory,
    TrainingSessionFactory,
    UploadFactory,
    factory_for_role,
)
from training.services import attendance_mark, participants_invite

ROLES = [ANONYMOUS, *[role.value for role in Role]]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _template_bytes():
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["NIK"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


TEMPLATE = _template_bytes()


def _cases():
    for name, access in ACCESS.items():
        scopes = [OWN, OTHER] if access.scoped else [None]
        for role in ROLES:
            for scope in scopes:
                yield pytest.param(name, access, role, scope, id=f"{name}-{role}{'-' + scope if scope else ''}")
    for namespace, (name, access) in NAMESPACES.items():
        for role in ROLES:
            yield pytest.param(name, access, role, None, id=f"{namespace}:*-{role}")


def test_every_url_is_declared():
    assert undeclared_url_names() == []


def test_declarations_name_real_urls():
    """A stale declaration (renamed or removed URL) is an error too."""
    names = set(url_names())
    assert set(ACCESS) - names == set()


def test_an_undeclared_url_fails_the_matrix(settings):
    settings.ROOT_URLCONF = "tests.access.throwaway_urls"
    assert undeclared_url_names("tests.access.throwaway_urls") == ["throwaway"]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "access", "role", "scope"), list(_cases()))
def test_access(client, samarinda, balikpapan, name, access, role, scope):
    regency = {OWN: samarinda, OTHER: balikpapan}
    members = {scope: KubeMemberFactory(group__regency=regency[scope]) for scope in (OWN, OTHER)}
    ctx = {
        "regency": regency,
        "budget_year": BudgetYearFactory(),
        "person": {scope: PersonFactory(regency=regency[scope]) for scope in (OWN, OTHER)},
        "group": {scope: member.group for scope, member in members.items()},
        "member": members,
        "proposal": {scope: ProposalFactory(regency=regency[scope], with_documents=True) for scope in (OWN, OTHER)},
    }
    ctx["item"] = {scope: ProposalItemFactory(proposal=ctx["proposal"][scope]) for scope in (OWN, OTHER)}
    ctx["upload"] = {
        scope: UploadFactory(proposal=ctx["proposal"][scope], file=ContentFile(TEMPLATE, name="u.xlsx"))
        for scope in (OWN, OTHER)
    }
    package = PackageFactory()
    ctx["goods"], ctx["package"] = package.lines.first().goods, package
    ctx["allocation"], ctx["session"], ctx["attendance"], ctx["handover"] = {}, {}, {}, {}
    for scope in (OWN, OTHER):
        CeilingFactory(regency=regency[scope])
        item = ApprovedItemFactory(proposal__regency=regency[scope])
        ctx["allocation"][scope] = allocations_create(item_ids=[item.pk], lines=package_lines(package), actor=None)[0]
        ctx["session"][scope] = TrainingSessionFactory(regency=regency[scope])
        [attendance] = participants_invite(session=ctx["session"][scope], item_ids=[item.pk], actor=None)
        ctx["attendance"][scope] = attendance_mark(attendance=attendance, status="present", actor=None)
        ctx["handover"][scope] = handover_attach(
            handover=HandoverFactory(allocation=ctx["allocation"][scope]),
            field="photo",
            upload=SimpleUploadedFile("foto.png", PNG),
            actor=None,
        )
    if role != ANONYMOUS:
        role = Role(role)
        factory = factory_for_role(role)
        user = factory(regency=samarinda) if factory is OperatorFactory else factory()
        client.force_login(user)
    url = reverse(name, kwargs=access.kwargs(ctx, scope) if access.kwargs else None)

    data = access.data(ctx, scope) if callable(access.data) else access.data
    response = getattr(client, access.method)(url, data)

    expected = access.expected(role, scope)
    if expected == LOGIN:
        assert response.status_code == 302, response
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, f"{role} {scope or ''} {url}: {response.status_code}"
