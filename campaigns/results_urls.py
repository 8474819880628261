from django.urls import path

from campaigns.views import results

app_name = "campaign_results"

urlpatterns = [
    path("organisations/<int:organization_id>/campagnes/<int:campaign_id>", results.campaign_detail, name="detail"),
    path("organisations/<int:organization_id>/campagnes/<int:campaign_id>/export.csv", results.campaign_export,
         name="export"),
]
