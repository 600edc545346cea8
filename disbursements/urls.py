from django.urls import path

from disbursements.views import allocations, budget, catalogue

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
]
