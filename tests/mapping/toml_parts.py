"""Parts of the made-up ERP's mapping files the tests share: what it does not offer, its codes, its invoice."""

HEADER = """
[mapping]
not_offered = ["get_contract_scan", "list_meters", "list_readings", "submit_reading", "get_invoice_pdf",
               "list_documents", "get_document", "send_message", "list_messages", "set_einvoice_consent"]

[enums.state]
"O" = "unpaid"
"P" = "paid"
"""
INVOICE_FIELDS = """invoiceId = "id"
invoiceNumber = "no"
issueDate = { path = "issued", convert = "date" }
dueDate = { path = "due", convert = "date" }
grossAmount = { path = "gross", convert = "decimal" }
status = { path = "state", enum = "state" }
"""
CONTRACT_FIELDS = """contractId = "id"
contractNumber = "no"
premiseId = "site"
status = { value = "active" }
"""
# A whole file the portal accepts: the five operations it cannot work without, over REST.
VALID = HEADER + """
[operations.get_customer]
request = { path = "/clients/{customerId}" }
[operations.get_customer.fields]
customerId = "no"
fullName = "name"
address = { at = "addr", fields = { street = "street", postalCode = "zip", city = "city" } }

[operations.list_contracts]
request = { path = "/clients/{customerId}/contracts" }
items = "rows[*]"
[operations.list_contracts.fields]
{contract_fields}eInvoiceConsent = { value = false }

[operations.list_invoices]
request = { path = "/clients/{customerId}/bills" }
items = "rows[*]"
[operations.list_invoices.fields]
{invoice_fields}
[operations.get_invoice]
request = { path = "/bills/{invoiceId}" }
owner = "client"
[operations.get_invoice.fields]
{invoice_fields}
[operations.get_settlements]
request = { path = "/clients/{customerId}/ledger" }
[operations.get_settlements.fields]
balance = { path = "balance", convert = "decimal" }
[operations.get_settlements.fields.entries]
items = "rows[*]"
[operations.get_settlements.fields.entries.fields]
entryType = { value = "invoice" }
documentNumber = "no"
issueDate = { path = "date", convert = "date" }
amount = "amount"
settledAmount = "settled"
remainingAmount = "left"
""".replace("{invoice_fields}", INVOICE_FIELDS).replace("{contract_fields}", CONTRACT_FIELDS)
