from django.urls import path

from beneficiaries.views import duplicates, exports, groups, people, synthetic

app_name = "beneficiaries"

urlpatterns = [
    path("penduduk/", people.person_list, name="person_list"),
    path("penduduk/tambah/", people.person_create, name="person_create"),
    path("penduduk/cari/", people.person_search, name="person_search"),
    path("penduduk/unduh/", exports.person_export, name="person_export"),
    path("penduduk/duplikat/", duplicates.duplicate_list, name="duplicate_list"),
    path("penduduk/sintetis/", synthetic.synthetic_create, name="synthetic_create"),
    path("penduduk/duplikat/periksa/", duplicates.duplicate_scan, name="duplicate_scan"),
    path("penduduk/duplikat/bukan/", duplicates.duplicate_dismiss, name="duplicate_dismiss"),
    path("penduduk/duplikat/gabung/", duplicates.duplicate_merge, name="duplicate_merge"),
    path("penduduk/<int:pk>/", people.person_detail, name="person_detail"),
    path("penduduk/<int:pk>/ubah/", people.person_update, name="person_update"),
    path("penduduk/<int:pk>/nik/", people.person_reveal_nik, name="person_reveal_nik"),
    path("kube/", groups.group_list, name="group_list"),
    path("kube/tambah/", groups.group_create, name="group_create"),
    path("kube/unduh/", exports.group_export, name="group_export"),
    path("kube/<int:pk>/", groups.group_detail, name="group_detail"),
    path("kube/<int:pk>/ubah/", groups.group_update, name="group_update"),
    path("kube/<int:pk>/anggota/", groups.member_add, name="member_add"),
    path("kube/<int:pk>/anggota/<int:member_pk>/hapus/", groups.member_remove, name="member_remove"),
    path("kube/<int:pk>/anggota/<int:member_pk>/jabatan/", groups.member_role, name="member_role"),
]
