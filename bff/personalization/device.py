"""Device class from a User-Agent string: ``mobile``, ``tablet`` or ``desktop`` (ua-parser)."""

from __future__ import annotations

from functools import lru_cache

from ua_parser import parse

TABLET_FAMILIES = ("iPad", "Kindle", "Tablet", "Galaxy Tab", "Nexus 7", "Nexus 9", "Nexus 10")
MOBILE_OS = ("iOS", "Android", "Windows Phone", "KaiOS")


@lru_cache(maxsize=4096)
def device_class(user_agent: str) -> str:
    """Classify a User-Agent; unknown or empty agents count as desktop.

    ua-parser names the device family and OS; the class follows from those: iPads and
    known tablet families (and Android without "Mobile" in the agent, the Android
    convention for tablets) are tablets; other phones and mobile OSes are mobile.
    """
    if not user_agent:
        return "desktop"
    result = parse(user_agent[:512])
    family = result.device.family if result.device else ""
    os_family = result.os.family if result.os else ""
    if any(name in family for name in TABLET_FAMILIES):
        return "tablet"
    if os_family == "Android" and "Mobile" not in user_agent:
        return "tablet"
    if os_family in MOBILE_OS or "Mobile" in user_agent:
        return "mobile"
    return "desktop"
