from django import forms


class InviteForm(forms.Form):
    emails = forms.CharField(
        label="Adresses e-mail",
        help_text="Séparez les adresses par des virgules (ou des points-virgules, des espaces, des retours à la ligne).",
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off", "spellcheck": "false",
                                     "placeholder": "prenom.nom@ac-academie.fr, autre.collegue@ac-academie.fr"}),
        max_length=10_000,
        error_messages={"required": "Saisissez au moins une adresse e-mail."},
    )


class ScoRequestForm(forms.Form):
    uai = forms.CharField(
        label="UAI de l'établissement", max_length=16,
        help_text="7 chiffres et une lettre, par exemple 0751234A. Il figure sur les documents officiels de "
                  "l'établissement.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": "Saisissez l'UAI de votre établissement."},
    )
    first_name = forms.CharField(label="Votre prénom", max_length=150,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
                                 error_messages={"required": "Saisissez votre prénom."})
    last_name = forms.CharField(label="Votre nom", max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
                                error_messages={"required": "Saisissez votre nom."})
