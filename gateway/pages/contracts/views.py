"""The contract pages: thin views over contracts/service.py."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import login_required
from werkzeug.wrappers import Response

from gateway.erp.billing import billing
from gateway.erp.premises import premise_addresses, with_premises
from gateway.pages.contracts import bp
from gateway.pages.contracts.service import CONTRACT_STATUSES, contract_scan, group_by_premise
from gateway.web.files import send_erp_file
from gateway.web.nav import needs_operations
from gateway.web.ownership import customer_id, own_contract

# The scan buttons and their pages need the ERP to hand out scans.
SCAN = "get_contract_scan"


@bp.get("/")
@login_required
def index() -> str:
    port, owner = billing(), customer_id()
    contracts, addresses = with_premises(port, owner, lambda: port.list_contracts(owner))
    return render_template("contracts/index.html", groups=group_by_premise(contracts, addresses),
                           statuses=CONTRACT_STATUSES)


@bp.get("/<contract_id>")
@login_required
def details(contract_id: str) -> str:
    contract = own_contract(contract_id)
    addresses = premise_addresses(billing(), customer_id())
    return render_template("contracts/details.html", contract=contract, statuses=CONTRACT_STATUSES,
                           premise=addresses.get(contract.premise_id, contract.premise_id))


def _scan(contract_id: str, inline: bool) -> Response:
    """No scan held: 404 without asking the ERP."""
    contract = own_contract(contract_id)
    if not contract.has_scan:
        abort(404)
    scan = contract_scan(billing(), customer_id(), contract, inline)
    return send_erp_file(scan, f"umowa-{contract.id}", inline=inline)


@bp.get("/<contract_id>/scan")
@login_required
@needs_operations(SCAN)
def scan_preview(contract_id: str) -> Response:
    """Shown in the browser's own PDF viewer."""
    return _scan(contract_id, inline=True)


@bp.get("/<contract_id>/scan/download")
@login_required
@needs_operations(SCAN)
def scan_download(contract_id: str) -> Response:
    return _scan(contract_id, inline=False)
