"""Campaign management pages (organization side)."""

from django.urls import path

from campaigns.views import home, manage

app_name = "campaigns"

urlpatterns = [
    path("organisations/<int:organization_id>/accueil", home.organization_home, name="home"),
    path("organisations/<int:organization_id>/campagnes", manage.campaign_list_view, name="list"),
    path("organisations/<int:organization_id>/campagnes/creer", manage.campaign_create_view, name="create"),
    path("organisations/<int:organization_id>/campagnes/<int:campaign_id>/modifier", manage.campaign_edit_view,
         name="edit"),
    path("organisations/<int:organization_id>/campagnes/<int:campaign_id>/archiver", manage.campaign_archive_view,
         name="archive"),
    path("organisations/<int:organization_id>/campagnes/<int:campaign_id>/desarchiver",
         manage.campaign_unarchive_view, name="unarchive"),
]
