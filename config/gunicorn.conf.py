"""gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py "gateway:create_app()"`.

A page spends most of its time waiting for the ERP, so workers are gthread (threads wait, the CPU
serves others) rather than sync. Each worker process keeps its own zeep client, connection
pool, ERP cache and circuit breakers, built after the fork. Every value can be set by an environment
variable (GUNICORN_*), so IT tunes a host without editing this file; BENCHMARKS.md shows what this
configuration does on a 2-core machine.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Where to listen: behind a reverse proxy on the same host, loopback is enough.
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# One process per core: each process holds its own caches, so more processes mean more ERP calls
# and more memory, not more speed (threads already cover the waiting).
workers = _int("GUNICORN_WORKERS", os.cpu_count() or 2)
worker_class = "gthread"
# Requests served at once per process: ERP waits and sign-ins waiting for their low-priority password
# check hold threads without using the CPU, and pages must not queue behind them.
threads = _int("GUNICORN_THREADS", 16)
# A worker silent for this long is restarted: above ERP_DEADLINE (15 s) and PAGE_DEADLINE (12 s).
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Browsers keep the connection for the page's CSS and logo; a proxy in front keeps its own.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# 0: workers are not recycled. Set it (with jitter) only if memory is seen to grow.
max_requests = _int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 0)
# The app is built in each worker, after the fork: no connection or thread crosses a fork.
preload_app = False
# Each worker compiles its templates while it starts, before it takes a request (unless IT set the variable).
raw_env = [] if "IBOK_COMPILE_TEMPLATES_AT_START" in os.environ else ["IBOK_COMPILE_TEMPLATES_AT_START=true"]
# No control socket unless asked for: its default path is shared by every gunicorn of the user.
control_socket_disable = os.environ.get("GUNICORN_CONTROL_SOCKET", "") == ""
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Blocks of this many bytes or more are mapped from the kernel and given back when freed. glibc otherwise
# raises this threshold on the fly to the largest block freed, and then keeps such blocks in the malloc
# arena of the thread that used them: each thread that checked a password would keep a hash's memory for good.
# 0 leaves glibc's behaviour alone.
MALLOC_MMAP_THRESHOLD = _int("GUNICORN_MALLOC_MMAP_THRESHOLD", 4 * 1024 * 1024)
# glibc gives each thread that allocates its own heap ("arena", up to eight per core), and memory freed in
# one cannot serve another. Two arenas serve the request threads as well; Python's small objects never
# take this path.
MALLOC_ARENA_MAX = _int("GUNICORN_MALLOC_ARENA_MAX", 2)
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8  # glibc's <malloc.h>


def mallopt(option: int, value: int) -> bool:
    """glibc's mallopt(option, value) where the C library is glibc; True when it took effect."""
    name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(name) if name and value > 0 else None
    return bool(libc is not None and hasattr(libc, "mallopt") and libc.mallopt(option, value) == 1)


def fixed_mmap_threshold(size: int) -> bool:
    """mallopt(M_MMAP_THRESHOLD, size): big blocks are mapped and given back when freed."""
    return mallopt(M_MMAP_THRESHOLD, size)


def post_fork(server: Any, worker: Any) -> None:
    fixed_mmap_threshold(MALLOC_MMAP_THRESHOLD)
    mallopt(M_ARENA_MAX, MALLOC_ARENA_MAX)
