"""Two-factor sign-in (django-otp, time-based codes from an authenticator app).

Any staff member may add an authenticator on the "Two-factor sign-in" page; from then on signing
in asks for its code as well as the password. With ``TWO_FACTOR_REQUIRED`` set, the secretariat
and superusers must: until they have added one (or, signed in before, entered its code) every
admin page sends them to that page.
"""

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.core import access

CODE_WIDGET = forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8})


def required_for(user):
    """Whether this account must sign in with a code (the secretariat's choice, in settings)."""
    return settings.TWO_FACTOR_REQUIRED and (user.is_superuser or access.is_secretariat(user))


class SignInForm(OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """The admin's sign-in: the password, and the authenticator's code when the account has one."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        required=False, label=_("Code from your authenticator app (if you added one)"), widget=CODE_WIDGET
    )
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Enter the code your authenticator app shows for this account."),
        "invalid_token": _("That code is not right (or has expired); enter the current one."),
    }

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned

    def _chosen_device(self, user):
        """An account has one authenticator here: the form does not ask which."""
        return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code from your authenticator app"), max_length=12, widget=CODE_WIDGET)


def two_factor(request, admin_site):
    """Add an authenticator (scan the code, enter what it shows), or, for an account that has
    one, confirm this session with its code."""
    user = request.user
    has_device = user_has_device(user)
    pending = None
    if not has_device:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        device = pending if pending and pending.verify_token(code) else None
        if pending is None:
            device = match_token(user, code)
        if device is not None:
            if not device.confirmed:
                device.confirmed = True
                device.save()
            otp_login(request, device)
            return redirect(request.GET.get("next") or reverse("admin:index"))
        form.add_error("code", gettext("That code is not right (or has expired); enter the current one."))
    context = {
        **admin_site.each_context(request),
        "title": gettext("Two-factor sign-in"),
        "form": form,
        "has_device": has_device,
        "required": required_for(user),
        "verified": user.is_verified(),
    }
    if pending is not None:
        image = qrcode.make(pending.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        context.update(
            qr_code=mark_safe(image.to_string(encoding="unicode")),  # generated here, no user input
            secret=pending.config_url.split("secret=")[1].split("&")[0],
        )
    return TemplateResponse(request, "admin/two_factor.html", context)


class RequireTwoFactorMiddleware:
    """Sends an account that must use two-factor sign-in, in a session not confirmed by a code,
    to the two-factor page from every other admin page."""

    OPEN = ("login/", "logout/", "two-factor/", "jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        admin = reverse("admin:index")
        if (
            request.path.startswith(admin)
            and not request.path.removeprefix(admin).startswith(self.OPEN)
            and user is not None
            and user.is_authenticated
            and required_for(user)
            and not user.is_verified()
        ):
            return redirect(f"{reverse('admin:two-factor')}?next={request.path}")
        return self.get_response(request)
