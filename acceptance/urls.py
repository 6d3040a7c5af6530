from django.urls import path

from . import views

app_name = "acceptance"
urlpatterns = [
    path("", views.index, name="index"),
]
