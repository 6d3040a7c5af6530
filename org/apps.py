from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "org"
    verbose_name = "单位、人员与督察"
