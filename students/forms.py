"""Forms of the students pages: the list's filters (GET) and the SIECLE upload."""

from django import forms
from django.conf import settings

from students.divisions import divisions_chosen
from students.selectors import DEFAULT_LEARNER_ORDERING, LEARNER_ORDERINGS

LINKED_CHOICES = [("", "Tous"), ("oui", "Associé à un compte"), ("non", "Non associé")]
CERTIFIABILITY_CHOICES = [("", "Tous"), ("CERTIFIABLE", "Certifiable"), ("NOT_CERTIFIABLE", "Non certifiable"),
                          ("UNKNOWN", "Non communiqué")]
# Only a hint for the file picker: the parser recognises a zip by its bytes, not its name.
ACCEPTED_EXTENSIONS = (".xml", ".zip")


def import_max_upload_bytes() -> int:
    return settings.SIECLE_MAX_UPLOAD_BYTES


def size_in_french(size: int) -> str:
    """50 * 1024 * 1024 → "50 Mo" (what a school's staff reads, not "50,0 Mio")."""
    return f"{size // (1024 * 1024)} Mo" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} Ko"


class DivisionFilterForm(forms.Form):
    """A list filtered by one or several of the organization's divisions (classes), offered as check boxes grouped
    by level; ``?niveau=2nde`` (« toute la 2nde ») stands for every class of the level."""

    division = forms.MultipleChoiceField(label="Classes", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, divisions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = [(division, division) for division in divisions]
        levels = self.data.getlist("niveau") if hasattr(self.data, "getlist") else []
        if levels:  # the classes of the level are ticked, so that the page shows them so
            data = self.data.copy()
            data.setlist("division", divisions_chosen(divisions=divisions, ticked=data.getlist("division"),
                                                      levels=levels))
            del data["niveau"]
            self.data = data


class LearnerFilterForm(DivisionFilterForm):
    """The list's query string; a bad value is dropped rather than shown as an error (it is a link, not input)."""

    q = forms.CharField(label="Rechercher un élève", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nom ou prénom"}))
    linked = forms.ChoiceField(label="Compte Pix", required=False, choices=LINKED_CHOICES)
    certifiability = forms.ChoiceField(label="Certificabilité", required=False, choices=CERTIFIABILITY_CHOICES)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in LEARNER_ORDERINGS],
                             widget=forms.HiddenInput)

    def filters(self) -> dict:
        """Keyword arguments for ``learner_list``, keeping only the valid parts of the query string."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        linked = {"oui": True, "non": False}.get(data.get("linked") or "")
        return {
            "search": data.get("q") or None,
            "divisions": data.get("division") or None,
            "linked": linked,
            "certifiability": data.get("certifiability") or None,
            "ordering": data.get("sort") or DEFAULT_LEARNER_ORDERING,
        }

    @property
    def is_filtered(self) -> bool:
        filters = self.filters()
        return bool(filters["search"] or filters["divisions"] or filters["linked"] is not None
                    or filters["certifiability"])


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Fichier SIECLE",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        error_messages={"required": "Choisissez le fichier ElevesSansAdresses (.xml ou .zip) à importer.",
                        "empty": "Le fichier choisi est vide."},
    )
    mode = forms.ChoiceField(choices=[("check", "Vérifier le fichier"), ("apply", "Importer")], initial="apply",
                             required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_upload_bytes = import_max_upload_bytes()
        self.fields["file"].help_text = (
            f"ElevesSansAdresses.xml ou ElevesSansAdresses.zip, {size_in_french(self.max_upload_bytes)} au maximum."
        )

    def clean_mode(self):
        return self.cleaned_data.get("mode") or "apply"
