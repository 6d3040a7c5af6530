from django.contrib import admin

from .models import BackgroundJob, Notification, OutboxJob


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    list_display = ["task_name", "state", "attempts", "created_at", "queued_at"]
    list_filter = ["state"]


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """Seen for support; jobs are started, retried and expired by the app, never edited here."""

    list_display = ["title", "owner", "state", "processed", "total", "created_at", "expires_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "owner__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
