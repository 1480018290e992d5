"""The site's URLs plus one view that fails, for the tests of the error log and the 500 page."""

from django.urls import path

from home.urls import handler500
from home.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def fails(request):
    raise RuntimeError("the view failed on purpose")


urlpatterns = [path("test-fails/", fails), *site_urlpatterns]
