from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from qianshan.common.admin import ReadOnlyAdmin

from .models import (
    AdmonitionTalk,
    ClueReferral,
    EarlyWarning,
    JobRun,
    LetterCounter,
    Report,
    SupervisionLetter,
)


@admin.register(EarlyWarning)
class EarlyWarningAdmin(SimpleHistoryAdmin):
    list_display = ["level", "task", "case", "unit", "deadline", "raised_on", "state"]
    list_filter = ["level", "state"]


@admin.register(SupervisionLetter)
class SupervisionLetterAdmin(SimpleHistoryAdmin):
    list_display = ["year", "serial", "unit", "issued_on", "reply_deadline"]
    list_filter = ["year"]


@admin.register(AdmonitionTalk)
class AdmonitionTalkAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "held_on", "is_public"]


@admin.register(ClueReferral)
class ClueReferralAdmin(SimpleHistoryAdmin):
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
