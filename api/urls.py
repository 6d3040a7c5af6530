from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import docs_views, open311, views

app_name = "api"

urlpatterns = [
    path("inspections", views.InspectionList.as_view(), name="inspections"),
    path("cases", views.CaseList.as_view(), name="cases"),
    path("cases/by-receipt-no/<str:receipt_no>", views.CaseByReceipt.as_view(), name="case_by_receipt"),
    path("cases/<str:pk>", views.CaseDetail.as_view(), name="case"),
    path("cases/<str:pk>/transitions", views.CaseTransitions.as_view(), name="case_transitions"),
    path("cases/<str:pk>/transition-log", views.CaseTransitionLog.as_view(), name="case_transition_log"),
    path("cases/<str:pk>/history", views.CaseHistory.as_view(), name="case_history"),
    path("cases/<str:pk>/progress", views.CaseProgress.as_view(), name="case_progress"),
    path("cases/<str:pk>/evidence", views.CaseEvidence.as_view(), name="case_evidence"),
    path("cases/<str:pk>/evidence/", views.CaseEvidenceSlash.as_view()),  # the same, with a slash
    path(
        "cases/<str:pk>/evidence/<str:eid>/file", views.CaseEvidenceFile.as_view(), name="case_evidence_file"
    ),
    path("tasks", views.TaskList.as_view(), name="tasks"),
    path("tasks/<str:pk>", views.TaskDetail.as_view(), name="task"),
    path("tasks/<str:pk>/progress", views.TaskProgress.as_view(), name="task_progress"),
    path("acceptance/steps", views.StepList.as_view(), name="steps"),
    path("acceptance/steps/<str:pk>", views.StepDetail.as_view(), name="step"),
    path("acceptance/forms", views.FormList.as_view(), name="forms"),
    path("acceptance/forms/<str:pk>", views.FormDetail.as_view(), name="form"),
    path("warnings", views.WarningList.as_view(), name="warnings"),
    path("warnings/<str:pk>", views.WarningDetail.as_view(), name="warning"),
    path("letters", views.LetterList.as_view(), name="letters"),
    path("letters/<str:pk>", views.LetterDetail.as_view(), name="letter"),
    path("reports", views.ReportList.as_view(), name="reports"),
    path("reports/<str:pk>", views.ReportDetail.as_view(), name="report"),
    path("reports/<str:pk>/xlsx", views.ReportXlsx.as_view(), name="report_xlsx"),
    path("reports/<str:pk>/pdf", views.ReportPdf.as_view(), name="report_pdf"),
    path("scoring/results", views.ScoringResults.as_view(), name="scoring_results"),
    path("events", views.Events.as_view(), name="events"),
    path("open311/services.json", open311.Services.as_view(), name="open311_services"),
    path("open311/requests.json", open311.Requests.as_view(), name="open311_requests"),
    path(
        "open311/requests/<str:service_request_id>.json",
        open311.RequestDetail.as_view(),
        name="open311_request",
    ),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its set-up script as a file: the site's CSP forbids inline scripts.
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc",
        docs_views.RedocView.as_view(url_name="api:schema"),
        name="redoc",
    ),
]
