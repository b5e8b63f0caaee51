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
