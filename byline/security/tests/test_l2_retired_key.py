"""L2: a record signed with a retired key, after it was retired, verifies nowhere.

Whoever holds an old private key (an old backup) could otherwise add records
forever. Every verifier compares the record's signed time with the key's
published `valid_from`/`valid_until`: the server's mark and reader page,
`manage.py provenance --check`, tools/verify_article.py and `manage.py
verify_article` (the browser's mark: e2e/test_attack_l2_retired_key.py).
"""

import pytest
from django.core.management import CommandError, call_command

from byline.provenance import keys
from byline.provenance.tests.conftest import server_mark, sign_again, verify_served

pytestmark = pytest.mark.usefixtures("uncached")


@pytest.fixture
def verifier():
    from byline.provenance.tool import load_verifier

    return load_verifier()


@pytest.fixture
def retired_key(published_article):
    """The key that signed the article, kept (as a backup would) past a rotation."""
    key, kid = keys.signing_key()
    call_command("rotate_signing_key", verbosity=0)
    return key, kid


@pytest.fixture
def forged(published_article, retired_key):
    """A new record of the article signed now with the retired key: its
    signature is good and it signs what the page shows, only its time is wrong."""
    return sign_again(published_article, *retired_key)


def test_a_record_signed_with_a_key_in_use_verifies(
    client, published_article, retired_key, verifier
):
    """Rotation alone changes nothing for records signed before it."""
    assert server_mark(client, published_article)[0]
    assert verify_served(verifier, client, published_article).verified


def test_the_server_mark_refuses_a_retired_keys_new_record(
    client, published_article, forged
):
    """The signature is good; the time it claims is after the key's end."""
    ok, text = server_mark(client, published_article)
    assert not ok and "Signature could not be verified" in text
    page = client.get(published_article.url + "provenance/").content.decode()
    assert "outside the time its key was in use" in page


def test_the_log_check_refuses_a_retired_keys_new_record(forged, capsys):
    """`manage.py provenance --check` reads the same key times."""
    with pytest.raises(CommandError):
        call_command("provenance", "--check")
    assert f"record {forged.seq}: signed at" in capsys.readouterr().err


def test_the_standalone_verifier_refuses_a_retired_keys_new_record(
    client, published_article, forged, verifier
):
    """tools/verify_article.py, on what the site serves."""
    verdict = verify_served(verifier, client, published_article)
    assert not verdict.verified
    assert any(
        f"record {forged.seq}: signed at" in p and "outside the time key" in p
        for p in verdict.problems
    ), verdict.report()


def test_a_key_without_a_published_start_is_not_trusted(
    client, published_article, verifier
):
    """A JWKS that leaves out a key's time range proves nothing about it."""
    jwks = client.get("/.well-known/jwks.json").json()
    for key in jwks["keys"]:
        del key["valid_from"]
    log = client.get("/provenance/log.json?from=1&limit=500").json()
    verdict = verifier.verify(
        "http://testserver" + published_article.url,
        client.get(published_article.url).content.decode(),
        client.get(published_article.url + "provenance.json").json(),
        jwks,
        lambda start, limit: log,
    )
    assert any("outside the time key" in p for p in verdict.problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_refuses_a_retired_keys_new_record_on_a_live_server(
    live_server, published_article, forged, capsys
):
    """`manage.py verify_article` over HTTP."""
    with pytest.raises(CommandError):
        call_command("verify_article", live_server.url + published_article.url)
    assert "outside the time key" in capsys.readouterr().out
