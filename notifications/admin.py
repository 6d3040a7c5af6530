from django.conf import settings
from django.contrib import admin

from .domain.alerts import stuck_before
from .enums import JobState
from .models import BackgroundJob, Notification, OutboxJob


class StuckFilter(admin.SimpleListFilter):
    """「滞留」: pending longer than OUTBOX_ALERT_MINUTES (the same rule as the admins' alert)."""

    title = "滞留"
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [("yes", f"滞留（超过 {settings.OUTBOX_ALERT_MINUTES} 分钟未完成）")]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        if queryset.model is OutboxJob:
            return queryset.filter(state=JobState.PENDING, created_at__lt=stuck_before())
        return queryset.filter(email_wanted=True, emailed_at=None, created_at__lt=stuck_before())


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = [StuckFilter, "kind"]
    search_fields = ["title", "recipient__username"]


@admin.register(OutboxJob)
class OutboxJobAdmin(admin.ModelAdmin):
    list_display = ["task_name", "state", "attempts", "created_at", "queued_at", "last_error"]
    list_filter = [StuckFilter, "state"]


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
