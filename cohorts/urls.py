from django.urls import path

from cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("my-cohorts/", views.my_cohorts, name="mine"),
    path("my-cohorts/join/", views.join_with_code, name="join-with-code"),
    path("my-cohorts/<str:uuid>/leave/", views.leave, name="leave"),
    path("join/<str:code>/", views.join, name="join"),
    path("cohorts/", views.cohort_list, name="list"),
    path("cohorts/<str:uuid>/", views.cohort_overview, name="overview"),
    path("cohorts/<str:uuid>/overview.csv", views.cohort_csv, name="overview-csv"),
    path("cohorts/<str:uuid>/quizzes/<slug:slug>/", views.quiz_statistics, name="statistics"),
    path("cohorts/<str:uuid>/quizzes/<slug:slug>/statistics.csv", views.quiz_statistics_csv, name="statistics-csv"),
    path("cohorts/<str:uuid>/settings/", views.cohort_settings, name="settings"),
    path("cohorts/<str:uuid>/code/", views.cohort_code, name="code"),
    path("cohorts/<str:uuid>/learners/<str:membership>/", views.learner_detail, name="learner"),
    path("cohorts/<str:uuid>/learners/<str:membership>/remove/", views.learner_remove, name="learner-remove"),
    path("cohorts/<str:uuid>/learners/<str:membership>/restore/", views.learner_restore, name="learner-restore"),
    path(
        "cohorts/<str:uuid>/learners/<str:membership>/attempts/<str:attempt>/",
        views.learner_attempt,
        name="learner-attempt",
    ),
]
