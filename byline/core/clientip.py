"""The reader's address, as rate limits, spam defence and login lockout see it.

Behind nginx or a load balancer every request comes from the proxy; the
reader's address is then the last one in X-Forwarded-For that is not one of
our own proxies (TRUSTED_PROXIES). Entries further left were written by the
client and prove nothing, so they are never believed.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    return ip_from_meta(request.META)


def ip_from_meta(meta):
    remote = meta.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if remote not in trusted:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if hop not in trusted:
            return hop
    return remote


def client_network(request):
    """The reader's address as limits count it (see `network_of`)."""
    return network_of(client_ip(request))


def network_of(address):
    """An IPv4 address as it is; an IPv6 address as the first address of its
    /64 network.

    One IPv6 connection is routinely given a whole /64 (2^64 addresses), so a
    limit per IPv6 address would limit nothing: the /64 is what one household,
    phone or server holds. IPv4 addresses written as IPv6 (::ffff:a.b.c.d) are
    their IPv4 address. Anything unparsable is returned unchanged.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
