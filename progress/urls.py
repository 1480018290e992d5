from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("study/", views.study, name="study"),
    path("study/rate/", views.study_rate, name="study-rate"),
    path("study/undo/", views.study_undo, name="study-undo"),
    path("study/course/<slug:course>/", views.study, name="study-course"),
    path("study/<str:code>/", views.study, name="study-module"),
    path("settings/", views.learner_settings, name="settings"),
]
