from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from rectification.urls import public_urlpatterns as public_task_urls

from . import views

admin.site.site_header = "千山督察整改案件管理系统"
admin.site.site_title = "千山督察整改"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password_change_done",
    ),
    path("cases/", include("cases.urls")),
    path("public/cases/", include("cases.public_urls")),
    path("tasks/", include("rectification.urls")),
    path("public/tasks/", include((public_task_urls, "public_tasks"))),
    path("acceptance/", include("acceptance.urls")),
    path("scoring/", include("scoring.urls")),
    path("supervision/", include("supervision.urls")),
    path("oversight/", include("oversight.urls")),
    path("notifications/", include("notifications.urls")),
    path("jobs/", include("notifications.job_urls")),
    # browsers ask for /favicon.ico on pages without an icon link (the admin, a PDF, a download)
    path("favicon.ico", views.favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
]
