"""Connections and serving: persistent checked connections on a server database, gzip for pages."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _settings_with(env_extra: dict, tmp_path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CONN_MAX_AGE"}}
    env.update(env_extra, QIANSHAN_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="qianshan.settings")
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default'];"
        "print(d['CONN_MAX_AGE']); print(d['CONN_HEALTH_CHECKS'])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_server_database_keeps_checked_connections(tmp_path):
    assert _settings_with({"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}, tmp_path) == ["300", "True"]
    assert _settings_with({"DATABASE_URL": "postgres://u@h/x", "CONN_MAX_AGE": "60"}, tmp_path) == [
        "60",
        "True",
    ]
    assert _settings_with({}, tmp_path) == ["0", "True"]  # embedded SQLite


@pytest.mark.django_db
def test_pages_are_gzipped_files_are_not(client, users):
    client.force_login(users["office"])
    page = client.get("/cases/", headers={"accept-encoding": "gzip"})
    assert page["Content-Encoding"] == "gzip"
    assert "信访举报案件" in gzip.decompress(page.content).decode()
    export = client.get("/cases/export.xlsx", headers={"accept-encoding": "gzip"})
    assert export.status_code == 200 and not export.has_header("Content-Encoding")


def test_gunicorn_config_sets_workers_threads_and_timeout():
    config: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)
    assert (config["worker_class"], config["threads"], config["timeout"]) == ("gthread", 4, 30)
    assert config["workers"] >= 2 and config["wsgi_app"] == "qianshan.wsgi:application"
    assert "gunicorn -c gunicorn.conf.py" in (ROOT / "scripts" / "run.sh").read_text()
