"""Admin helpers shared by every app's admin.py."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs and evidence: the admin may look, never change or delete (the domain writes them)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
