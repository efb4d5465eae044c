"""What goals tells the apps above it, which it may not import (the composition root listens)."""

from django.dispatch import Signal

# Sent inside the transaction that publishes a round, after its figures are frozen; with
# ``reporting_round``. A receiver that fails makes the publishing fail: nothing is half done.
round_published = Signal()
