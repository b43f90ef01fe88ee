"""The charge of each new shipment, recorded by the ledger. (Stub: the ledger lands with
the billing issue.)"""


def shipment_charges_record(*, ctx, shipments) -> None:
    """Record the charges of shipments just created for one account, inside the creating
    transaction: an instant-debit seller's balance is debited, a monthly seller's charges
    accrue to the open period. Trial shipments (charge 0) record nothing."""
