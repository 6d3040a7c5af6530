from django.contrib import admin

from qianshan.common.admin import HistoryAdmin, ReadOnlyAdmin, WithdrawableAdmin

from .models import (
    AdmonitionTalk,
    ClueReferral,
    EarlyWarning,
    JobRun,
    LetterCounter,
    Report,
    ReportDelivery,
    ReportSection,
    SupervisionLetter,
)


@admin.register(EarlyWarning)
class EarlyWarningAdmin(HistoryAdmin):
    list_display = ["level", "task", "case", "unit", "deadline", "raised_on", "state"]
    list_filter = ["level", "state"]
    readonly_fields = ["state"]  # raised and lifted by the warning sweep only


@admin.register(SupervisionLetter)
class SupervisionLetterAdmin(WithdrawableAdmin):
    list_display = ["year", "serial", "unit", "issued_on", "reply_deadline", "state"]
    list_filter = ["year"]
    # Numbered and answered through the supervision pages; withdrawn here with a reason, never deleted.
    readonly_fields = ["year", "serial", "state", "reply", "replied_at", "replied_by", "issued_by"]


@admin.register(AdmonitionTalk)
class AdmonitionTalkAdmin(HistoryAdmin):
    list_display = ["unit", "held_on", "is_public"]


@admin.register(ClueReferral)
class ClueReferralAdmin(HistoryAdmin):
    list_display = ["unit", "referred_on", "recipient"]


# Dated records and bookkeeping the scheduled jobs write: read-only.
@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["kind", "period_start", "period_end", "created_at", "sent_at", "sent_count"]
    list_filter = ["kind"]


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "period", "attempts", "started_at", "finished_at"]


@admin.register(LetterCounter)
class LetterCounterAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_serial"]


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ReadOnlyAdmin):
    """报送记录: made on the report page with its PDF and SHA-256; read here, never edited."""

    list_display = ["report", "recipients", "delivered_on", "delivered_by", "sha256"]


@admin.register(ReportSection)
class ReportSectionAdmin(ReadOnlyAdmin):
    """报告单位分节: built with the report, read here, never edited."""

    list_display = ["report", "unit"]
    list_select_related = ["report", "unit"]
