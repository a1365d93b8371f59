"""Readers comment in a real browser; hostile input never runs as script."""

import json
import re

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"

# Script-injection attempts in the styles of OWASP's XSS filter evasion cheat sheet.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="//xss.example/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=//xss.example/.j>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><LI>XSS",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<STYLE>@import'//xss.example/xss.css';</STYLE>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE>",
    "<A CLASS=XSS></A>",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="//xss.example/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4=">',
    '<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="//xss.example/xss.js"></SCRIPT>',
    "<A HREF=\"javascript:document.location='//xss.example/'\">XSS</A>",
    '"><script>alert(document.domain)</script>',
    "'><img src=x onerror=alert(1)>",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    'https://example.org/"onmouseover="alert(1)',
    '<a href="https://example.org" onclick="alert(1)">click</a>',
]


# Elements and attributes through which markup could run script or load content.
FIND_INJECTED = """() => {
  const area = document.querySelector('#comments');
  const bad = [];
  const forbidden = ['script', 'iframe', 'svg', 'img', 'object', 'embed', 'style',
    'base', 'meta', 'link', 'frameset', 'frame', 'math', 'bgsound', 'input', 'table'];
  for (const el of area.querySelectorAll('.comment-text *, .comment-author *')) {
    const tag = el.tagName.toLowerCase();
    if (forbidden.includes(tag)) bad.push(tag);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') || attr.name === 'style') {
        bad.push(tag + '[' + attr.name + ']');
      }
    }
    const href = el.getAttribute('href');
    if (tag === 'a' && href && !/^https?:/.test(href)) bad.push('a[href=' + href + ']');
  }
  return bad;
}"""


def test_guest_posts_a_comment_without_javascript(browser, site_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(site_url + PUTIN_ARTICLE)
    page.locator("details.compose > summary").click()
    form = page.locator("details.compose form")
    form.get_by_role("textbox", name="Name").fill("Plain Reader")
    form.get_by_role("textbox", name="Email").fill("plain.reader@example.org")
    form.get_by_label("Your comment").fill("Posted with scripts turned off.")
    page.wait_for_timeout(3500)
    with page.expect_navigation():
        form.get_by_role("button", name="Post comment").click()
    assert "once a moderator approves it" in page.locator(".messages").inner_text()
    page.close()


def test_guest_posts_a_comment_with_the_form(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    page.get_by_text("Click to comment").click()
    form = page.locator("details.compose form")
    form.get_by_role("textbox", name="Name").fill("Browser Reader")
    form.get_by_role("textbox", name="Email").fill("browser.reader@example.org")
    form.get_by_label("Your comment").fill("Posted from a real browser.")
    page.wait_for_timeout(3500)  # people take a few seconds to write
    form.get_by_role("button", name="Post comment").click()
    # Posted in place by the page's script; the same form posts plainly without it.
    status = form.locator(".form-status")
    status.wait_for()
    assert "once a moderator approves it" in status.inner_text()
    assert "browser.reader@example.org" not in page.content()
    page.close()


def test_hostile_names_and_texts_never_run_as_script(browser, site_url, site_shell):
    site_shell(
        "import json\n"
        "from byline.comments.models import Comment\n"
        "from byline.news.models import ArticlePage\n"
        f"payloads = json.loads({json.dumps(json.dumps(PAYLOADS))})\n"
        "a = ArticlePage.objects.get(slug='putin-xi-state-visit-beijing')\n"
        "for p in payloads:\n"
        "    c = Comment.objects.create(article=a, name=p[:80], email='x@e.org',\n"
        "        text=p, status='approved')\n"
        "    c.root = c; c.save(update_fields=['root'])\n"
        "from byline.comments.moderation import recount; recount([a.pk])\n"
    )
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in [PUTIN_ARTICLE, PUTIN_ARTICLE + "?sort=newest"]:
        page.goto(site_url + path)
        page.wait_for_timeout(300)
        # Hover and click over every comment, to give on* handlers their chance.
        for text in page.locator(".comment-text").all()[:60]:
            text.hover()
        injected = page.evaluate(FIND_INJECTED)
        assert injected == []
    assert dialogs == []
    # The payloads are there, shown as the text the reader typed.
    page.goto(site_url + PUTIN_ARTICLE)
    assert "<script>alert(1)</script>" in page.locator("#comments").inner_text()
    page.close()


def test_reader_comments_on_a_selected_passage(browser, site_url, site_shell):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + PUTIN_ARTICLE)
    passage = "the partnership as stable and mature"
    page.evaluate(
        """(passage) => {
          const body = document.querySelector('.article-body');
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode;
            const at = node.data.replace(/\\s+/g, ' ').indexOf(passage);
            if (at === -1) continue;
            // The demo text has no line breaks inside this passage.
            const start = node.data.indexOf(passage.split(' ')[0] + ' partnership');
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + passage.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            body.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
            return;
          }
          throw new Error('passage not found');
        }""",
        passage,
    )
    page.get_by_role("button", name="Comment on this passage").click()
    form = page.locator("details.compose form")
    assert passage in form.locator("[data-passage-quote]").inner_text()
    form.get_by_role("textbox", name="Name").fill("Passage Reader")
    form.get_by_role("textbox", name="Email").fill("passage.reader@example.org")
    form.get_by_label("Your comment").fill("Stable and mature is a telling choice.")
    page.wait_for_timeout(3500)
    form.get_by_role("button", name="Post comment").click()
    status = form.locator(".form-status")
    status.wait_for()
    assert "moderator" in status.inner_text()

    site_shell(
        "from byline.comments.models import Comment\n"
        "c = Comment.objects.get(email='passage.reader@example.org')\n"
        "from byline.comments import moderation; moderation.approve([c])\n"
    )
    page.reload()
    marked = " ".join(page.locator(".article-body mark.feedback").all_inner_texts())
    assert passage in " ".join(marked.split())
    page.locator(".article-body mark.feedback").last.scroll_into_view_if_needed()
    page.screenshot(path="e2e/screenshots/inline-feedback.png", full_page=False)
    page.locator(".article-body .feedback-count").last.click()
    assert page.url.endswith("#comment-" + page.url.split("#comment-")[-1])
    page.close()


def test_replying_and_loading_more_happen_in_place(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + PUTIN_ARTICLE)
    first = page.locator(".threads > li").first
    first.locator("details.reply > summary").first.click()
    form = first.locator("details.reply form").first
    form.get_by_role("textbox", name="Name").fill("Script Reader")
    form.get_by_role("textbox", name="Email").fill("script.reader@example.org")
    form.get_by_label("Your reply").fill("Replying without leaving the page.")
    page.wait_for_timeout(3500)
    url = page.url
    form.get_by_role("button", name="Post reply").click()
    status = form.locator(".form-status")
    status.wait_for()
    assert "moderator" in status.inner_text()
    assert page.url == url  # no navigation
    assert form.get_by_label("Your reply").input_value() == ""

    shown = page.locator(".threads > li").count()
    more = page.locator("a[data-load-more]")
    if more.count():  # the payload test left more than one page of threads
        more.click()
        page.wait_for_function(
            "n => document.querySelectorAll('.threads > li').length > n", arg=shown
        )
        assert page.url == url
    page.close()


def _text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_subscribe_confirm_get_notified_and_unsubscribe_in_one_click(
    browser, site_url, site_shell, inbox
):
    address = "follower@example.org"
    page = browser.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    page.get_by_text("Notify me of new comments without commenting").click()
    page.locator("details.follow").get_by_role("textbox", name="Email").fill(address)
    with page.expect_navigation():
        page.locator("details.follow").get_by_role("button", name="Notify me").click()
    assert "Check your inbox" in page.locator(".messages").inner_text()

    mine = lambda: [m for m in inbox() if m["To"] == address]  # noqa: E731
    (confirmation,) = mine()
    confirm_url = re.search(r"http://\S+/confirm/\S+/", _text_of(confirmation)).group(0)
    page.goto(confirm_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, notify me").click()
    assert "Confirmed" in page.locator(".messages").inner_text()

    approve_new_comment = (
        "from byline.comments.models import Comment\n"
        "from byline.news.models import ArticlePage\n"
        "a = ArticlePage.objects.get(slug='putin-xi-state-visit-beijing')\n"
        "c = Comment.objects.create(article=a, name='Later Reader',\n"
        "    email='later@example.org', text='{text}', status='pending')\n"
        "c.root = c; c.save()\n"
        "from byline.comments import moderation; moderation.approve([c])\n"
    )
    site_shell(approve_new_comment.format(text="A new point, approved."))
    notices = mine()[1:]
    assert len(notices) == 1
    assert "A new point, approved." in _text_of(notices[0])
    assert notices[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    unsubscribe_url = notices[0]["List-Unsubscribe"].strip()[1:-1]
    # What a mail client's one-click button does: POST, no cookie, no page.
    response = page.request.post(
        unsubscribe_url, form={"List-Unsubscribe": "One-Click"}
    )
    assert response.status == 200

    site_shell(approve_new_comment.format(text="Another point, after leaving."))
    assert len(mine()) == 2  # nothing more arrived
    page.close()
