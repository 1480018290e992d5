from django.urls import path

from content import views

app_name = "content"
urlpatterns = [
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("modules/<str:code>/", views.module_detail, name="module"),
    path("objectives/<str:code>/", views.objective_detail, name="objective"),
    path("objectives/<str:code>/studied/", views.objective_studied, name="objective-studied"),
    path("search/", views.search, name="search"),
]
