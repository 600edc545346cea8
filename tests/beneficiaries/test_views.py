import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from beneficiaries.identity import make_nik
from beneficiaries.models import KubeMember, MemberRole, Person
from jobs.models import Job
from programs.models import BusinessType
from regions.models import Village
from tests.factories import (
    AdminProvinsiFactory,
    AuditorFactory,
    KubeGroupFactory,
    KubeMemberFactory,
    OperatorFactory,
    PersonFactory,
    PimpinanFactory,
    VerifikatorFactory,
)
from tests.plans import explain

pytestmark = pytest.mark.django_db
LIST = "/penduduk/"


def _login(client, user):
    client.force_login(user)
    client.get(reverse("home"))  # the first page after login renews the session; keep it out of counts
    return user


def _names(response):
    return [p.full_name for p in response.context["page"]]


# The list ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [60, 180])
def test_list_page_runs_a_fixed_small_number_of_queries(client, rows, django_assert_max_num_queries, balikpapan):
    for i in range(rows):
        PersonFactory(regency=balikpapan) if i % 3 else PersonFactory()
    _login(client, VerifikatorFactory())
    with django_assert_max_num_queries(10) as queries:
        response = client.get(LIST, {"sex": "P", "q": "a"})
    assert len(response.context["page"]) <= 50
    # 3 per request (session, user, groups) + count + page + filter choices; the same for 60 or 180 rows
    assert len(queries) <= 8


def test_list_query_count_does_not_grow_with_data(client, django_assert_num_queries):
    user = _login(client, AdminProvinsiFactory())
    for _ in range(55):
        PersonFactory()
    client.get(LIST)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST)
    for _ in range(120):
        PersonFactory()
    with CaptureQueriesContext(connection) as large:
        client.get(LIST)
    assert len(small) == len(large) <= 10
    assert user.is_provincial


def test_operator_sees_only_own_regency(client, balikpapan):
    mine = PersonFactory(full_name="Aminah Samarinda")
    PersonFactory(full_name="Aminah Balikpapan", regency=balikpapan)
    _login(client, OperatorFactory())
    assert _names(client.get(LIST)) == [mine.full_name]
    assert client.get(LIST, {"q": "Balikpapan"}).context["page"].object_list == []


def test_nik_is_masked_in_the_list(client):
    person = PersonFactory()
    _login(client, OperatorFactory())
    content = client.get(LIST).content.decode()
    assert person.masked_nik in content and person.nik not in content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "siti"}, ["Siti Aminah", "Siti Rahma"]),
        ({"q": "RAHMA siti"}, ["Siti Rahma"]),
        ({"sex": "L"}, ["Budi Santoso"]),
        ({"desil": "1"}, ["Siti Aminah"]),
        ({"assisted": "ya"}, ["Siti Rahma"]),
        ({"assisted": "tidak"}, ["Budi Santoso", "Siti Aminah"]),
        ({"age": "30-39"}, ["Siti Rahma"]),
        ({"age": "60+"}, ["Budi Santoso"]),
    ],
)
def test_filters(client, params, expected):
    today = timezone.localdate()
    PersonFactory(full_name="Siti Aminah", desil=1, birth_date=today.replace(year=today.year - 45))
    PersonFactory(
        full_name="Siti Rahma", desil=3, last_assisted_year=2022, birth_date=today.replace(year=today.year - 35)
    )
    PersonFactory(full_name="Budi Santoso", sex="L", birth_date=today.replace(year=today.year - 61))
    _login(client, PimpinanFactory())
    assert _names(client.get(LIST, params)) == expected


def test_search_by_nik_whole_or_start(client):
    person = PersonFactory()
    PersonFactory()
    _login(client, OperatorFactory())
    assert _names(client.get(LIST, {"q": person.nik})) == [person.full_name]
    assert person.full_name in _names(client.get(LIST, {"q": person.nik[:8]}))


def test_region_filters(client, samarinda, balikpapan):
    village = Village.objects.filter(district__regency=samarinda).order_by("code")[3]
    here = PersonFactory(village=village)
    PersonFactory(
        village=Village.objects.filter(district__regency=samarinda).exclude(district=village.district).first()
    )
    PersonFactory(regency=balikpapan)
    _login(client, VerifikatorFactory())
    assert len(_names(client.get(LIST, {"regency": samarinda.code}))) == 2
    assert _names(client.get(LIST, {"district": village.district_id})) == [here.full_name]
    assert _names(client.get(LIST, {"district": village.district_id, "village": village.code})) == [here.full_name]


def test_keyset_pages_walk_forward_and_back(client):
    for i in range(120):
        PersonFactory(full_name=f"Warga {i:03d}")
    _login(client, OperatorFactory())
    first = client.get(LIST)
    assert _names(first)[0] == "Warga 000" and len(_names(first)) == 50
    assert first.context["total"].value == 120 and first.context["total"].exact
    second = client.get(LIST, {"setelah": first.context["page"].next_cursor})
    assert _names(second)[0] == "Warga 050"
    third = client.get(LIST, {"setelah": second.context["page"].next_cursor})
    assert _names(third) == [f"Warga {i:03d}" for i in range(100, 120)] and not third.context["page"].has_next
    back = client.get(LIST, {"sebelum": third.context["page"].previous_cursor})
    assert _names(back) == _names(second)
    assert client.get(LIST, {"setelah": "rusak!!"}).status_code == 200  # a broken cursor starts at the top


def test_htmx_filter_returns_only_the_table(client):
    PersonFactory(full_name="Siti Aminah")
    _login(client, OperatorFactory())
    response = client.get(LIST, {"q": "siti"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "Siti Aminah" in content and '<nav class="navbar' not in content


# Detail and privacy --------------------------------------------------------------------------------


def test_detail_shows_household_groups_and_history(client):
    person = PersonFactory(kk_number="6472031111110001")
    spouse = PersonFactory(kk_number="6472031111110001", full_name="Suami Warga", sex="L")
    KubeMemberFactory(person=person, role=MemberRole.TREASURER, group__name="KUBE Melati")
    _login(client, OperatorFactory())
    response = client.get(person.get_absolute_url())
    content = response.content.decode()
    assert spouse.full_name in content
    assert "KUBE Melati" in content and "Bendahara" in content
    assert person.masked_nik in content and person.nik not in content


def test_revealing_the_nik_is_audited(client):
    person = PersonFactory()
    operator = _login(client, OperatorFactory())
    response = client.post(reverse("beneficiaries:person_reveal_nik", args=[person.pk]))
    assert person.nik in response.content.decode()
    event = AuditEvent.objects.get(action="person.view_nik")
    assert (event.actor, event.object_id) == (operator, str(person.pk))


@pytest.mark.parametrize("factory", [PimpinanFactory, AuditorFactory])
def test_read_only_roles_never_see_a_whole_nik(client, factory):
    person = PersonFactory()
    _login(client, factory())
    content = client.get(person.get_absolute_url()).content.decode()
    assert person.nik not in content and person.kk_number not in content
    assert "Tampilkan NIK lengkap" not in content
    assert client.post(reverse("beneficiaries:person_reveal_nik", args=[person.pk])).status_code == 403


# Forms ---------------------------------------------------------------------------------------------


def _form(village, **changes):
    born = datetime.date(1984, 6, 9)
    data = {
        "nik": make_nik(village.district_id.replace(".", ""), born, "P", 77),
        "kk_number": "6472030909200001",
        "full_name": "Nur Aini",
        "sex": "P",
        "birth_place": "Samarinda",
        "birth_date": "09-06-1984",
        "marital_status": "cerai_hidup",
        "address": "Jl. Pahlawan 7",
        "rt": "01",
        "rw": "02",
        "district": village.district_id,
        "village": village.code,
        "phone": "0812 1111 2222",
    }
    data.update(changes)
    return data


def test_register_through_the_form(client, samarinda):
    village = Village.objects.filter(district__regency=samarinda).first()
    _login(client, OperatorFactory())
    response = client.post(reverse("beneficiaries:person_create"), _form(village))
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.birth_date == datetime.date(1984, 6, 9) and person.phone == "081211112222"


def test_form_shows_field_errors_in_indonesian(client, samarinda):
    village = Village.objects.filter(district__regency=samarinda).first()
    _login(client, OperatorFactory())
    response = client.post(reverse("beneficiaries:person_create"), _form(village, birth_date="10-06-1984", nik="123"))
    form = response.context["form"]
    assert response.status_code == 200, form.errors
    assert form.errors["nik"] == ["NIK harus 16 digit (tertulis 3 digit)."], form.errors
    response = client.post(reverse("beneficiaries:person_create"), _form(village, birth_date="10-06-1984"))
    assert response.context["form"].errors["birth_date"] == [
        "Tanggal lahir tidak sesuai NIK: NIK menunjukkan 09-06-..84."
    ]
    assert not Person.objects.exists()


def test_form_offers_only_own_regency_villages(client, balikpapan):
    _login(client, OperatorFactory())
    form = client.get(reverse("beneficiaries:person_create")).context["form"]
    assert {d.regency_id for d in form.fields["district"].queryset} == {"64.72"}
    other = Village.objects.filter(district__regency=balikpapan).first()
    response = client.post(reverse("beneficiaries:person_create"), _form(other))
    assert response.status_code == 200 and not Person.objects.exists()


def test_village_options_follow_the_district(client, samarinda, balikpapan):
    _login(client, OperatorFactory())
    district = samarinda.districts.first()
    content = client.get(reverse("regions:village_options"), {"district": district.pk}).content.decode()
    assert content.count("<option") == district.villages.count() + 1
    other = balikpapan.districts.first()
    assert client.get(reverse("regions:village_options"), {"district": other.pk}).content.decode().count("<option") == 1


# KUBE pages ----------------------------------------------------------------------------------------


def test_group_create_and_members_via_htmx(client, samarinda):
    operator = _login(client, OperatorFactory())
    village = Village.objects.filter(district__regency=samarinda).first()
    response = client.post(
        reverse("beneficiaries:group_create"),
        {
            "name": "KUBE Anggrek",
            "business_type": BusinessType.objects.first().pk,
            "district": village.district_id,
            "village": village.code,
        },
    )
    group = operator.regency.kube_groups.get()
    assert response["Location"] == group.get_absolute_url()
    people = [PersonFactory() for _ in range(2)]
    url = reverse("beneficiaries:member_add", args=[group.pk])
    added = client.post(url, {"person": people[0].pk, "role": "ketua"}, HTTP_HX_REQUEST="true")
    assert people[0].full_name in added.content.decode() and "Belum ada sekretaris" in added.content.decode()
    refused = client.post(url, {"person": people[1].pk, "role": "ketua"}, HTTP_HX_REQUEST="true")
    assert "Jabatan ketua sudah dipegang" in refused.content.decode()
    member = KubeMember.objects.get(person=people[0])
    client.post(
        reverse("beneficiaries:member_role", args=[group.pk, member.pk]), {"role": "bendahara"}, HTTP_HX_REQUEST="true"
    )
    member.refresh_from_db()
    assert member.role == "bendahara"
    client.post(reverse("beneficiaries:member_remove", args=[group.pk, member.pk]), HTTP_HX_REQUEST="true")
    assert not group.members.exists()


def test_search_picker_finds_people_in_scope(client, balikpapan):
    PersonFactory(full_name="Halimah Tusa'diah")
    PersonFactory(full_name="Halimah Balikpapan", regency=balikpapan)
    _login(client, OperatorFactory())
    group = KubeGroupFactory()
    content = client.get(reverse("beneficiaries:person_search"), {"q": "halimah", "kube": group.pk}).content.decode()
    assert "Halimah Tusa" in content and "Balikpapan" not in content


def test_group_list_counts_members_without_a_query_per_row(client, django_assert_max_num_queries):
    for _ in range(30):
        KubeMemberFactory(role=MemberRole.CHAIR)
    _login(client, OperatorFactory())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("beneficiaries:group_list"))
    assert all(group.member_count == 1 for group in response.context["page"])


# Duplicates page -----------------------------------------------------------------------------------


def test_duplicates_page_merge_and_dismiss(client, samarinda, django_capture_on_commit_callbacks):
    village = Village.objects.filter(district__regency=samarinda).first()
    a = PersonFactory(full_name="Rusmini", village=village)
    b = PersonFactory(full_name="Rusminni", village=village)
    verifier = _login(client, VerifikatorFactory())
    assert "belum pernah diperiksa" in client.get(reverse("beneficiaries:duplicate_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("beneficiaries:duplicate_scan"))
    job = Job.objects.get()
    assert started.url == reverse("jobs:job_detail", args=[job.pk]) and job.status == "selesai"
    assert job.message.startswith("1 kelompok kemungkinan duplikat ditemukan (")
    assert job.result_url == reverse("beneficiaries:duplicate_list")
    page = client.get(reverse("beneficiaries:duplicate_list"))
    assert len(page.context["pairs"]) == 1 and "Hasil pemeriksaan" in page.content.decode()
    assert AuditEvent.objects.filter(action="person.view_nik", actor=verifier).count() == 2
    client.post(reverse("beneficiaries:duplicate_merge"), {"keep": a.pk, "duplicate": b.pk})
    b.refresh_from_db()
    assert b.merged_into == a
    assert client.get(reverse("beneficiaries:duplicate_list")).context["pairs"] == []


# Excel exports -------------------------------------------------------------------------------------


def _workbook(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_people_export_reads_back(client):
    PersonFactory(full_name='=HYPERLINK("http://x","klik")', birth_date=datetime.date(1980, 5, 17))
    normal = PersonFactory(full_name="Siti Aminah")
    _login(client, OperatorFactory())
    response = client.get(reverse("beneficiaries:person_export"), {"q": ""})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _workbook(response).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "DINAS SOSIAL PROVINSI KALIMANTAN TIMUR"
    assert rows[1][0] == "Daftar Penduduk"
    assert re.match(r"Dibuat: \d+ \w+ \d{4} pukul \d\d\.\d\d WITA", rows[3][0])
    assert rows[5][:4] == ("No", "NIK", "No KK", "Nama Lengkap")
    data = {row[3]: row for row in rows[6:]}
    assert data["Siti Aminah"][1] == normal.nik  # operators may see whole NIKs; as text
    assert data['\'=HYPERLINK("http://x","klik")'] is not None
    for cell in sheet.iter_rows(min_row=7):
        assert cell[3].data_type == "s"  # never a formula
        assert cell[1].data_type == "s"
        assert cell[6].number_format == "DD/MM/YYYY"
    assert AuditEvent.objects.get(action="person.export").after["rows"] == 2


def test_export_masks_nik_for_read_only_roles_and_names_the_filters(client):
    person = PersonFactory(desil=2)
    _login(client, PimpinanFactory())
    sheet = _workbook(client.get(reverse("beneficiaries:person_export"), {"desil": "2"})).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][0] == "Filter: Desil: Desil 2"
    assert rows[6][1] == person.masked_nik


def test_a_large_people_export_is_prepared_in_the_background_with_the_same_filters_and_scope(
    client, settings, tmp_path, balikpapan, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT, settings.BACKGROUND_EXPORT_ROWS = tmp_path, 2
    ours = [PersonFactory(desil=2) for _ in range(3)]
    PersonFactory(desil=3)  # filtered out
    PersonFactory(desil=2, regency=balikpapan)  # another regency: out of the operator's sight
    operator = _login(client, OperatorFactory())
    small = client.get(reverse("beneficiaries:person_export"), {"desil": "2", "q": ours[0].full_name})
    assert small.status_code == 200 and not Job.objects.exists()  # one row: at once, as before
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(reverse("beneficiaries:person_export"), {"desil": "2"})
    job = Job.objects.get()
    assert started.url == reverse("jobs:job_detail", args=[job.pk])
    assert (job.status, job.user, job.done, job.total) == ("selesai", operator, 3, 3)
    assert job.back_url == reverse("beneficiaries:person_list") + "?desil=2"
    sheet = _workbook(client.get(reverse("jobs:job_download", args=[job.pk]))).active
    rows = list(sheet.iter_rows(min_row=7, values_only=True))
    assert sorted(row[1] for row in rows) == sorted(p.nik for p in ours)  # whole NIKs: an operator's right
    assert list(sheet.iter_rows(values_only=True))[2][0] == "Filter: Desil: Desil 2"
    event = AuditEvent.objects.filter(action="person.export").latest("id")
    assert (event.actor, event.after["rows"], event.after["background"]) == (operator, 3, True)


def test_group_export(client):
    chair = KubeMemberFactory(role=MemberRole.CHAIR, group__name="-KUBE Minus")
    KubeMemberFactory(group=chair.group)
    _login(client, OperatorFactory())
    sheet = _workbook(client.get(reverse("beneficiaries:group_export"))).active
    row = list(sheet.iter_rows(min_row=7, values_only=True))[0]
    assert row[1] == "'-KUBE Minus" and row[7] == 2 and row[8] == chair.person.full_name
    # The officers' names are personal data: the export is recorded (UU 27/2022).
    event = AuditEvent.objects.get(action="kube_group.export")
    assert event.after["rows"] == 1 and event.regency_id == "64.72"


@pytest.mark.postgres
def test_the_province_list_of_one_sex_reads_its_page_from_an_index_in_name_order(client):
    """PostgreSQL: women aged 40–49 in name order come from person_sex_name_idx (sex, name, id), not by walking the
    whole province's name order past the men (names go with sex) nor by sorting every woman of that age. The
    planner is told to avoid scans and sorts, as it would at 1,000,000 people; the test fails when no index can
    give this page in order by sex. The statistics are the test's own (a registry of men and women, ANALYZEd inside
    its transaction), not whatever an earlier test on this worker committed and autovacuum counted."""
    PersonFactory.create_batch(3, sex="P")
    PersonFactory.create_batch(3, sex="L")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE beneficiaries_person")
    client.force_login(AdminProvinsiFactory())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, {"sex": "P", "age": "40-49"}).status_code == 200
    (page_sql,) = [q["sql"] for q in queries if "ORDER BY" in q["sql"] and "LIMIT 51" in q["sql"]]
    plan = explain(page_sql, off=("enable_seqscan", "enable_sort", "enable_bitmapscan"))
    assert "person_sex_name_idx" in plan and "Index Cond" in plan, plan
