from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "单位、人员与督察"

    def ready(self):
        from qianshan import checks  # noqa: F401  (registers the deploy checks)
