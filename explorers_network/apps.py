from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplorersNetworkConfig(AppConfig):
    name = "explorers_network"
    verbose_name = _("Governance Explorers network")

    def ready(self) -> None:
        from . import receivers  # noqa: F401
