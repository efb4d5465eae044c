"""The four staff roles and the model permissions each holds. A migration creates them as
groups; `tracker.core.access` adds the row-level scoping (which bodies, which partner)."""

SECRETARIAT = "Secretariat"
FOCAL_POINT = "Focal point"
PARTNER_REPORTER = "Partner reporter"
VIEWER = "Viewer"

PLAN_MODELS = [
    "goals.actionplan", "goals.strategicgoal", "goals.initiative", "goals.deliverable",
    "goals.memberstate", "goals.body", "goals.responsibility", "goals.reportinground",
    "goals.lineagelink",
    "goals.indicator", "goals.indicatortarget",
]  # fmt: skip
PARTNER_MODELS = ["partners.partner", "partners.involvement", "partners.cooperationprogramme",
                  "partners.programmereport", "partners.contactpoint"]  # fmt: skip
UPDATES = ["goals.progressupdate", "goals.indicatorvalue"]  # reported and reviewed
ALL_MODELS = PLAN_MODELS + UPDATES + PARTNER_MODELS


def perms(models, *actions):
    return [f"{model.split('.')[0]}.{action}_{model.split('.')[1]}" for model in models for action in actions]


ROLE_PERMISSIONS = {
    SECRETARIAT: [
        *perms([*ALL_MODELS, "tracker.staffaccess"], "view", "add", "change", "delete"),
        "goals.review_progressupdate",
        "goals.review_indicatorvalue",
        "goals.manage_reportinground",
        *perms(["auth.user"], "view", "add", "change"),
        *perms(["axes.accessattempt"], "view", "delete"),  # sign-in lockouts: deleting one unlocks
    ],
    FOCAL_POINT: perms(PLAN_MODELS + PARTNER_MODELS, "view")
    + perms(UPDATES, "view", "add", "change", "delete"),
    PARTNER_REPORTER: perms(PLAN_MODELS + UPDATES, "view")
    + perms(["partners.partner"], "view", "change")
    + perms(PARTNER_MODELS[1:], "view", "add", "change", "delete"),
    VIEWER: perms(ALL_MODELS, "view"),
}


def ensure_roles(group_model=None, permission_model=None, missing_ok=None):
    """Create the role groups with exactly their permissions (the migrations and tests use it).

    ``missing_ok`` (by default: when a migration passes its historical models): skip the
    permissions of models a later migration creates (that migration calls this again)."""
    if missing_ok is None:
        missing_ok = group_model is not None
    if group_model is None:
        from django.contrib.auth.models import Group as group_model
        from django.contrib.auth.models import Permission as permission_model
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            found = permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
            if missing_ok and not found.exists():
                continue  # a model a later migration creates: that migration runs this again
            wanted.append(found.get())
        group.permissions.set(wanted)
