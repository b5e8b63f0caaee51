"""Every implementation of the billing port, so the contract suite runs the same assertions over each."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
import requests

from adapters.core.port import BillingPort
from adapters.core.settings import ErpSettings
from adapters.rest.billing import RestBilling
from adapters.soap.billing import SoapBilling
from adapters.testing.fake import FakeBilling
from adapters.testing.replay import replaying
from fixtures.simulator.auth import DEMO
from fixtures.simulator.server import running_simulator
from fixtures.simulator.store import DemoStore
from tests.contract.expected import as_recorded

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "recorded"
REPLAY_URL = "http://erp.replay.test/erp"
KINDS = ["fake", "soap-replay", "rest-replay", "soap-live", "rest-live"]


@pytest.fixture(scope="session")
def simulator_url() -> Iterator[str]:
    """One simulator on loopback for the whole run; tests that write reset its data."""
    with running_simulator() as base_url:
        yield base_url


def _settings(url: str) -> ErpSettings:
    return ErpSettings(url=url, connect_timeout=2, read_timeout=5, deadline=10, username=DEMO.username,
                       password=DEMO.password)


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def expect(kind: str) -> Callable[[Any], Any]:
    """Expected records as this port answers them: replays carry the recordings' synthetic personal data."""
    return as_recorded if kind.endswith("-replay") else lambda value: value


@pytest.fixture
def port(kind: str, request: pytest.FixtureRequest) -> Iterator[BillingPort]:
    if kind == "fake":
        yield FakeBilling(DemoStore.load())
    elif kind.endswith("-replay"):
        protocol = kind.removesuffix("-replay")
        with replaying(RECORDED / protocol, REPLAY_URL):
            yield (SoapBilling if protocol == "soap" else RestBilling)(_settings(REPLAY_URL))
    else:
        base_url = request.getfixturevalue("simulator_url")
        requests.post(f"{base_url}/_sim/reset", timeout=5).raise_for_status()
        if kind == "soap-live":
            yield SoapBilling(_settings(f"{base_url}/soap"))
        else:
            yield RestBilling(_settings(f"{base_url}/api/v1"))
