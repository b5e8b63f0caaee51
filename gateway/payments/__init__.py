"""Online payments: the payment records, starting a payment, believing a notification, the states customers see."""
