"""SMS gateways: the port the reminders send through, and the reference SMSAPI.pl adapter."""
