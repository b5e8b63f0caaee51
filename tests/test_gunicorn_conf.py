"""config/gunicorn.conf.py: the production server settings IT runs the portal with."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "config" / "gunicorn.conf.py"


def _settings(**env: str) -> dict:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        return runpy.run_path(str(CONF))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_threads_wait_on_the_erp_one_process_per_core_and_the_timeout_outlasts_the_erp_deadline():
    settings = _settings()
    assert settings["worker_class"] == "gthread" and settings["threads"] == 16
    assert settings["workers"] == (os.cpu_count() or 2)
    assert settings["timeout"] > 15 and settings["preload_app"] is False
    assert settings["control_socket_disable"] is True


def test_every_value_can_be_set_from_the_environment():
    settings = _settings(GUNICORN_WORKERS="3", GUNICORN_THREADS="4", GUNICORN_BIND="0.0.0.0:8080")
    assert (settings["workers"], settings["threads"], settings["bind"]) == (3, 4, "0.0.0.0:8080")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_a_worker_gives_large_freed_blocks_back_instead_of_keeping_one_per_thread():
    """Eight threads each hashing with 19 MiB (as argon2id does) leave the process no larger."""
    script = textwrap.dedent(f"""
        import runpy, threading
        settings = runpy.run_path({str(CONF)!r})
        settings["post_fork"](None, None)

        def rss():
            return next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS")) // 1024

        def work():
            for _ in range(3):
                block = bytearray(19 * 1024 * 1024)
                del block

        before = rss()
        threads = [threading.Thread(target=work) for _ in range(8)]
        [t.start() for t in threads]
        [t.join() for t in threads]
        print(rss() - before)
    """)
    grown = int(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout)
    assert grown < 40, f"the process kept {grown} MB"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_a_worker_limits_glibcs_heaps_for_its_threads():
    settings = _settings()
    assert settings["MALLOC_ARENA_MAX"] == 2
    assert settings["mallopt"](settings["M_ARENA_MAX"], 2) is True
    assert _settings(GUNICORN_MALLOC_ARENA_MAX="0")["MALLOC_ARENA_MAX"] == 0


def test_workers_compile_their_templates_at_start_unless_it_says_otherwise(monkeypatch):
    monkeypatch.delenv("IBOK_COMPILE_TEMPLATES_AT_START", raising=False)
    assert runpy.run_path(str(CONF))["raw_env"] == ["IBOK_COMPILE_TEMPLATES_AT_START=true"]
    assert "IBOK_COMPILE_TEMPLATES_AT_START" not in os.environ  # reading the file sets nothing: gunicorn does
    monkeypatch.setenv("IBOK_COMPILE_TEMPLATES_AT_START", "false")
    assert runpy.run_path(str(CONF))["raw_env"] == []
