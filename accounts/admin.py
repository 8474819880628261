from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm

from accounts.models import ApiToken, User, normalize_email
from accounts.services import users_api_tokens_revoke
from accounts.usernames import username_normalize


class _NormalizedLoginMixin:
    """The e-mail and the username normalized before the unique checks (not only at save); absent is NULL."""

    def clean_email(self):
        return normalize_email(self.cleaned_data.get("email")) or None

    def clean_username(self):
        return username_normalize(self.cleaned_data.get("username")) or None

    def clean(self):
        cleaned = super().clean()
        if "email" in self.fields and not cleaned.get("email") and not cleaned.get("username"):
            raise forms.ValidationError("Renseignez une adresse e-mail, un identifiant, ou les deux.")
        return cleaned


class UserChangeAdminForm(_NormalizedLoginMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {}  # Django's UsernameField does not accept an empty (NULL) username


class UserCreationAdminForm(_NormalizedLoginMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "username", "first_name", "last_name")
        field_classes = {}


class PasswordChangeAdminForm(AdminPasswordChangeForm):
    """Staff setting an account's password: its API keys are revoked, as on every other password change."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            users_api_tokens_revoke(users=[user])
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    change_password_form = PasswordChangeAdminForm
    list_display = ("email", "username", "first_name", "last_name", "is_active", "is_staff", "pix_orga_terms_version",
                    "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "must_change_password", "pix_orga_terms_version")
    search_fields = ("email", "username", "first_name", "last_name")
    ordering = ("email", "username")
    readonly_fields = ("date_joined", "last_login", "terms_accepted_at", "pix_orga_terms_version",
                       "pix_orga_terms_accepted_at")
    fieldsets = (
        (None, {"fields": ("email", "username", "password", "must_change_password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Conditions d'utilisation", {"fields": ("terms_accepted_at", "pix_orga_terms_version",
                                                 "pix_orga_terms_accepted_at")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "username", "first_name", "last_name", "usable_password",
                                                 "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Only the prefix is shown: the key itself is never stored, and its digest is of no use to a person."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at")
    search_fields = ("user__email", "user__username", "name", "prefix")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # keys are created through the API, where the raw key can be shown once
