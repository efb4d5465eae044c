"""Who may see and change which records: the one place for the rule every write path asks before
it saves, and for narrowing lists to a user's rows.

Model permissions come from the roles (``tracker.core.roles``). Rows are narrowed by each app's
``RowRule`` for its own models, registered when the app is ready (``goals.access``: progress
updates a focal point reports on; ``partners.access``: a partner reporter's own partner). In
short:

- the secretariat (and superusers) and viewers see everything; viewers only read;
- a focal point sees and writes progress updates on the deliverables its bodies are
  responsible for (for deliverables tracked per member state, its bodies' states' rows);
- a partner reporter sees and writes only its own partner's records.

Records outside a user's scope are left out of lists, choices and autocompletes, and reaching
one by its address answers 404. ``may_write`` is asked by every write path (admin forms and
inlines, bulk actions, imports, the workflow) before it saves; everything else calls these
functions rather than filtering on its own.
"""

from tracker.core import roles


class RowRule:
    """How an app narrows some of its models to a user's rows. The methods are asked only for
    users who do not see everything; the defaults leave rows visible and unwritable."""

    models = ()

    def visible(self, queryset, user):
        """The rows of ``queryset`` the user may see."""
        return queryset

    def allows(self, user, record):
        """Whether the user may save ``record`` with the values it holds now."""
        return False

    def locked(self, stored, action):
        """Whether ``action`` on the stored record is refused to everyone (e.g. by a workflow)."""
        return False

    def choices(self, model, queryset, user):
        """The choices a form on ``model`` offers from ``queryset``; None to leave them to others."""
        return None


_rules = {}


def register(rule):
    """Make ``rule`` the row rule of each of its models (apps call this in ``ready()``)."""
    for model in rule.models:
        _rules[model] = rule


def role_names(user):
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return user._role_names


def sees_everything(user):
    """The secretariat (and superusers) and viewers are not limited to rows."""
    names = role_names(user)
    return user.is_superuser or roles.SECRETARIAT in names or roles.VIEWER in names


def is_secretariat(user):
    return user.is_active and (user.is_superuser or roles.SECRETARIAT in role_names(user))


def scope(queryset, user):
    """The rows of ``queryset`` the user may see."""
    rule = _rules.get(queryset.model)
    if sees_everything(user) or rule is None:
        return queryset
    return rule.visible(queryset, user)


def may_write(user, record, action=None, *, unchanged=False):
    """The one rule every write path asks before it saves (or deletes) ``record``: the user's
    model permission for the action, the record the user's to write both as it is stored and as
    it would be saved, and not locked (by the review workflow, for progress). ``action`` is
    "add", "change" or "delete"; by default "add" for a new record and "change" for a stored one.
    ``unchanged``: the record is as stored (read just now), so it is not read again."""
    model = type(record)
    action = action or ("change" if record.pk else "add")
    if not user.is_active or not user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
        return False
    rule = _rules.get(model)
    stored = None
    if record.pk:
        stored = record if unchanged else model.objects.filter(pk=record.pk).first()
    if stored is not None and rule is not None and rule.locked(stored, action):
        return False
    if is_secretariat(user):
        return True
    if rule is None:
        return False
    return (stored is None or rule.allows(user, stored)) and rule.allows(user, record)


def choices_for(model, field_name, queryset, user):
    """The choices a form field on ``model`` offers this user (foreign keys and autocompletes)."""
    if sees_everything(user):
        return queryset
    for rule in dict.fromkeys(_rules.values()):
        narrowed = rule.choices(model, queryset, user)
        if narrowed is not None:
            return narrowed
    return queryset
