"""gunicorn configuration of the benchmark: exactly the options `kazkg serve` uses.

    BENCH_PORT=8000 KAZKG_DATA_PATH=... gunicorn -c bench/gunicorn_kazkg.py 'server.wsgi:application()'

`kazkg serve` builds the app before gunicorn forks its workers (they share the store copy-on-write);
preload_app does the same for a gunicorn started from the command line.
"""

import os

from graph.config import Config
from server.wsgi import gunicorn_options

_options = gunicorn_options("127.0.0.1", int(os.environ["BENCH_PORT"]), Config.from_env())
bind = _options["bind"]
workers = _options["workers"]
worker_class = _options["worker_class"]
timeout = _options["timeout"]
graceful_timeout = _options["graceful_timeout"]
keepalive = _options["keepalive"]
limit_request_line = _options["limit_request_line"]
accesslog = _options["accesslog"]
errorlog = _options["errorlog"]
loglevel = _options["loglevel"]
post_fork = _options["post_fork"]
proc_name = _options["proc_name"]
preload_app = True
