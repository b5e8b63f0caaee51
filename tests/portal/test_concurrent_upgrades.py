"""`flask db upgrade` started on several machines at once: each waits its turn, none fails."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest
from sqlalchemy import inspect

from gateway.app import create_app
from gateway.db.database import engine_of

# Fork, not spawn: the children start at once from this process's imports, so both reach Alembic together.
FORK = multiprocessing.get_context("fork")


def _upgrade_at_the_barrier(config: dict[str, Any], barrier: Any) -> None:
    app = create_app(config)
    runner = app.test_cli_runner()
    barrier.wait(timeout=30)
    result = runner.invoke(args=["db", "upgrade"])
    raise SystemExit(result.exit_code)


@pytest.mark.empty_database
@pytest.mark.parametrize("trial", [1, 2, 3])
def test_two_upgrades_at_once_on_an_empty_database_both_succeed(config, trial):
    barrier = FORK.Barrier(2)
    upgrades = [FORK.Process(target=_upgrade_at_the_barrier, args=(config, barrier)) for _ in range(2)]
    for upgrade in upgrades:
        upgrade.start()
    for upgrade in upgrades:
        upgrade.join(timeout=60)
    assert [upgrade.exitcode for upgrade in upgrades] == [0, 0]
    result = create_app(config).test_cli_runner().invoke(args=["db", "current"])
    assert "0013 (head)" in result.output
    assert {"accounts", "outbox", "throttle"} <= set(inspect(engine_of(create_app(config))).get_table_names())
