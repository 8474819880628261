"""Placeholder: replaced by the accounts work (hashed API tokens)."""

from rest_framework.authentication import BaseAuthentication


class HashedTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        return None
