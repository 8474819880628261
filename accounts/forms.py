"""Forms of the account pages. The rules live in ``accounts.services``; the forms only place errors next to fields."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.urls import reverse
from django.utils.html import format_html

from accounts import services
from accounts.errors import EmailAlreadyUsed, InvalidEmail, InvalidPassword, NameRequired, TermsNotAccepted
from accounts.models import User, normalize_email, normalize_login
from accounts.validators import PASSWORD_MAX_LENGTH
from pixorga.errors import DomainError
from pixorga.ratelimit import signup_throttle
from pixorga.text import name_clean

PASSWORD_HELP = "8 caractères minimum, dont une majuscule, une minuscule et un chiffre."
LOGIN_FAILED_MESSAGE = (
    "L'adresse e-mail, l'identifiant ou le mot de passe est incorrect. Vérifiez-les, ou réinitialisez votre "
    "mot de passe. Vous vous connectez avec un identifiant ? Votre enseignant peut réinitialiser votre mot de passe."
)


class SignupForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": InvalidEmail.default_message},
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, help_text=PASSWORD_HELP, max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label="J'accepte les conditions d'utilisation de Pix",
        error_messages={"required": TermsNotAccepted.default_message},
    )

    # Set when the e-mail already has an account: the page then offers to log in or reset the password.
    email_already_used = False

    def __init__(self, *args, pix_orga_terms: bool = False, **kwargs):
        """``pix_orga_terms``: a school's team member signs up (/inscription, an invitation): the one checkbox
        accepts the Pix Orga terms too, with a link to read them, so that no second page asks again."""
        super().__init__(*args, **kwargs)
        self.pix_orga_terms = pix_orga_terms
        if pix_orga_terms:
            field = self.fields["accept_terms"]
            field.label = "J'ai lu et j'accepte les conditions d'utilisation de Pix Orga"
            field.help_text = format_html(
                '<a href="{}" target="_blank" rel="noopener">Lire les conditions d\'utilisation de Pix Orga</a> '
                "(dans un nouvel onglet)", reverse("accounts:terms"))

    def clean_first_name(self):
        return name_clean(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return name_clean(self.cleaned_data["last_name"])

    def clean_email(self):
        email = normalize_email(self.cleaned_data["email"])
        try:
            services.email_check_available(email=email)
        except EmailAlreadyUsed as error:
            self.email_already_used = True  # the page adds the links to log in or reset the password
            raise forms.ValidationError("Un compte existe déjà avec cette adresse e-mail.", code=error.code) from None
        return email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            try:
                services.password_check(
                    password=password, email=cleaned.get("email", ""),
                    first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", ""),
                )
            except InvalidPassword as error:
                self.add_error("password", error.messages)
        return cleaned

    def save(self, *, request) -> User:
        """Create the account via ``user_create``, within the sign-ups allowed from the client's address.

        A race (same e-mail signing up at the same instant) still raises the DomainError; it is also added to the form,
        so a caller may catch ``DomainError`` and render the form again.
        """
        try:
            with signup_throttle(request):
                return services.user_create(**self.user_create_arguments())
        except DomainError as error:
            self.add_domain_error(error)
            raise

    def user_create_arguments(self) -> dict:
        """The keyword arguments of ``user_create``, for services that create the account as part of their work."""
        data = self.cleaned_data
        return {"email": data["email"], "password": data["password"], "first_name": data["first_name"],
                "last_name": data["last_name"], "accept_terms": data["accept_terms"],
                "accept_pix_orga_terms": self.pix_orga_terms and data["accept_terms"]}

    def add_domain_error(self, error: DomainError) -> None:
        """Show a refusal of ``user_create`` next to the field it is about."""
        field = {EmailAlreadyUsed: "email", InvalidEmail: "email", InvalidPassword: "password",
                 TermsNotAccepted: "accept_terms", NameRequired: None}.get(type(error))
        self.email_already_used = isinstance(error, EmailAlreadyUsed)
        self.add_error(field, getattr(error, "messages", None) or error.message)


class LoginForm(AuthenticationForm):
    """E-mail or username + password. Needs ``request``: django-axes counts failures per (login, address)."""

    username = forms.CharField(
        label="Adresse e-mail ou identifiant", max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )
    # Capped: a megabyte typed here would be hashed before being refused.
    password = forms.CharField(
        label="Mot de passe", strip=False, max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": LOGIN_FAILED_MESSAGE,
        "inactive": "Ce compte est désactivé. Contactez l'administrateur de votre établissement.",
    }

    def clean_username(self):
        # One spelling per account: failures on "Alice@…" and "alice@…" count against the same lockout.
        return normalize_login(self.cleaned_data["username"])


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Adresse e-mail", max_length=254,
        help_text="L'adresse avec laquelle vous vous connectez à Pix Orga.",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class PasswordSetForm(SetPasswordForm):
    """The new-password form of the reset link; validated by the same validators as sign-up."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nouveau mot de passe"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = "Confirmez le nouveau mot de passe"

    def save(self, commit=True):
        services.user_password_set(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class PasswordChooseForm(PasswordSetForm):
    """After a log-in with a one-time password: the account's own password, by the sign-up rule."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Votre nouveau mot de passe"
        self.fields["new_password2"].label = "Tapez-le une deuxième fois"
        self.fields["new_password1"].widget.attrs["autofocus"] = True

    def clean(self):
        # The rules are said under the first field, the one to change (Django puts them under the second).
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)

    def save(self, commit=True):
        services.user_password_choose(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user
