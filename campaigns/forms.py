"""Forms of the campaign management pages: the list's filters (GET), creation and edition.

Forms only parse; the rules (owner is a member, multiple sendings, text length) live in the services, whose
``InvalidCampaign.field`` puts the message beside the right input.
"""

from django import forms

from campaigns.models import LANDING_PAGE_TEXT_MAX, Campaign
from campaigns.services.campaigns import (
    EXTERNAL_ID_LABEL_MAX,
    NAME_MAX,
    TITLE_MAX,
    LandingPageTextTooLong,
    TargetProfileRequired,
)

ARCHIVED_CHOICES = [("0", "Campagnes en cours"), ("1", "Campagnes archivées")]
TAB_MINE, TAB_ALL = "mes-campagnes", "toutes"
SENSITIVE_ID_WARNING = "N'utilisez pas d'identifiant sensible (INE, numéro de sécurité sociale…)."


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.first_name} {user.last_name}".strip() or user.login


class CampaignFilterForm(forms.Form):
    """The list's query string; a bad value is dropped rather than shown as an error (it is a link, not input)."""

    tab = forms.ChoiceField(required=False, choices=[(TAB_MINE, TAB_MINE), (TAB_ALL, TAB_ALL)],
                            widget=forms.HiddenInput)
    q = forms.CharField(label="Rechercher une campagne", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nom de la campagne"}))
    owner = OwnerChoiceField(label="Propriétaire", required=False, queryset=None, empty_label="Tous")
    archived = forms.ChoiceField(label="État", required=False, choices=ARCHIVED_CHOICES)

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def filters(self, *, user) -> dict:
        """``tab`` and keyword arguments for ``campaign_list``, keeping only the valid parts of the query string."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # fields with a bad value are left out
        tab = data.get("tab") or TAB_MINE
        owner = data.get("owner")
        return {
            "tab": tab,
            "search": data.get("q") or "",
            "owner_id": user.pk if tab == TAB_MINE else (owner.pk if owner else None),
            "archived": data.get("archived") == "1",
        }


class _CampaignFields(forms.Form):
    name = forms.CharField(label="Nom de la campagne", max_length=NAME_MAX,
                           help_text="Visible par l'équipe seulement, par exemple « Rentrée 2de – 2026 ».",
                           error_messages={"required": "Donnez un nom à la campagne."})
    title = forms.CharField(label="Titre du parcours (facultatif)", max_length=TITLE_MAX, required=False,
                            help_text="Affiché aux élèves sur la page d'accueil de la campagne.")
    landing_page_text = forms.CharField(
        label="Texte de la page d'accueil (facultatif)", required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": LANDING_PAGE_TEXT_MAX,
                                     "data-counter": "landing-text-counter"}),
        help_text="Ce que les élèves lisent avant de commencer : consignes, durée, date limite…",
    )
    external_id_label = forms.CharField(
        label="Libellé de l'identifiant externe (facultatif)", max_length=EXTERNAL_ID_LABEL_MAX, required=False,
        help_text="Si vous le renseignez, chaque élève devra saisir cet identifiant (par exemple « numéro d'élève »).",
    )
    owner = OwnerChoiceField(label="Propriétaire", queryset=None, empty_label=None,
                             help_text="Le propriétaire et les administrateurs peuvent modifier et archiver la campagne.",
                             error_messages={"invalid_choice": "Choisissez un membre de l'organisation."})

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners

    def clean_landing_page_text(self):
        # Counted as the page counts it: a line break is one character, although the browser sends CRLF.
        text = self.cleaned_data["landing_page_text"].replace("\r\n", "\n")
        if len(text) > LANDING_PAGE_TEXT_MAX:
            raise forms.ValidationError(LandingPageTextTooLong.default_message)
        return text

    def add_domain_error(self, error) -> None:
        """A service's ``InvalidCampaign``: beside its field when the form shows it, else at the top."""
        field = getattr(error, "field", "")
        self.add_error(field if field in self.fields else None, error.message)


class TargetProfileChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, target_profile):
        count = getattr(target_profile, "skills_count", None)
        return f"{target_profile.name} ({count} acquis)" if count is not None else target_profile.name


class CampaignCreateForm(_CampaignFields):
    type = forms.ChoiceField(label="Type de campagne", choices=Campaign.Type.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choisissez le type de campagne."})
    target_profile = TargetProfileChoiceField(
        label="Parcours (pour une évaluation)", queryset=None, required=False, empty_label="Choisissez un parcours",
        help_text="Ce que les élèves passeront. Les questions du parcours sont figées à la création de la campagne.",
        error_messages={"invalid_choice": "Choisissez un parcours de la liste."},
    )
    multiple_sendings = forms.BooleanField(
        label="Permettre l'envoi multiple", required=False,
        help_text="L'élève pourra repasser le parcours (4 jours après son envoi, s'il n'a pas tout réussi) "
                  "ou renvoyer son profil mis à jour.",
    )

    field_order = ["name", "type", "target_profile", "title", "landing_page_text", "external_id_label",
                   "multiple_sendings", "owner"]

    def __init__(self, *args, target_profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_profile"].queryset = target_profiles

    def clean(self):
        cleaned = super().clean()
        # Said with the other errors of the form (the service checks it again).
        if cleaned.get("type") == Campaign.Type.ASSESSMENT and not cleaned.get("target_profile"):
            self.add_error("target_profile", TargetProfileRequired.default_message)
        if cleaned.get("type") == Campaign.Type.PROFILES_COLLECTION:
            cleaned["target_profile"] = None
        return cleaned


class CampaignEditForm(_CampaignFields):
    pass
