"""Figure 10 (issue 13): a 1,000-invoice reply parsed through the mapping file, against the hand-written REST
adapter on the same data. In-process: each adapter reads a reply its simulator served, handed back without
network, so only parsing, the mapping's paths and converters, and the schemas count."""

from __future__ import annotations

import statistics
import time
from typing import Any

from adapters.core.settings import ErpSettings
from adapters.examples.sap_umc import SapUmcBilling
from adapters.rest.billing import RestBilling
from adapters.wire.http import HttpReply
from adapters.wire.memo import REPLY_MEMO
from bench.figures import Figure, ReplayHttp

CUSTOMER = "K-1005"  # 1,000 invoices in the demo dataset
GOAL = 2.0


def served_replies() -> tuple[HttpReply, HttpReply]:
    """K-1005's invoices as the reference simulator serves them over REST and the UMC simulator over OData
    (all in one reply: $top lifts its server paging), from the same demo dataset."""
    from fixtures.sap_umc.app import DEMO_PASSWORD, DEMO_USER, create_umc
    from fixtures.sap_umc.model import ROOT_PATH
    from fixtures.simulator.app import create_simulator
    from fixtures.simulator.auth import DEMO

    rest = create_simulator().test_client().get(f"/api/v1/customers/{CUSTOMER}/invoices",
                                                headers={"Authorization": DEMO.header()})
    umc = create_umc().test_client().get(f"{ROOT_PATH}/Accounts('{CUSTOMER}')/Invoices?$top=1000&$format=json",
                                         auth=(DEMO_USER, DEMO_PASSWORD))
    return (HttpReply(rest.status_code, dict(rest.headers), rest.get_data()),
            HttpReply(umc.status_code, dict(umc.headers), umc.get_data()))


def _ms(call: Any) -> float:
    """The call's time parsing anew: the adapters keep an unchanged reply's records (adapters/wire/memo.py)."""
    REPLY_MEMO.kept.clear()
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def figure_10(results: dict[str, Any], repeats: int) -> Figure:
    """Alternating runs of each adapter's list_invoices on its recorded reply."""
    rest_reply, umc_reply = served_replies()
    rest = RestBilling(ErpSettings(url="http://erp.invalid/api/v1"), http=ReplayHttp(rest_reply))
    mapped = SapUmcBilling(ErpSettings(url="http://erp.invalid/sap"), http=ReplayHttp(umc_reply))
    if not len(rest.list_invoices(CUSTOMER)) == len(mapped.list_invoices(CUSTOMER)) == 1000:
        raise RuntimeError("figure 10: the replies do not hold 1,000 invoices")
    times: dict[str, list[float]] = {"rest": [], "mapping": []}
    for _ in range(repeats):
        times["rest"].append(_ms(lambda: rest.list_invoices(CUSTOMER)))
        times["mapping"].append(_ms(lambda: mapped.list_invoices(CUSTOMER)))
    rest_ms, mapping_ms = statistics.median(times["rest"]), statistics.median(times["mapping"])
    results["figure_10"] = {"rest_ms": rest_ms, "mapping_ms": mapping_ms, "rest_bytes": len(rest_reply.content),
                            "umc_bytes": len(umc_reply.content)}
    return Figure(
        "10", f"parsing a 1,000-invoice reply ({CUSTOMER} list_invoices) through the mapping file "
              "(config/mappings/sap-umc.toml over the UMC simulator's OData reply)",
        f"the hand-written REST adapter on the same data: median {rest_ms:.0f} ms "
        f"({len(rest_reply.content) / 1e6:.2f} MB JSON)",
        f"median {mapping_ms:.0f} ms ({len(umc_reply.content) / 1e6:.2f} MB OData JSON: /Date(ms)/ dates, "
        "decimals as strings, code tables)",
        f"{mapping_ms / rest_ms:.2f}×", f"mapping ≤ {GOAL:g}× REST", mapping_ms / rest_ms <= GOAL,
        [f"in-process, {repeats} alternating runs per adapter, replies served by the simulators' apps"],
        ["Each adapter runs its real code on a reply its simulator served (the reference simulator's REST, the "
         "UMC simulator's OData with $top=1000, so one reply), handed back without network (ErpHttp replaced by a "
         "replay): only parsing, the mapping's paths, converters and enum tables, and the schemas count. UMC has "
         "no net/VAT split, period or premise, so its records carry 6 of the 12 fields the REST reply fills."],
    )
