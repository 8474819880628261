"""« Paramètres »: what the campaign is (type, parcours and its description, texts, multiple sendings, direct link)
and its actions: « Modifier », « Archiver », « Dupliquer »."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from campaigns.models import CampaignSkill
from campaigns.services.campaigns import campaign_duplicate
from campaigns.views.results.common import campaign_for_organization_member, page_context, tab_start
from pixorga.errors import DomainError


@login_required
@require_GET
def campaign_settings(request, organization_id: int, campaign_id: int):
    campaign, divisions, selected = tab_start(request, organization_id, campaign_id)
    context = page_context(request, campaign, tab="settings", divisions=divisions, selected=selected)
    context["skills_count"] = CampaignSkill.objects.filter(campaign=campaign).count() \
        if campaign.target_profile_id else None
    return render(request, "campaigns/results/settings.html", context)


@login_required
@require_POST
def campaign_duplicate_view(request, organization_id: int, campaign_id: int):
    campaign = campaign_for_organization_member(user=request.user, organization_id=organization_id,
                                                campaign_id=campaign_id)
    try:
        copy = campaign_duplicate(campaign=campaign, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("campaign_results:settings", organization_id=organization_id, campaign_id=campaign.pk)
    messages.success(request, f"Campagne dupliquée : « {copy.name} », code {copy.code}. Vous en êtes le "
                              "propriétaire ; modifiez son nom ou ses textes si besoin avant de donner le code.")
    return redirect("campaign_results:settings", organization_id=organization_id, campaign_id=copy.pk)
