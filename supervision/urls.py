from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>/resend/", views.report_resend, name="report_resend"),
    path("reports/<int:pk>/units/<int:unit_id>/", views.report_unit, name="report_unit"),
    path("reports/<int:pk>/deliver/", views.report_deliver, name="report_deliver"),
    path("deliveries/<int:pk>/file/", views.delivery_file, name="delivery_file"),
    path("ledger-131.xlsx", views.ledger_131, name="ledger_131"),
    path("warnings/", views.warning_list, name="warnings"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/new/", views.letter_new, name="letter_new"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("talks/new/", views.talk_new, name="talk_new"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("items/<str:kind>/<int:pk>/", views.item_escalation, name="item"),
]
