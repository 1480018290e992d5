from django.contrib import admin

from cohorts.models import Cohort, Membership
from portal.admin import SafeAutocompleteMixin


class SuperuserOnly:
    """Cohorts are managed in the portal by their instructors; the admin is for superusers."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MembershipInline(SafeAutocompleteMixin, SuperuserOnly, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["uuid"]


@admin.register(Cohort)
class CohortAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "join_code", "inactive_days", "mastery_threshold", "created_at"]
    search_fields = ["name", "join_code"]
    filter_horizontal = ["instructors"]
    readonly_fields = ["uuid", "created_at"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SafeAutocompleteMixin, SuperuserOnly, admin.ModelAdmin):
    list_display = ["user", "cohort", "state", "joined_at", "changed_at"]
    list_filter = ["state", "cohort"]
    search_fields = ["user__email", "cohort__name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "cohort"]
