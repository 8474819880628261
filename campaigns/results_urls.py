from django.urls import path  # noqa: F401

app_name = "campaign_results"

urlpatterns: list = []
