"""The production files of docs/deploy.md: the systemd units' commands run, Redis takes its configuration."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from tests.infra.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[2]
SYSTEMD = ROOT / "config" / "systemd"
INSTALLED = "/srv/ibok/"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(SYSTEMD / name)
    return parser


def here(command: str) -> list[str]:
    """The unit's command with this checkout standing in for /srv/ibok and its .venv."""
    words = shlex.split(command)
    words[0] = str(Path(sys.executable).parent / Path(words[0]).name)
    return [word.replace(INSTALLED, f"{ROOT}/") for word in words]


@pytest.mark.parametrize("name", ["ibok-portal.service", "ibok-deliverer.service", "ibok-retention.service"])
def test_each_service_runs_as_the_portals_user_from_its_folder_with_its_environment_file(name):
    service = unit(name)["Service"]
    assert (service["User"], service["WorkingDirectory"]) == ("ibok", "/srv/ibok")
    assert service["EnvironmentFile"] == "/etc/ibok/environment"
    assert service["ExecStart"].startswith("/srv/ibok/.venv/bin/")


@pytest.mark.parametrize(("name", "check"), [
    ("ibok-portal.service", ["--check-config"]),  # gunicorn loads its configuration and builds the app
    ("ibok-deliverer.service", ["--help"]),
    ("ibok-retention.service", ["--help"]),
])
def test_each_services_command_is_one_the_portal_has(name, check, tmp_path):
    command = here(unit(name)["Service"]["ExecStart"]) + check
    env = {key: value for key, value in os.environ.items() if not key.startswith("IBOK_")}
    env["IBOK_DATABASE_URL"] = f"sqlite:///{tmp_path / 'ibok.sqlite'}"
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_retention_timer_starts_the_retention_service_daily():
    assert unit("ibok-retention.timer")["Timer"]["OnCalendar"] == "*-*-* 03:15"
    assert (SYSTEMD / "ibok-retention.service").exists()


def test_redis_takes_the_portals_configuration():
    server = RedisServer.start(config=ROOT / "config" / "redis" / "ibok.conf")
    try:
        with redis.Redis.from_url(server.url) as client:
            assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "volatile-ttl"}
            assert client.config_get("maxmemory") == {"maxmemory": str(512 * 1024 * 1024)}
            assert client.config_get("save") == {"save": ""}
    finally:
        server.stop()
