from django.contrib import admin
from django.urls import include, path

from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("exam-date/", views.exam_date, name="exam-date"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("content.urls")),
    path("", include("progress.urls")),
    path("", include("quizzes.urls")),
]
