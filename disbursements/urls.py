from django.urls import path

from disbursements.views import allocations, budget, catalogue, handovers

app_name = "disbursements"

urlpatterns = [
    path("anggaran/<int:year>/pagu/", budget.budget_overview, name="budget_overview"),
    path("anggaran/<int:year>/pagu/ubah/", budget.ceiling_edit, name="ceiling_edit"),
    path("anggaran/<int:year>/pagu/unduh/", budget.absorption_export, name="absorption_export"),
    path("barang/", catalogue.goods_list, name="goods_list"),
    path("barang/tambah/", catalogue.goods_form, name="goods_create"),
    path("barang/<int:pk>/ubah/", catalogue.goods_form, name="goods_update"),
    path("paket/", catalogue.package_list, name="package_list"),
    path("paket/tambah/", catalogue.package_form, name="package_create"),
    path("paket/<int:pk>/ubah/", catalogue.package_form, name="package_update"),
    path("alokasi/", allocations.allocation_list, name="allocation_list"),
    path("alokasi/unduh/", allocations.allocation_export, name="allocation_export"),
    path("alokasi/baru/", allocations.allocation_new, name="allocation_new"),
    path("alokasi/<int:pk>/", allocations.allocation_detail, name="allocation_detail"),
    path("alokasi/<int:pk>/batal/", allocations.allocation_void, name="allocation_void"),
    path("alokasi/<int:pk>/bast/", handovers.handover_create, name="handover_create"),
    path("bast/", handovers.handover_list, name="handover_list"),
    path("bast/unduh/", handovers.handover_export, name="handover_export"),
    path("bast/<int:pk>/", handovers.handover_detail, name="handover_detail"),
    path("bast/<int:pk>/cetak/", handovers.handover_print, name="handover_print"),
    path("bast/cetak/", handovers.handover_print_many, name="handover_print_many"),
    path("bimtek/<int:pk>/bast/", handovers.handover_batch, name="handover_batch"),
    path("bast/<int:pk>/lampiran/<str:kind>/", handovers.handover_attach, name="handover_attach"),
    path("bast/<int:pk>/berkas/<str:kind>/", handovers.handover_file, name="handover_file"),
    path("bast/<int:pk>/batal/", handovers.handover_void, name="handover_void"),
]
