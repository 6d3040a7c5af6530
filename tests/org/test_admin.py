"""Every model of the project is in the Django admin, and every admin page opens."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

PROJECT_APPS = {"org", "notifications", "cases", "rectification", "acceptance", "scoring", "supervision"}


def project_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")
    ]


def test_admin_registers_every_model():
    missing = [m._meta.label for m in project_models() if m not in admin.site._registry]
    assert missing == []


@pytest.mark.django_db
def test_admin_changelists_open_for_admin(users, client):
    client.force_login(users["admin"])
    for model in project_models():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
