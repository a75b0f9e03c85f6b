import secrets

from django.db import models


def new_key():
    return secrets.token_urlsafe(32)


class AccessToken(models.Model):
    """A caller's credential: the proxy acts for the token's project."""

    key = models.CharField(max_length=64, unique=True, default=new_key)
    project = models.ForeignKey("tenant.Project", on_delete=models.CASCADE, related_name="access_tokens")

    class Meta:
        db_table = "proxy_access_token"
