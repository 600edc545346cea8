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
