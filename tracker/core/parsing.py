"""Small readings shared by settings, data files, imports and admin messages: written once."""

from django.utils.translation import gettext as _

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def yes_or_no(text):
    """True or False for a yes/no word (any case, spaces ignored; empty is no), None for
    anything else, so the caller can say what it expected."""
    word = (text or "").strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def error_messages(error):
    """The messages of a ValidationError (each field's prefixed with the field's name) or of a
    refusal such as PermissionDenied, as a list of sentences."""
    if hasattr(error, "message_dict"):
        return [
            message if field == "__all__" else f"{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return list(getattr(error, "messages", None) or [str(error) or _("You are not allowed to do this.")])
