"""The standalone verifier against a live server, and against tampered records."""

import copy
import json

import pytest
from django.core.management import CommandError, call_command

# A live server reads the database from another thread: those tests commit, and
# restore the rows migrations made (Wagtail's root page) when they are done.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def edited_article(make_article):
    """Published, edited with a correction, republished: three records in the log."""
    make_article("Another story")  # the log holds other articles' records too
    article = make_article(
        "Putin and Xi meet in Beijing", standfirst="A state visit with a message."
    )
    article.body = "<p>The talks were on 16 and 17 May.</p><h2>Next</h2><p>More.</p>"
    article.correction_notes = [
        article.correction_notes.model(kind="correction", note="Dates corrected.")
    ]
    article.save_revision().publish()
    article.refresh_from_db()
    return article


@live
def test_round_trip_verifies_every_record_over_http(
    live_server, edited_article, verifier
):
    url = live_server.url + edited_article.url
    verdict = verifier.verify_url(url)
    assert verdict.verified, verdict.report()
    assert "record 3: signature valid" in verdict.report()


@live
def test_the_command_prints_the_verdict_and_fails_on_a_problem(
    live_server, edited_article, capsys
):
    url = live_server.url + edited_article.url
    call_command("verify_article", url)
    assert "VERIFIED" in capsys.readouterr().out
    edited_article.unpublish()
    edited_article.live = True  # a stale copy of the page is still served elsewhere
    with pytest.raises(CommandError):
        call_command("verify_article", url)


@live
def test_the_script_runs_with_only_the_standard_library_and_cryptography(
    live_server, edited_article
):
    import subprocess
    import sys

    from byline.provenance.tool import TOOL_PATH

    source = TOOL_PATH.read_text()
    imports = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imports <= set(sys.stdlib_module_names) | {"cryptography"}
    result = subprocess.run(
        [sys.executable, "-I", str(TOOL_PATH), live_server.url + edited_article.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("the page's text hold.")


# --- Tampering: each change is detected and named --------------------------------


@pytest.fixture
def evidence(client, edited_article):
    """What the verifier downloads, captured once, to be tampered with."""
    log = client.get("/provenance/log.json?from=1&limit=500").json()

    def read_log(start, limit):
        window = copy.deepcopy(log)
        window["records"] = [
            r for r in log["records"] if start <= r["seq"] < start + limit
        ]
        return window

    return {
        "url": "http://testserver" + edited_article.url,
        "html": client.get(edited_article.url).content.decode(),
        "bundle": client.get(edited_article.url + "provenance.json").json(),
        "jwks": client.get("/.well-known/jwks.json").json(),
        "read_log": read_log,
    }


def run(verifier, evidence):
    return verifier.verify(
        evidence["url"], evidence["html"], evidence["bundle"], evidence["jwks"],
        evidence["read_log"],
    )  # fmt: skip


def flip(text, index):
    """Change one character of a base64url string to another valid one."""
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


def test_untampered_evidence_verifies(verifier, evidence):
    verdict = run(verifier, evidence)
    assert verdict.verified, verdict.report()


@pytest.mark.parametrize("where", ["payload", "signature"])
@pytest.mark.parametrize("position", [0, 10, -3])
def test_a_changed_byte_is_detected(verifier, evidence, where, position):
    record = evidence["bundle"]["records"][1]
    header, payload, signature = record["jws"].split(".")
    if where == "payload":
        payload = flip(payload, position % len(payload))
    else:
        signature = flip(signature, position % len(signature))
    record["jws"] = f"{header}.{payload}.{signature}"
    verdict = run(verifier, evidence)
    assert not verdict.verified
    seq = evidence["bundle"]["records"][1]["seq"]
    assert any(f"record {seq}" in problem for problem in verdict.problems), (
        verdict.report()
    )


def test_reordered_records_are_detected(verifier, evidence):
    records = evidence["bundle"]["records"]
    records[0], records[1] = records[1], records[0]
    verdict = run(verifier, evidence)
    assert any("out of order" in p for p in verdict.problems), verdict.report()


def test_a_deleted_record_is_detected(verifier, evidence):
    del evidence["bundle"]["records"][0]
    verdict = run(verifier, evidence)
    assert any("previous record is missing" in p for p in verdict.problems), (
        verdict.report()
    )


def test_a_swapped_key_is_detected(verifier, evidence):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    # Every published key: another test on the same worker may have left a
    # second key published, and the records may be signed with either.
    for key in evidence["jwks"]["keys"]:
        key["x"] = verifier.b64url(other)
    verdict = run(verifier, evidence)
    assert any("is not the key its id names" in p for p in verdict.problems)
    assert any("does not publish" in p for p in verdict.problems), verdict.report()


def test_a_page_that_differs_from_the_signed_text_is_detected(verifier, evidence):
    evidence["html"] = evidence["html"].replace("16 and 17 May", "15 and 16 May")
    verdict = run(verifier, evidence)
    assert verdict.problems == [
        "the text on the page differs from the signed text (content_sha256)"
    ]


def test_a_changed_headline_is_detected(verifier, evidence):
    evidence["html"] = evidence["html"].replace(
        ">Putin and Xi meet in Beijing<", ">Putin snubbed in Beijing<"
    )
    verdict = run(verifier, evidence)
    assert any("headline on the page" in p for p in verdict.problems), verdict.report()


def test_a_broken_site_wide_log_is_detected(verifier, evidence):
    original = evidence["read_log"]

    def forged_log(start, limit):
        window = original(start, limit)
        for record in window["records"]:
            if record["seq"] == 1:
                record["jws"] = evidence["bundle"]["records"][0]["jws"]
        return window

    evidence["read_log"] = forged_log
    verdict = run(verifier, evidence)
    assert any("log is broken" in p for p in verdict.problems), verdict.report()


def test_the_verdict_is_printed_and_the_exit_code_says_it(verifier, evidence, capsys):
    verdict = run(verifier, evidence)
    assert verdict.report().endswith("the page's text hold.")
    assert json.dumps(evidence["bundle"])  # evidence is plain JSON, as downloaded


@live
def test_records_signed_before_and_after_a_key_rotation_all_verify(
    live_server, edited_article, verifier
):
    from byline.provenance.models import ProvenanceRecord

    call_command("rotate_signing_key", verbosity=0)
    edited_article.title = "Putin and Xi meet in Beijing, again"
    edited_article.save_revision().publish()
    records = list(ProvenanceRecord.objects.filter(page_id=edited_article.pk))
    assert len({r.kid for r in records}) == 2
    verdict = verifier.verify_url(live_server.url + edited_article.url)
    assert verdict.verified, verdict.report()
