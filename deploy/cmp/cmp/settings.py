"""Settings of the CMP stand-in: the few parts of CMP that the model
registry service meets (its tables, and its proxy in front of the service).

Configured from the environment:
  CMP_DATABASE_URL      postgres://user@host:port/name (default: the local
                        server's database `cmp`)
  MODEL_REGISTRY_URL    where the service listens (default http://127.0.0.1:8080)
  CMP_ALLOWED_HOSTS     the host names Django answers for, comma-separated
                        (default 127.0.0.1,localhost)
  MODEL_REGISTRY_TOKEN  the service's own bearer token, when it wants one
"""

import os
from urllib.parse import urlparse

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ.get("CMP_SECRET_KEY", "cmp-stand-in-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("CMP_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "tenant",
    "organization",
    "model_registry",
    "proxy",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "cmp.urls"
WSGI_APPLICATION = "cmp.wsgi.application"

_url = urlparse(os.environ.get("CMP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cmp"))
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/"),
        "USER": _url.username or "postgres",
        "PASSWORD": _url.password or "",
        "HOST": _url.hostname or "127.0.0.1",
        "PORT": str(_url.port or 5432),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"

MODEL_REGISTRY_URL = os.environ.get("MODEL_REGISTRY_URL", "http://127.0.0.1:8080")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# The service's own token, when it is configured with API_TOKENS.
MODEL_REGISTRY_TOKEN = os.environ.get("MODEL_REGISTRY_TOKEN", "")
