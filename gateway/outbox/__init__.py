"""The outbox: customers' writes kept in the portal's database until the ERP has taken or refused them."""
