from django.urls import path

from . import office_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/handling/", views.case_handling, name="handling"),
    path("<int:pk>/progress/", views.case_progress, name="progress"),
    path("<int:pk>/attachments/", views.case_attachment, name="attachment_add"),
    path("<int:pk>/points/", views.case_points, name="points"),
    path("<int:pk>/transition/", views.case_transition, name="transition"),
    path("files/<int:pk>/", views.attachment_file, name="attachment"),
    path("import/", office_views.import_upload, name="import"),
    path("import/<int:pk>/", office_views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", office_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/errors.xlsx", office_views.import_errors, name="import_errors"),
    path("rechecks/", office_views.recheck_list, name="rechecks"),
    path("rechecks/visits/<int:pk>/", office_views.recheck_visit, name="recheck_visit"),
    path("rebounds/", office_views.rebound_list, name="rebounds"),
    path("rebounds/<int:pk>/", office_views.rebound_disposition, name="rebound_edit"),
]
