from django.contrib import admin

from content.models import Course, Module, Objective
from content.services import objective_render


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "course", "order"]
    list_filter = ["course"]
    search_fields = ["code", "title"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    """Read-mostly: the text files under content/courses/ are the source of truth (load_course)."""

    list_display = ["code", "prompt", "module"]
    list_filter = ["module__course", "module"]
    list_select_related = ["module"]
    search_fields = ["code", "prompt", "note_text"]  # also the question form's objective autocomplete
    readonly_fields = ["note_html"]

    def save_model(self, request, obj, form, change):
        objective_render(obj)  # an edited note never keeps the HTML of the old one
        super().save_model(request, obj, form, change)
