import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_settings_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True


def test_embedded_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    # Run with no DATABASE_URL, as `make run` does, whatever database this test run uses.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["QIANSHAN_VAR_DIR"] = str(tmp_path)
    code = (
        "import django; django.setup();"
        "from django.db import connection as c;"
        "cur = c.cursor();"
        "cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]);"
        "cur.execute('PRAGMA busy_timeout'); print(cur.fetchone()[0]);"
        "print(c.settings_dict['OPTIONS']['transaction_mode']);"
        "from django.conf import settings; print(settings.CELERY_BROKER_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "qianshan.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE", "filesystem://"]
    assert (tmp_path / "qianshan.sqlite3").exists()


def test_check_deploy_with_production_settings_prints_no_warning(tmp_path):
    # the browser fixture's DJANGO_ALLOW_ASYNC_UNSAFE is a test-only switch, not production's
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "qianshan.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x7#Kp2!vQz9-LmN4rT8wY3@bC6dF1gH5jS0aE%uIoP_qWeRtYuIoP",
        "ALLOWED_HOSTS": "qianshan.example.gov.cn",
        "QIANSHAN_VAR_DIR": str(tmp_path),
        # production runs Redis (the filesystem broker is refused there, see the next test)
        "REDIS_URL": "redis://127.0.0.1:6379/14",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "System check identified no issues" in result.stdout


def test_check_deploy_refuses_the_filesystem_broker(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "qianshan.settings",
        "DEBUG": "0",
        "SECRET_KEY": "x7#Kp2!vQz9-LmN4rT8wY3@bC6dF1gH5jS0aE%uIoP_qWeRtYuIoP",
        "ALLOWED_HOSTS": "qianshan.example.gov.cn",
        "QIANSHAN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "qianshan.W001" in result.stderr and "正式环境请设置 REDIS_URL" in result.stderr


def test_redis_waits_at_most_a_second_and_redelivers_after_the_longest_task():
    """A hung Redis costs a publish one socket timeout, no retry; see bench/hung_redis.py for the figure."""
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "o = s.CELERY_BROKER_TRANSPORT_OPTIONS;"
        "print(o['socket_timeout'] * (o['max_retries'] + 1), s.CELERY_REDIS_SOCKET_TIMEOUT,"
        " s.CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS['retry_policy']['max_retries'],"
        " o['visibility_timeout'] > s.CELERY_TASK_TIME_LIMIT)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qianshan.settings",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["0.5", "0.5", "0", "True"], result.stderr
