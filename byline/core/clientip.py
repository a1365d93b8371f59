"""The reader's address, as rate limits, spam defence and login lockout see it.

Behind nginx or a load balancer every request comes from the proxy; the
reader's address is then the last one in X-Forwarded-For that is not one of
our own proxies (TRUSTED_PROXIES). Entries further left were written by the
client and prove nothing, so they are never believed.
"""

from django.conf import settings


def client_ip(request):
    return ip_from_meta(request.META)


def ip_from_meta(meta):
    remote = meta.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "TRUSTED_PROXIES", ())
    if remote not in trusted:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if hop not in trusted:
            return hop
    return remote
