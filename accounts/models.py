from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.usernames import USERNAME_MAX_LENGTH, USERNAME_PATTERN, username_normalize


def normalize_email(email: str) -> str:
    """E-mail is a login: compared and stored trimmed and lower-cased."""
    return (email or "").strip().lower()


def normalize_login(login: str) -> str:
    """What a person types in « Adresse e-mail ou identifiant »: both kinds are compared trimmed and lower-cased."""
    return (login or "").strip().lower()


def login_is_email(login: str) -> bool:
    """A username never holds an "@": the login tells which column to look in."""
    return "@" in (login or "")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        """The account of a login (an e-mail or a username): Django's ModelBackend authenticates through this."""
        login = normalize_login(username)
        if login_is_email(login):
            return self.get(email=login)
        return self.get(username=login)

    def _create(self, email, password, **extra):
        user = self.model(email=normalize_email(email) or None, **extra)
        if not user.email and not user.username:
            raise ValueError("Un compte a une adresse e-mail, un identifiant, ou les deux.")
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("terms_accepted_at", timezone.now())
        return self._create(email, password, **extra)


username_validator = RegexValidator(
    rf"^{USERNAME_PATTERN}\Z",
    "Un identifiant ne contient que des lettres minuscules sans accent, des chiffres et des points "
    "(par exemple lena.cote1503).",
)


class User(AbstractBaseUser, PermissionsMixin):
    # An account logs in with its e-mail, its username, or either. Both NULL when absent (unique when present).
    email = models.EmailField("adresse e-mail", max_length=254, unique=True, null=True, blank=True)
    username = models.CharField(
        "identifiant", max_length=USERNAME_MAX_LENGTH, unique=True, null=True, blank=True,
        validators=[username_validator],
        help_text="Pour les élèves sans adresse e-mail : prénom.nom et le jour et le mois de naissance (JJMM).",
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    is_staff = models.BooleanField("équipe Pix", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)
    terms_accepted_at = models.DateTimeField("CGU acceptées le", null=True, blank=True)
    pix_orga_terms_version = models.CharField("version des CGU Pix Orga acceptée", max_length=32, blank=True)
    pix_orga_terms_accepted_at = models.DateTimeField("CGU Pix Orga acceptées le", null=True, blank=True)
    # Set with a one-time password (given by a teacher): the account chooses its own before anything else.
    must_change_password = models.BooleanField("doit choisir son mot de passe", default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_lowercase"),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.CheckConstraint(condition=Q(username=Lower("username")), name="user_username_lowercase"),
            models.CheckConstraint(
                condition=(Q(email__isnull=False) & ~Q(email="")) | (Q(username__isnull=False) & ~Q(username="")),
                name="user_has_login",
                violation_error_message="Un compte doit avoir une adresse e-mail, un identifiant, ou les deux.",
            ),
            # Absent is NULL, never "" (two "" would collide in the unique indexes).
            models.CheckConstraint(condition=~Q(email=""), name="user_email_not_blank"),
            models.CheckConstraint(condition=~Q(username=""), name="user_username_not_blank"),
        ]

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email) or None
        self.username = username_normalize(self.username) or None
        super().save(*args, **kwargs)

    def clean(self):
        # AbstractBaseUser.clean() writes get_username() back into USERNAME_FIELD: with a login that may be a
        # username, that would copy it into the e-mail column.
        self.email = normalize_email(self.email) or None
        self.username = username_normalize(self.username) or None

    def __str__(self) -> str:
        return self.login

    @property
    def login(self) -> str:
        """What the person types to log in: the e-mail, else the username."""
        return self.email or self.username or ""

    def get_username(self) -> str:
        return self.login

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def has_accepted_current_pix_orga_terms(self) -> bool:
        return self.pix_orga_terms_version == settings.PIX_ORGA_TERMS_VERSION


class ApiToken(models.Model):
    """An API key. Only its SHA-256 digest is stored; the key is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="Début de la clé, pour la reconnaître.")
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class PendingPasswordResetEmail(models.Model):
    """A password-reset e-mail the broker could not take (down): kept here, queued again by the retry task.

    One per account (a second request while the broker is down is the same e-mail); the link is built when the e-mail
    is finally sent, so it is fresh then.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="pending_password_reset_email")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "e-mail de réinitialisation en attente"
        verbose_name_plural = "e-mails de réinitialisation en attente"
