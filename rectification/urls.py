from django.urls import path

from . import rebound_views, views

app_name = "rectification"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("export.xlsx", views.task_export, name="export"),
    path("import/", views.task_import, name="import"),
    path("look-back/", views.look_back, name="look_back"),
    path("rebounds/", rebound_views.rebound_list, name="rebounds"),
    path("rebounds/<int:pk>/", rebound_views.rebound_edit, name="rebound_edit"),
    path("plan/", views.plan, name="plan"),
    path("plan/<int:unit_pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("grades/", views.grades, name="grades"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("<int:pk>/progress/", views.progress_new, name="progress"),
    path("<int:pk>/step/<str:step>/", views.task_step, name="step"),
    path("<int:pk>/targets/<int:target_pk>/", views.annual_target, name="target"),
    path("measures/<int:pk>/complete/", views.measure_complete, name="measure_complete"),
    path("measures/<int:pk>/look-back/", views.look_back_new, name="look_back_new"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]

public_urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("<int:pk>/", views.public_task, name="public_task"),
]
