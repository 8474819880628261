"""The campaign page of the organization side, one URL per tab — « Activité », « Résultats (n) », « Analyse »
(assessment), « Paramètres » — the student's page and the CSV export. Members of the campaign's organization only
(outsiders 404); the class filter is carried from tab to tab in the query string."""

from campaigns.views.results.activity import ParticipationFilterForm, campaign_detail, campaign_export
from campaigns.views.results.analysis_tab import campaign_analysis
from campaigns.views.results.common import campaign_for_organization_member
from campaigns.views.results.parameters import campaign_duplicate_view, campaign_settings
from campaigns.views.results.participant import campaign_participant
from campaigns.views.results.sent import campaign_results

__all__ = ["ParticipationFilterForm", "campaign_analysis", "campaign_detail", "campaign_duplicate_view",
           "campaign_export", "campaign_for_organization_member", "campaign_participant", "campaign_results",
           "campaign_settings"]
