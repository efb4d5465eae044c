"""Staff accounts the secretariat can run without training.

A person is added on one page (name, e-mail, role and, for focal points and partner reporters,
what they report for); the account is staff at once and receives an invitation e-mail with a
link to choose a password. The link works once (it is signed with the account's password, which
it changes) and only for ``PASSWORD_RESET_TIMEOUT`` seconds. Forgotten passwords are reset by
e-mail from the sign-in page, with links built on ``SITE_URL``. Raw permissions and superuser
status stay with superusers; everyone else gives rights by role.
"""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from goals.notifications import send_after_commit
from tracker.core import roles
from tracker.core.apps import person_name
from tracker.core.models import StaffAccess

User = get_user_model()

# Who reports for what: a focal point for bodies, a partner reporter for a partner.
SCOPED_ROLES = {roles.FOCAL_POINT: "bodies", roles.PARTNER_REPORTER: "partner"}


class InvitationTokens(PasswordResetTokenGenerator):
    """Like password-reset links, but signed apart: an invitation link never resets a password
    of an account already in use, and a reset link is never taken for an invitation."""

    key_salt = "tracker.site.accounts.InvitationTokens"


invitation_tokens = InvitationTokens()


def link_days():
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


def invitation_link(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse("invitation", args=[uid, invitation_tokens.make_token(user)])


def send_invitation(user, by):
    """E-mail ``user`` a link to choose a password, once the account is saved."""
    role = ", ".join(group.name for group in user.groups.all()) or gettext("staff")
    days = link_days()
    # In the language the admin is in when it is sent (the inviter's): English unless they chose another.
    body = ngettext(
        "Dear %(person)s,\n\n"
        "%(by)s has given you an account on the ASEAN IPR Action Plan Tracker (%(role)s).\n\n"
        "Choose your password here (the link works once, within %(days)s day):\n"
        "%(link)s\n\n"
        "Then sign in at %(sign_in)s with your e-mail address %(email)s.\n\n"
        "If the link has expired, ask %(ask)s for a new invitation.\n",
        "Dear %(person)s,\n\n"
        "%(by)s has given you an account on the ASEAN IPR Action Plan Tracker (%(role)s).\n\n"
        "Choose your password here (the link works once, within %(days)s days):\n"
        "%(link)s\n\n"
        "Then sign in at %(sign_in)s with your e-mail address %(email)s.\n\n"
        "If the link has expired, ask %(ask)s for a new invitation.\n",
        days,
    ) % {
        "person": person_name(user),
        "by": person_name(by),
        "role": role,
        "days": days,
        "link": invitation_link(user),
        "sign_in": f"{settings.SITE_URL}{reverse('admin:index')}",
        "email": user.email,
        "ask": by.email or person_name(by),
    }
    send_mail(gettext("Your account on the ASEAN IPR Action Plan Tracker"), body, None, [user.email])


class PersonForm(forms.ModelForm):
    """One page for a person: who they are, their role, and what they report for."""

    role = forms.ModelChoiceField(
        queryset=Group.objects.filter(name__in=roles.ROLE_PERMISSIONS).order_by("name"),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "Secretariat: runs rounds, reviews and publishes. Focal point: reports for the bodies "
            "below. Partner reporter: records a partner's programmes. Viewer: reads everything."
        ),
    )
    bodies = forms.ModelMultipleChoiceField(
        queryset=StaffAccess._meta.get_field("bodies").related_model.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a focal point: the offices, task forces or networks they report for."),
    )
    partner = forms.ModelChoiceField(
        queryset=StaffAccess._meta.get_field("partner").related_model.objects.order_by("name"),
        required=False,
        help_text=_("For a partner reporter: the partner they report for."),
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active"]
        labels = {"is_active": "May sign in"}
        help_texts = {"is_active": "Untick instead of deleting: the account's history stays."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required = {"email": True, "first_name": not self.instance.pk, "last_name": not self.instance.pk}
        for name, needed in required.items():  # (accounts from before invitations may lack names)
            if name in self.fields:  # (a read-only view shows no fields)
                self.fields[name].required = needed
        if "email" in self.fields:
            self.fields["email"].help_text = "The invitation goes here; the person signs in with it."
        if self.instance.pk:
            access = StaffAccess.objects.filter(user=self.instance).first()
            self.initial["role"] = self.instance.groups.filter(name__in=roles.ROLE_PERMISSIONS).first()
            if access:
                self.initial["bodies"] = list(access.bodies.all())
                self.initial["partner"] = access.partner
        else:
            self.fields.pop("is_active", None)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.exclude(pk=self.instance.pk)
        if others.filter(email__iexact=email).exists() or others.filter(username__iexact=email).exists():
            raise forms.ValidationError(gettext("Another account already has this e-mail address."))
        return email

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        scope = SCOPED_ROLES.get(role.name) if role else None
        bodies, partner = cleaned.get("bodies"), cleaned.get("partner")
        if scope == "bodies" and not bodies:
            self.add_error("bodies", gettext("Choose the bodies this focal point reports for."))
        if scope == "partner" and not partner:
            self.add_error("partner", gettext("Choose the partner this person reports for."))
        if scope != "bodies" and bodies:
            self.add_error(
                "bodies",
                gettext("Only focal points report for bodies, not the %(role)s role.") % {"role": role},
            )
        if scope != "partner" and partner:
            self.add_error(
                "partner",
                gettext("Only partner reporters report for a partner, not the %(role)s role.")
                % {"role": role},
            )
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.is_staff = True  # a role is what gives rights; staff status only lets them in
        if not user.pk:
            user.username = user.email
            user.set_unusable_password()
        elif (
            "email" in self.changed_data
            and user.username.lower() == (self.initial.get("email") or "").lower()
        ):
            # They sign in with their e-mail address: a corrected address is their new sign-in name
            # (``clean_email`` has refused one that another account signs in with).
            user.username = user.email
        if commit:
            user.save()
            self._save_m2m()
        return user

    def _save_m2m(self):
        super()._save_m2m()
        user = self.instance
        user.groups.remove(*Group.objects.filter(name__in=roles.ROLE_PERMISSIONS))
        user.groups.add(self.cleaned_data["role"])
        access, _created = StaffAccess.objects.get_or_create(user=user)
        access.partner = self.cleaned_data.get("partner")
        access.save()
        access.bodies.set(self.cleaned_data.get("bodies") or [])


class TrackerUserAdmin(UserAdmin):
    """People: added by invitation with their role and what they report for, on one page.
    Superusers also see superuser status and raw permissions; no one else does."""

    form = add_form = PersonForm
    add_form_template = None
    change_form_template = "admin/auth/user/person_change_form.html"
    list_display = ["name", "email", "roles", "reports_for", "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering = ["first_name", "last_name"]
    PERSON = ["first_name", "last_name", "email", "role", "bodies", "partner"]
    add_fieldsets = [(None, {"fields": PERSON})]
    SUPERUSER_FIELDSET = (
        _("Superuser only"),
        {
            "fields": ["username", "is_superuser", "user_permissions"],
            "description": _(
                "Rights beyond a role. Leave empty for everyone but the site's technical owner."
            ),
            "classes": ["collapse"],
        },
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "access__bodies", "access__partner")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [(None, {"fields": [*self.PERSON, "is_active"]})]
        fieldsets.append((_("Sign-in"), {"fields": ["last_login", "date_joined"]}))
        if request.user.is_superuser:
            fieldsets.append(self.SUPERUSER_FIELDSET)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ["last_login", "date_joined"] if obj else []

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            "title": gettext("Invite a person: they receive an e-mail to choose a password"),
            # One button, "Send invitation" (admin/auth/user/submit_line.html): the invitation
            # leads back to the People list, so "add another" or "continue editing" would mislead.
            "show_save_and_add_another": False,
            "show_save_and_continue": False,
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            send_after_commit(send_invitation, obj, request.user)

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(
            request,
            gettext("%(person)s is invited: an e-mail with a sign-in link went to %(email)s.")
            % {"person": person_name(obj), "email": obj.email},
        )
        return HttpResponseRedirect(reverse("admin:auth_user_changelist"))

    def has_change_permission(self, request, obj=None):
        """Only a superuser changes (or sets the password of) a superuser's account."""
        return super().has_change_permission(request, obj) and self._within_reach(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._within_reach(request, obj)

    @staticmethod
    def _within_reach(request, account):
        return account is None or request.user.is_superuser or not account.is_superuser

    def get_urls(self):
        return [
            path(
                "<id>/invite/",
                self.admin_site.admin_view(self.invite_again_view),
                name="auth_user_invite",
            ),
            *super().get_urls(),
        ]

    def invite_again_view(self, request, id):
        """Send a new invitation (a fresh link to choose a password), after confirming."""
        user = self.get_object(request, id)
        if user is None:
            raise Http404(gettext("No such account."))
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if not user.email:
            messages.error(
                request,
                gettext("%(person)s has no e-mail address: add one first.") % {"person": person_name(user)},
            )
            return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        if request.method == "POST":
            send_after_commit(send_invitation, user, request.user)
            messages.success(
                request, gettext("A new sign-in link went to %(email)s.") % {"email": user.email}
            )
            return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": gettext("Send %(person)s a new sign-in link?") % {"person": person_name(user)},
            "person": person_name(user),
            "days": link_days(),
        }
        return TemplateResponse(request, "admin/auth/user/invite_again.html", context)

    @admin.display(description=_("name"), ordering="first_name")
    def name(self, user):
        return person_name(user)

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(group.name for group in user.groups.all()) or "–"

    @admin.display(description=_("reports for"))
    def reports_for(self, user):
        access = getattr(user, "access", None)
        if access is None:
            return "–"
        if access.partner_id:
            return str(access.partner)
        return ", ".join(body.acronym or body.name for body in access.bodies.all()) or "–"


class SiteLinksMixin:
    """E-mailed links start with ``SITE_URL``, whatever host the request came in on."""

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        self.extra_email_context = {"site_name": "ASEAN IPR Action Plan Tracker"}
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            from_email=None,
            request=self.request,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            extra_email_context=self.extra_email_context,
        )
        return HttpResponseRedirect(self.get_success_url())


class ResetForm(PasswordResetForm):
    """Also for someone invited who never chose a password (Django skips such accounts)."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


class PasswordResetView(SiteLinksMixin, auth_views.PasswordResetView):
    form_class = ResetForm
    email_template_name = "registration/tracker_password_reset_email.txt"


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: choose a password, once."""

    token_generator = invitation_tokens
    title = _("Welcome: choose your password")
    template_name = "registration/invitation_confirm.html"
