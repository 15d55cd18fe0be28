"""Signals other apps may listen to (e.g. rebates accrue when an order ships).

order_status_changed is sent inside the transition's transaction, with
`order`, `from_status` ("" when the order was placed), `to_status`, `by` and
`at`. A receiver that does more than a quick write should defer it with
`transaction.on_commit`.
"""

from django.dispatch import Signal

order_status_changed = Signal()
