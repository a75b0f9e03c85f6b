from django.urls import path, re_path

from proxy.views import health, model_registry

urlpatterns = [
    path("healthz", health),
    # CMP's route to the service: everything under it is forwarded.
    re_path(r"^api/v1/model-registry/(?P<rest>.*)$", model_registry),
]
