from django.urls import path

from . import public_views

app_name = "public_cases"
urlpatterns = [
    path("", public_views.public_index, name="index"),
    path("<str:code>/", public_views.public_table, name="table"),
    path("<str:code>/export.xlsx", public_views.public_export, name="export"),
]
