"""L2 in the reader's browser: a record signed with a retired key after its
retirement (whoever kept an old backup of it) does not earn the mark."""

from e2e.provenance_shell import article_url, new_slug, publish_article
from e2e.test_attack_m10_tampered_fields import browser_mark

# Rotate the key, then sign the article's next record with the old one, now.
FORGE_WITH_THE_RETIRED_KEY = """
from django.utils import timezone
from byline.provenance import jws, keys
from byline.provenance.models import ProvenanceRecord
old_key, old_kid = keys.signing_key()
keys.rotate()
mine = ProvenanceRecord.objects.filter(page_id=article.pk).order_by("-seq").first()
last = ProvenanceRecord.objects.order_by("-seq").first()
now = timezone.now()
payload = dict(
    mine.payload, seq=last.seq + 1, prev=last.token_hash, page_prev=mine.token_hash,
    signed_at=now.isoformat().replace("+00:00", "Z"), corrections=[],
)
header = jws.canonical_json({"alg": jws.parts(mine.jws)[0]["alg"], "kid": old_kid})
signing_input = jws.b64url(header) + "." + jws.b64url(jws.canonical_json(payload))
token = signing_input + "." + jws.b64url(old_key.sign(signing_input.encode()))
ProvenanceRecord.objects.create(
    seq=payload["seq"], page_id=article.pk, revision_id=mine.revision_id,
    event="published", jws=token, token_hash=jws.token_hash(token), kid=old_kid,
    content=mine.content, signed_at=now,
)
print(article.url)
"""


def test_a_retired_keys_new_record_makes_the_browser_mark_fail(
    browser, site_url, site_shell
):
    """The signature verifies, but was made after the key's `valid_until`."""
    control = article_url(site_shell(publish_article(new_slug("kept"), "Key kept")))
    url = article_url(
        site_shell(
            publish_article(new_slug("forged"), "Key retired")
            + FORGE_WITH_THE_RETIRED_KEY
        )
    )
    verified, text = browser_mark(browser, site_url + url)
    assert verified == "failed", text
    assert "was signed when its key was not in use" in text
    # Records signed while the old key was in use keep their mark.
    assert browser_mark(browser, site_url + control)[0] == "browser"
