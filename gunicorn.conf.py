"""gunicorn's configuration for the portal: `gunicorn -c gunicorn.conf.py` (docs/deploy.md).

Every value can be set from the environment, so one file serves a laptop, the benchmark and
production. The application writes one log line per request itself (portal.middleware.RequestLogMiddleware:
path, status, duration, user id and request id), so gunicorn's own access log is off unless
GUNICORN_ACCESS_LOG names a file or "-" (standard output).
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: the portal's requests are short and database-bound; one worker a core plus one
# keeps the cores busy while a worker waits on the database (gunicorn's own advice is 2n+1, which
# on two cores gave no more throughput and longer tails in the benchmark, docs/performance.md).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request that takes longer than this is a fault: the worker is killed and restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# A worker is replaced after this many requests (with jitter, so they are not all replaced at once):
# any slow leak is bounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 5000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 500))

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a load balancer that sets X-Forwarded-For / X-Forwarded-Proto (docs/deploy.md).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The worker heartbeat files; in a container whose /tmp is on disk, set this to a memory file system.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
# gunicorn's control socket (gunicornc) is off unless GUNICORN_CONTROL_SOCKET names a path: the portal
# does not use it, it would be a file written at run time, and two servers on one machine (the
# scale-out test, the benchmark) would share its default path in the home folder.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET")
if _control_socket:
    control_socket = _control_socket
control_socket_disable = not _control_socket
