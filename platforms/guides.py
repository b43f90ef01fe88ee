"""Where things are on each platform: the seller centre's menus a seller opens to bind the
store to our service, to resolve logistics complaints and to read the store's metrics.

The article gives AliExpress's binding path (物流设置 → 物流方案 → tick 菜鸟经络速通 → save,
DOMAIN.md §4). The other platforms' paths are ours: each names that platform's own seller
centre and menus, so that a Lazada, Temu or TikTok Shop seller is never sent to
AliExpress's menus, in either language. Every text is a lazy translation.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Platform

Text = str | Promise


@dataclass(frozen=True, slots=True)
class PlatformGuide:
    platform: str
    seller_centre: Text  # the platform's back office, by its own name
    binding_steps: tuple[Text, ...]  # from the seller centre to a saved binding
    complaints: Text  # where serious logistics complaints are resolved
    metrics: Text  # where the platform shows DSR, return rate, label-print success

    @property
    def label(self) -> str:
        return str(Platform(self.platform).label)

    def binding_path(self) -> str:
        """The steps as one line: "A → B → C"."""
        return " → ".join(str(step) for step in self.binding_steps)


GUIDES: dict[str, PlatformGuide] = {
    Platform.ALIEXPRESS: PlatformGuide(
        platform=Platform.ALIEXPRESS,
        seller_centre=_("the AliExpress back office (速卖通卖家后台)"),
        binding_steps=(
            _("物流设置 (Logistics settings)"),
            _("物流方案 (Logistics solutions)"),
            _("tick 菜鸟经络速通"),
            _("save"),
        ),
        complaints=_(
            "the AliExpress back office → 客户服务 → 纠纷与投诉 (disputes and complaints)"
        ),
        metrics=_("the AliExpress back office → 店铺表现 (store performance)"),
    ),
    Platform.LAZADA: PlatformGuide(
        platform=Platform.LAZADA,
        seller_centre=_("Lazada Seller Center"),
        binding_steps=(
            _("Settings"),
            _("Shipping Provider"),
            _("choose 经络速通 (Jingluo Express) for your cross-border orders"),
            _("save"),
        ),
        complaints=_("Lazada Seller Center → Customer Engagement → Claims and complaints"),
        metrics=_("Lazada Seller Center → Business Advisor → Seller performance"),
    ),
    Platform.TEMU: PlatformGuide(
        platform=Platform.TEMU,
        seller_centre=_("Temu Seller Central (卖家中心)"),
        binding_steps=(
            _("物流 (Logistics)"),
            _("物流服务商管理 (Logistics providers)"),
            _("authorise 经络速通 (Jingluo Express)"),
            _("confirm"),
        ),
        complaints=_("Temu Seller Central → 售后 (After-sales) → 物流投诉 (logistics complaints)"),
        metrics=_("Temu Seller Central → 数据中心 (Data centre) → 履约表现 (fulfilment)"),
    ),
    Platform.TIKTOK: PlatformGuide(
        platform=Platform.TIKTOK,
        seller_centre=_("TikTok Shop Seller Center"),
        binding_steps=(
            _("Shipping"),
            _("Shipping providers"),
            _("enable 经络速通 (Jingluo Express)"),
            _("save"),
        ),
        complaints=_("TikTok Shop Seller Center → Customer service → Complaints"),
        metrics=_("TikTok Shop Seller Center → Account health → Shop performance"),
    ),
}


def platform_guide(platform: str) -> PlatformGuide | None:
    """The guide of ``platform``, or None for an unknown or empty platform."""
    return GUIDES.get(platform)
