"""gunicorn settings for production (``gunicorn -c gunicorn.conf.py qianshan.wsgi``; scripts/run.sh).

Every value may be overridden from the environment. Sizing for the 2-core reference server:
- workers = 2 × cores: the processes serve pages in parallel (the GIL is per process);
- threads = 4 per worker: a request waiting on PostgreSQL frees the CPU for another, and each
  thread keeps its own persistent database connection (CONN_MAX_AGE), so 2 × 2 × 4 = 16
  connections at most — far below PostgreSQL's default 100;
- timeout = 30 s: the longest request we still allow in a request. Exports over
  JOB_DIRECT_MAX_ROWS rows, report PDFs and big imports run as background jobs (notifications
  .domain.background), so nothing legitimate comes near it; a request that does is killed rather
  than holding a worker.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# recycle workers now and then so a slow leak never grows without bound
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# time taken in microseconds (%(D)s), read by bench/ and operations
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus'
wsgi_app = "qianshan.wsgi:application"
