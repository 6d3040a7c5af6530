from django.urls import path

from . import consequence_views as cv
from . import exports, views

app_name = "scoring"
urlpatterns = [
    path("", views.index, name="index"),
    path("sheets/start/", views.start_sheet, name="start_sheet"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/edit/", views.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/preview/", views.sheet_preview, name="sheet_preview"),
    path("sheets/<int:pk>/review/", views.start_review, name="start_review"),
    path("sheets/<int:pk>/return/", views.return_sheet, name="return_sheet"),
    path("units/<int:unit_id>/<int:year>/", views.assessment_detail, name="assessment"),
    path("units/<int:unit_id>/<int:year>/step/", views.assessment_step, name="assessment_step"),
    path("units/<int:unit_id>/<int:year>/events/new/", cv.event_new, name="event_new"),
    path("events/<int:pk>/revoke/", cv.event_revoke, name="event_revoke"),
    path("events/<int:pk>/evidence/", cv.event_evidence, name="event_evidence"),
    path("units/<int:unit_id>/<int:year>/talks/new/", cv.talk_new, name="talk_new"),
    path("talks/", cv.talks, name="talks"),
    path("talks/<int:pk>/rectified/", cv.talk_rectified, name="talk_rectified"),
    path("units/<int:unit_id>/<int:year>/referrals/new/", cv.referral_new, name="referral_new"),
    path("referrals/", cv.referrals, name="referrals"),
    path("referrals/<int:pk>/", cv.referral_detail, name="referral"),
    path("calendar/", cv.calendar, name="calendar"),
    path("calendar/<int:pk>/", cv.calendar_edit, name="calendar_edit"),
    path("<int:year>/ranking.xlsx", exports.ranking_xlsx, name="ranking_xlsx"),
    path("<int:year>/ranking.pdf", exports.ranking_pdf, name="ranking_pdf"),
    path("<int:year>/sheets.json", exports.sheets_json, name="sheets_json"),
    path("<int:year>/sheets.xlsx", exports.sheets_xlsx, name="sheets_xlsx"),
    path("import/", exports.import_sheets, name="import"),
]
