"""The project's URLs plus one that nobody declared: the access matrix must notice it."""

from django.http import HttpResponse
from django.urls import path

from kubeprogram.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("throwaway/", lambda request: HttpResponse("forgotten"), name="throwaway"),
]
