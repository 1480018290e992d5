"""The benchmark's root URLconf: the portal's, plus the baseline and the reference pages (only under
bench.settings)."""

from django.urls import path

from bench.views import baseline, floor, layout
from home.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/baseline/", baseline, name="bench-baseline"),
    path("bench/layout/", layout, name="bench-layout"),
    path("bench/floor/", floor, name="bench-floor"),
    *portal_urlpatterns,
]
