"""Redis Cluster URLs: ``redis+cluster://[user:password@]host:port[,host:port...][/]`` (pure).

Every listed node is a *startup node*: the client asks the first one that answers for the
slot map and then talks to every master directly, so one live node is enough to start,
and listing all masters lets a process start while one of them is down.
``rediss+cluster://`` is the same over TLS. There is no database number (a cluster only
has database 0) and no query string. IPv6 hosts go in brackets: ``[::1]:7000``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

SCHEMES = {"redis+cluster": False, "rediss+cluster": True}


class ClusterUrlInvalid(ValueError):
    """The URL is not a valid cluster URL; the message says why."""


@dataclass(frozen=True)
class ClusterAddress:
    nodes: tuple[tuple[str, int], ...]
    username: str | None = None
    password: str | None = None
    ssl: bool = False


def is_cluster_url(url: str) -> bool:
    return url.partition("://")[0].lower() in SCHEMES


def parse_cluster_url(url: str) -> ClusterAddress:
    """Split a cluster URL into startup nodes and credentials; ``ClusterUrlInvalid`` if malformed."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES:
        raise ClusterUrlInvalid("must start with redis+cluster:// or rediss+cluster://")
    if "?" in rest or "#" in rest:
        raise ClusterUrlInvalid("takes no query string or fragment")
    netloc, _, path = rest.partition("/")
    if path:
        raise ClusterUrlInvalid("takes no database number or path (a cluster has database 0 only)")
    userinfo, at, hosts = netloc.rpartition("@")
    username = password = None
    if at:
        user, colon, secret = userinfo.partition(":")
        username = unquote(user) or None
        password = unquote(secret) if colon else None
    nodes = tuple(_node(part) for part in hosts.split(","))
    return ClusterAddress(nodes, username, password, SCHEMES[scheme.lower()])


def _node(text: str) -> tuple[str, int]:
    if text.startswith("["):
        host, bracket, port_text = text[1:].partition("]:")
        if not bracket:
            raise ClusterUrlInvalid(f"node {text!r} must be [ipv6]:port")
    else:
        host, colon, port_text = text.rpartition(":")
        if not colon:
            raise ClusterUrlInvalid(f"node {text!r} must be host:port")
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ClusterUrlInvalid(f"node {text!r} must be host:port with a port between 1 and 65535")
    return host, int(port_text)
