"""Security events worth a line in the log."""

import logging

from axes.signals import user_locked_out
from django.dispatch import receiver

logger = logging.getLogger("tracker.security")


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("Sign-in locked out for %r from %s after repeated failures", username, ip_address)
