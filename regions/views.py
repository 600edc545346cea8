from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from regions import selectors
from regions.models import Regency


@login_required
def regency_list(request):
    regencies = list(selectors.regency_list(user=request.user))
    totals = {
        "population_total": sum(r.population_total for r in regencies),
        "district_count": sum(r.district_count for r in regencies),
        "desa_count": sum(r.desa_count for r in regencies),
        "kelurahan_count": sum(r.kelurahan_count for r in regencies),
    }
    return render(request, "regions/regency_list.html", {"regencies": regencies, "totals": totals})


@login_required
def regency_detail(request, code):
    try:
        regency = selectors.regency_get(user=request.user, code=code)
    except Regency.DoesNotExist:
        raise Http404 from None
    districts = selectors.district_list(regency=regency)
    return render(request, "regions/regency_detail.html", {"regency": regency, "districts": districts})


@login_required
def village_options(request):
    """<option>s of the desa/kelurahan of one kecamatan (htmx: a kecamatan select refreshes its village select)."""
    district = request.GET.get("district")
    villages = selectors.villages_visible_to(request.user).filter(district=district) if district else []
    return render(request, "regions/partials/village_options.html", {"villages": villages})


@login_required
def district_options(request):
    """<option>s of the kecamatan of one regency (htmx: a regency select refreshes its kecamatan select)."""
    regency = request.GET.get("regency")
    districts = selectors.districts_visible_to(request.user)
    if regency:
        districts = districts.filter(regency=regency)
    return render(request, "regions/partials/district_options.html", {"districts": districts})
