from django.urls import path

from quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("quizzes/", views.quiz_list, name="list"),
    path("quizzes/practice/<str:source>/", views.practice_start, name="practice"),
    path("quizzes/<slug:slug>/", views.quiz_detail, name="quiz"),
    path("quizzes/<slug:slug>/start/", views.quiz_start, name="start"),
    path("attempts/<str:uuid>/", views.attempt_continue, name="attempt-continue"),
    path("attempts/<str:uuid>/summary/", views.attempt_summary, name="attempt-summary"),
    path("attempts/<str:uuid>/submit/", views.attempt_submit_view, name="attempt-submit"),
    path("attempts/<str:uuid>/result/", views.attempt_result, name="attempt-result"),
    path("attempts/<str:uuid>/<int:position>/", views.attempt_question, name="attempt-question"),
    path("attempts/<str:uuid>/<int:position>/flag/", views.attempt_flag_view, name="attempt-flag"),
]
