from django.urls import path

from proposals.views import builder, proposals, workbooks

app_name = "proposals"

urlpatterns = [
    path("", proposals.proposal_list, name="proposal_list"),
    path("buka/", proposals.proposal_open, name="proposal_open"),
    path("<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("<int:pk>/tambah/", builder.add_from_registry, name="add_from_registry"),
    path("<int:pk>/ajukan/", proposals.proposal_submit, name="proposal_submit"),
    path("<int:pk>/keputusan/", proposals.items_decide, name="items_decide"),
    path("<int:pk>/selesai/", proposals.proposal_finish, name="proposal_finish"),
    path("<int:pk>/periksa-ulang/", proposals.proposal_recheck, name="proposal_recheck"),
    path("<int:pk>/hapus/<int:item_pk>/", proposals.item_remove, name="item_remove"),
    path("<int:pk>/dokumen/<slug:kind>/", proposals.document_upload, name="document_upload"),
    path("<int:pk>/dokumen/<slug:kind>/unduh/", proposals.document_download, name="document_download"),
    path("<int:pk>/template/", workbooks.template_download, name="template_download"),
    path("<int:pk>/unggah/", workbooks.upload_create, name="upload_create"),
    path("<int:pk>/unggah/<int:upload_pk>/", workbooks.upload_detail, name="upload_detail"),
    path("<int:pk>/unggah/<int:upload_pk>/simpan/", workbooks.upload_commit, name="upload_commit"),
    path("<int:pk>/unggah/<int:upload_pk>/kesalahan/", workbooks.upload_errors, name="upload_errors"),
]
