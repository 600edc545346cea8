"""What monitoring tells the apps above it (they listen; monitoring imports none of them)."""

from django.dispatch import Signal

# Sent inside the transaction when a verification result is recorded: sender=VerificationResult, result=…, actor=…
verification_recorded = Signal()
