"""The benchmark's root URLconf: the portal's, plus the baseline page (only under bench.settings)."""

from django.urls import path

from bench.views import baseline
from home.urls import urlpatterns as portal_urlpatterns

urlpatterns = [path("bench/baseline/", baseline, name="bench-baseline"), *portal_urlpatterns]
