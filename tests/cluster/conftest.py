"""The cluster, started once for tests/cluster/test_cluster.py: nginx, three portals under gunicorn, two
deliverers, PostgreSQL, Redis and the reference ERP, all real processes on loopback."""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from fixtures.simulator.auth import DEMO
from fixtures.simulator.server import running_simulator
from tests.cluster.stack import (
    Process,
    environment,
    flask,
    spawn_portal,
    start_deliverer,
    start_portal,
    wait_until_answering,
)
from tests.infra.nginx import Nginx
from tests.infra.postgres import create_database, start_postgres
from tests.infra.redis_server import RedisServer

PORTALS, DELIVERERS = 3, 2


@dataclass
class Cluster:
    erp: str
    env: dict[str, str]
    folder: Path
    portals: list[Process]
    deliverers: list[Process]
    nginx: Nginx
    database: Engine

    def restart_portal(self, index: int) -> None:
        """A killed instance started again on its address (nginx's upstream list names it)."""
        name, address = self.portals[index].name, self.portals[index].address
        self.portals[index] = start_portal(name, self.env, self.folder, address)

    def stop_processes(self) -> None:
        """All asked at once, then each waited for."""
        for process in self.portals + self.deliverers:
            if process.process.poll() is None:
                process.process.send_signal(signal.SIGINT)
        for process in self.portals + self.deliverers:
            process.stop()

    def restart_deliverer(self, index: int) -> None:
        self.deliverers[index] = start_deliverer(self.deliverers[index].name, self.env, self.folder)


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    with contextlib.ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="ibok-cluster-", dir="/tmp"))
        stack.callback(shutil.rmtree, folder, True)
        erp = stack.enter_context(running_simulator())
        server_url, stop_postgres = start_postgres()
        stack.callback(stop_postgres)
        redis = RedisServer.start()
        stack.callback(redis.stop)
        database_url = create_database(server_url, "ibok")
        env = environment(folder, IBOK_DATABASE_URL=database_url, IBOK_CACHE_URL=redis.url, IBOK_ERP_ADAPTER="rest",
                          IBOK_ERP_URL=f"{erp}/api/v1", IBOK_MESSAGES_PER_HOUR="1000",
                          IBOK_ERP_USERNAME=DEMO.username, IBOK_ERP_PASSWORD=DEMO.password)
        flask(env, "db", "upgrade")
        flask(env, "accounts", "demo")
        cluster = Cluster(erp, env, folder, [], [], None, create_engine(database_url))  # type: ignore[arg-type]
        stack.callback(cluster.database.dispose)
        stack.callback(cluster.stop_processes)
        cluster.portals = [spawn_portal(f"portal-{n}", env, folder) for n in range(1, PORTALS + 1)]
        cluster.deliverers = [start_deliverer(f"deliverer-{n}", env, folder) for n in range(1, DELIVERERS + 1)]
        cluster.nginx = Nginx.start([portal.address for portal in cluster.portals])
        stack.callback(cluster.nginx.stop)
        for portal in cluster.portals:
            wait_until_answering(portal)
        yield cluster
