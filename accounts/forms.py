"""Forms for accounts and organisations; validation lives in the model and the validators."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Place

from .models import Employer, User
from .validators import normalise_enterprise_number, normalise_kvk_number


class EmployerForm(forms.ModelForm):
    """Register a company: KvK (NL) or KBO/BCE (BE) number, validated with python-stdnum."""

    place = forms.ModelChoiceField(queryset=Place.objects.order_by("name"), label=_("Place"))
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = ["legal_name", "country", "kvk_number", "enterprise_number", "place", "website"]
        help_texts = {
            "kvk_number": _("Dutch companies: the 8-digit number of the Kamer van Koophandel."),
            "enterprise_number": _("Belgian companies: the 10-digit KBO/BCE number, e.g. 0403.170.701."),
        }


# --- employer journey: registration, colleagues, company details --------------------------------

LANGUAGE_CHOICES = [("nl", "Nederlands"), ("en", "English"), ("fr", "Français")]


class EmployerRegistrationForm(EmployerForm):
    """EmployerForm plus a clear message when the company is already registered."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    def clean_kvk_number(self) -> str:
        value = self.cleaned_data.get("kvk_number", "")
        try:
            number = normalise_kvk_number(value) if value else ""
        except ValidationError:
            return value  # the model's clean() reports the format error
        if number and Employer.objects.filter(kvk_number=number).exists():
            raise ValidationError(
                _("A company with this KvK number is already registered. Ask a colleague to invite you."),
                code="duplicate_kvk",
            )
        return value

    def clean_enterprise_number(self) -> str:
        value = self.cleaned_data.get("enterprise_number", "")
        try:
            number = normalise_enterprise_number(value) if value else ""
        except ValidationError:
            return value
        if number and Employer.objects.filter(enterprise_number=number).exists():
            raise ValidationError(
                _("A company with this enterprise number is already registered. Ask a colleague to invite you."),
                code="duplicate_kbo",
            )
        return value


class EmployerUserForm(forms.Form):
    """The person who registers the company, or a colleague being invited."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    preferred_language = forms.ChoiceField(label=_("Language for emails"), choices=LANGUAGE_CHOICES, initial="nl")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(_("An account with this email address already exists."), code="duplicate_email")
        return email


class EmployerSignupUserForm(EmployerUserForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class EmployerInviteForm(EmployerUserForm):
    pass


class EmployerDetailsForm(forms.ModelForm):
    """What an employer may change about the company; the registration number stays."""

    place = forms.ModelChoiceField(queryset=Place.objects.order_by("name"), label=_("Place"))
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Employer
        fields = ["legal_name", "place", "website"]


class EmployerVerifyForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I checked the company's registration number in the official register (KvK or KBO)."),
    )


# --- Sign-up, login and the account page -------------------------------------------------


class JobseekerSignupForm(forms.Form):
    """A jobseeker's account: name, email and a password; the profile follows in steps."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read how the portal uses my data (see below) and want an account."),
        error_messages={"required": _("Please confirm that you have read how the portal uses your data.")},
    )

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this email address already exists. Log in, or reset your password."),
                code="email_taken",
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2", forms.ValidationError(_("The two passwords are not the same."), code="password_mismatch")
            )
        elif password1:
            user = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def user_fields(self) -> dict:
        data = self.cleaned_data
        language = (get_language() or "nl")[:2]
        return {
            "email": data["email"],
            "password": data["password1"],
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "preferred_language": language if language in ("nl", "en", "fr") else "nl",
        }


class LoginForm(AuthenticationForm):
    """Email and password; Django's form, with the email as the username."""

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    error_messages = {
        "invalid_login": _("This email address and password do not match. Check both and try again."),
        "inactive": _("This account is not active."),
    }


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "preferred_language": _("Language of the emails we send you"),
        }


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where it names one, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code of the authenticator app (set-up and login); the view checks it against the device."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        help_text=_("The 6 digits your app shows now for the NSP Talent Portal."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise ValidationError(_("Enter the 6 digits of the code, without letters."), code="format")
        return code
