"""The adapter kit: every name an ERP adapter plugin may import, and nothing else (docs/adapters.md).

A plugin imports from `adapters.kit` only; every other module of the portal is private and may change in any
release. The kit follows semver (`KIT_VERSION`): a plugin states the version it was written for as
`kit_version = "1.0"` on its class, and the portal refuses at start-up a kit it cannot run on.

The constructor contract: the portal builds every adapter as `Class(settings, *, http=None)`, `settings` an
`ErpSettings` (`settings.options` holds the plugin's own settings from ERP_OPTIONS) and `http` an `ErpHttp` that
the plugin must send through when given (`flask erp record` passes one that keeps every exchange).
"""

from __future__ import annotations

from adapters.core.errors import ErpBadResponse, ErpError, ErpNotFound, ErpNotOffered, ErpRejected, ErpUnavailable
from adapters.core.operations import OPERATIONS, Operation
from adapters.core.port import BillingPort
from adapters.core.records import (
    Address,
    Attachment,
    Contract,
    ContractStatus,
    Customer,
    DocumentCategory,
    DocumentInfo,
    FileContent,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    InvoiceSummary,
    Message,
    MessageDraft,
    MessageKind,
    MessageStatus,
    Meter,
    MeterStatus,
    Premise,
    PremiseKind,
    Reading,
    ReadingStatus,
    ReadingSubmission,
    ReadingType,
    Reply,
    SettlementEntry,
    SettlementKind,
    Settlements,
    TaxIdKind,
    WriteReceipt,
)
from adapters.core.registry import KIT_VERSION
from adapters.core.settings import ErpOptions, ErpSettings, SettingsError
from adapters.kit.mapping import (
    ConvertError,
    MappingBilling,
    MappingCall,
    MappingError,
    load_mapping,
    odata_date,
    to_date,
    to_datetime,
    to_decimal,
)
from adapters.kit.replies import load_reply
from adapters.kit.rest import RestClient
from adapters.kit.soap import FaultHook, HeaderBuilder, SoapFault, SoapService, default_fault_error
from adapters.rest.replies import check_status, json_payload
from adapters.wire.http import ErpHttp, HttpReply, operation_deadline, seconds_left
from adapters.wire.statuses import STATUSES, StatusRule, error_for_status, sanitise_reason

__all__ = [
    # the port, its operations and the version
    "KIT_VERSION", "BillingPort", "OPERATIONS", "Operation",
    # errors
    "ErpError", "ErpNotFound", "ErpUnavailable", "ErpBadResponse", "ErpRejected", "ErpNotOffered",
    # settings
    "ErpSettings", "ErpOptions", "SettingsError",
    # HTTP within limits, and the port operation's deadline
    "ErpHttp", "HttpReply", "operation_deadline", "seconds_left",
    # REST
    "RestClient", "json_payload", "check_status", "error_for_status", "STATUSES", "StatusRule", "sanitise_reason",
    # SOAP
    "SoapService", "SoapFault", "FaultHook", "HeaderBuilder", "default_fault_error",
    # replies into records
    "load_reply",
    # the mapping file (ERPs with an HTTP API) and what its hooks use
    "MappingBilling", "MappingCall", "MappingError", "load_mapping", "ConvertError", "to_date", "to_datetime",
    "to_decimal", "odata_date",
    # records
    "Address", "Attachment", "Contract", "ContractStatus", "Customer", "DocumentCategory", "DocumentInfo",
    "FileContent", "Invoice", "InvoiceLine", "InvoiceStatus", "InvoiceSummary", "Message", "MessageDraft",
    "MessageKind", "MessageStatus", "Meter", "MeterStatus", "Premise", "PremiseKind", "Reading", "ReadingStatus",
    "ReadingSubmission", "ReadingType", "Reply", "SettlementEntry", "SettlementKind", "Settlements", "TaxIdKind",
    "WriteReceipt",
]
