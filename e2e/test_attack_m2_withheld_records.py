"""M2 in the reader's browser: an article made private leaves the public log (only
its records' hashes stay), and the next article still earns the mark, with
the browser following the chain through the withheld record."""

import subprocess
import sys

from e2e.provenance_shell import new_slug, publish_article
from e2e.test_attack_m10_tampered_fields import browser_mark


def test_a_withheld_record_keeps_the_chain_verifiable(browser, site_url, site_shell):
    """The log hides the private article; the next one verifies everywhere."""
    from byline.provenance.tool import TOOL_PATH

    hidden, shown = new_slug("hidden"), new_slug("shown")
    output = site_shell(
        publish_article(hidden, "Leaked memo on the harbour", section="business")
        + "hidden = article\n"
        + publish_article(shown, "Harbour reopens after the storm")
        + "from wagtail.models import PageViewRestriction\n"
        "PageViewRestriction.objects.create(page=hidden, restriction_type='login')\n"
        "from byline.provenance.models import ProvenanceRecord\n"
        "print(ProvenanceRecord.objects.get(page_id=hidden.pk).seq)\n"
    )
    url, hidden_seq = output.split()[-2], int(output.split()[-1])

    page = browser.new_page()
    page.goto(f"{site_url}/provenance/log.json?from={hidden_seq}&limit=2")
    log = page.evaluate("() => JSON.parse(document.body.innerText)")
    page.close()
    withheld, after = log["records"]
    assert withheld["withheld"] is True and set(withheld) == {"seq", "hash", "withheld"}
    assert "Leaked memo" not in str(log) and hidden not in str(log)
    assert after["payload"]["prev"] == withheld["hash"]

    verified, text = browser_mark(browser, site_url + url)
    assert verified == "browser", text
    result = subprocess.run(
        [sys.executable, "-I", str(TOOL_PATH), site_url + url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "withheld" in result.stdout
