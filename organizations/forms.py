from django import forms

from organizations.models import Membership


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=Membership.Role.choices)


class SwitchForm(forms.Form):
    organization_id = forms.IntegerField(min_value=1)
