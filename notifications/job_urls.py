from django.urls import path

from . import job_views

app_name = "jobs"
urlpatterns = [
    path("", job_views.job_list, name="list"),
    path("<int:pk>/", job_views.job_detail, name="detail"),
    path("<int:pk>/status.json", job_views.job_status_json, name="status"),
    path("<int:pk>/download/", job_views.job_download, name="download"),
    path("<int:pk>/retry/", job_views.job_retry, name="retry"),
]
