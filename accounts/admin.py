from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import ApiToken, User, normalize_email


class _NormalizedEmailMixin:
    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])  # before the unique check, not only at save


class UserChangeAdminForm(_NormalizedEmailMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


class UserCreationAdminForm(_NormalizedEmailMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "first_name", "last_name")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    list_display = ("email", "first_name", "last_name", "is_active", "is_staff", "pix_orga_terms_version", "date_joined")
    list_filter = ("is_active", "is_staff", "is_superuser", "pix_orga_terms_version")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("date_joined", "last_login", "terms_accepted_at", "pix_orga_terms_version",
                       "pix_orga_terms_accepted_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Conditions d'utilisation", {"fields": ("terms_accepted_at", "pix_orga_terms_version",
                                                 "pix_orga_terms_accepted_at")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "usable_password",
                                                 "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Only the prefix is shown: the key itself is never stored, and its digest is of no use to a person."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at")
    search_fields = ("user__email", "name", "prefix")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # keys are created through the API, where the raw key can be shown once
