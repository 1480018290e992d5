from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("objectives/<str:code>/studied/", views.objective_studied, name="objective-studied"),
]
