"""Signals other apps may listen to, so that dealers never imports the apps above it.

contract_signed is sent inside contract_sign's transaction, with `contract`
(status signed, its rebate plan possibly set) and `signed_by`, before the
dealer's status changes. Rebates listens: a contract's rebate plan applies to
its dealer for the contract's term (rebates.receivers).
"""

from django.dispatch import Signal

contract_signed = Signal()
