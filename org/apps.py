from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "单位、人员与督察"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from qianshan import checks  # noqa: F401  (registers the deploy checks)
        from qianshan.common import choices

        from .middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="org.idle_clock")
        choices.connect()  # list filters' cached unit/inspection choices dropped on save
