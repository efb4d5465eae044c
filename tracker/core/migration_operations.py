"""Migration operations of the tracker's own."""

from django.db import migrations


class AlterLabels(migrations.SeparateDatabaseAndState):
    """Changes that only relabel models and fields (names, help texts, the wording of choices):
    the migration state changes, the database does not.

    Applied one by one, a few hundred such changes re-render the app registry for every field
    that other models point at, which made one migration take 15 seconds on every fresh database
    (each test process's, each deployment test's). Here the rendered registry is dropped first,
    as Django drops it for delayed reloads (``ProjectState.clear_delayed_apps_cache``), so the
    changes are applied to the model states alone and the registry is rendered once, when next
    needed."""

    def __init__(self, operations):
        super().__init__(state_operations=operations, database_operations=[])

    def deconstruct(self):
        return self.__class__.__qualname__, [self.state_operations], {}

    def state_forwards(self, app_label, state):
        state.__dict__.pop("apps", None)
        super().state_forwards(app_label, state)

    def describe(self):
        return f"Relabel {len(self.state_operations)} models and fields (no database change)"
