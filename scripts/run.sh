#!/usr/bin/env bash
# Start web + Celery worker + Celery beat on the embedded defaults; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/log
# A local demo on plain http: production's HTTPS-only cookies and redirects are switched off here,
# DEBUG stays off (users see the Chinese error pages, never a traceback).
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
$PY manage.py collectstatic --noinput -v0
.venv/bin/celery -A qianshan worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
WORKER=$!
.venv/bin/celery -A qianshan beat --loglevel=INFO -s var/celerybeat-schedule >var/log/beat.log 2>&1 &
BEAT=$!
trap 'kill $WORKER $BEAT 2>/dev/null || true' EXIT INT TERM
echo
echo "千山督察整改案件管理系统已启动：http://$HOST:$PORT/"
echo "后台作业：worker（日志 var/log/worker.log）与 beat（日志 var/log/beat.log）"
$PY manage.py seed_demo | sed -n '/示例用户/,$p'
echo
# gunicorn as in production (gunicorn.conf.py: workers, threads, timeout), on the demo address
HOST=$HOST PORT=$PORT GUNICORN_ACCESS_LOG=var/log/access.log .venv/bin/gunicorn -c gunicorn.conf.py
