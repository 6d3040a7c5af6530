from django.urls import path

from . import views

app_name = "acceptance"
urlpatterns = [
    path("", views.index, name="index"),
    path("bundle/", views.bundle, name="bundle"),
    path("cases/<int:pk>/", views.case_chain, name="case"),
    path("cases/<int:pk>/apply/", views.apply_acceptance, name="apply"),
    path("cases/<int:pk>/summary/", views.summary, name="summary"),
    path("cases/<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("steps/<int:pk>/apply-review/", views.apply_review, name="apply_review"),
    path("steps/<int:pk>/decide/", views.decide, name="decide"),
    path("forms/<int:pk>/", views.form_detail, name="form"),
    path("forms/<int:pk>/edit/", views.form_edit, name="form_edit"),
    path("forms/<int:pk>/assign/", views.form_assign, name="form_assign"),
    path("forms/<int:pk>/sign/<int:slot_pk>/", views.slot_sign, name="sign"),
    path("forms/<int:pk>.pdf", views.form_pdf, name="form_pdf"),
]
