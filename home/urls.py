"""The root URL configuration: the site composes every app's URLs."""

from django.contrib import admin
from django.urls import include, path

from home import views
from portal.views import healthz

handler500 = "portal.views.server_error"  # the 500 page shows the request id (docs/deploy.md: logs)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("exam-date/", views.exam_date, name="exam-date"),
    path("exam-outcome/", views.exam_outcome, name="exam-outcome"),
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/all.json", views.my_data_json, name="my-data-json"),
    path("my-data/<str:table>.csv", views.my_data_csv, name="my-data-csv"),
    path("my-data/delete/", views.delete_account, name="delete-account"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("content.urls")),
    path("", include("progress.urls")),
    path("", include("quizzes.urls")),
    path("", include("cohorts.urls")),
]
