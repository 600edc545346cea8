"""The goods catalogue (Katalog Barang) and the packages (Paket Bantuan): read by all, kept by Admin Provinsi."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from core.access import require
from core.forms import add_service_errors
from disbursements import selectors, services
from disbursements.forms import GoodsItemForm, PackageForm, PackageLineFormSet, formset_lines
from disbursements.permissions import can_manage_catalogue, can_view_catalogue


@login_required
def goods_list(request):
    require(can_view_catalogue(request.user))
    return render(
        request,
        "disbursements/goods_list.html",
        {"goods": selectors.goods_visible_to(request.user), "can_manage": can_manage_catalogue(request.user)},
    )


@login_required
def goods_form(request, pk=None):
    require(can_manage_catalogue(request.user))
    goods = get_object_or_404(selectors.goods_visible_to(request.user), pk=pk) if pk else None
    form = GoodsItemForm(request.POST or None, instance=goods)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.goods_item_save(goods=goods, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved} disimpan.")
            return redirect("disbursements:goods_list")
    return render(request, "disbursements/goods_form.html", {"form": form, "goods": goods})


@login_required
def package_list(request):
    require(can_view_catalogue(request.user))
    return render(
        request,
        "disbursements/package_list.html",
        {"packages": selectors.packages_visible_to(request.user), "can_manage": can_manage_catalogue(request.user)},
    )


@login_required
def package_form(request, pk=None):
    require(can_manage_catalogue(request.user))
    package = get_object_or_404(selectors.packages_visible_to(request.user), pk=pk) if pk else None
    form = PackageForm(request.POST or None, instance=package)
    initial = [{"goods": line.goods, "quantity": line.quantity} for line in package.lines.all()] if package else []
    formset = PackageLineFormSet(request.POST or None, initial=initial, prefix="barang")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {name: form.cleaned_data[name] for name in PackageForm.Meta.fields}
        try:
            saved = services.package_save(package=package, data=data, lines=formset_lines(formset), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{saved} disimpan.")
            return redirect("disbursements:package_list")
    return render(request, "disbursements/package_form.html", {"form": form, "formset": formset, "package": package})
