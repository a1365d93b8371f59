"""The demo newsroom's reader discussion, written by us, on the Putin–Xi article."""

from datetime import timedelta

from django.dispatch import receiver
from django.utils import timezone
from wagtail.rich_text import expand_db_html

from byline.comments import anchors, moderation
from byline.comments.models import Comment, Report
from byline.news.models import ArticlePage
from byline.news.signals import demo_loaded

ARTICLE_SLUG = "putin-xi-state-visit-beijing"
DEMO_DOMAIN = "readers.example"

# Inline feedback on passages of the article: (key, name, quote, text, score).
FEEDBACK = [
    (
        "amara",
        "Amara Nwosu",
        "members of his family were studying Mandarin",
        "A small detail, but it says more about how Moscow wants to be seen in "
        "Beijing than the whole communiqué does.",
        5,
    ),
    (
        "jonas",
        "Jonas Berg",
        "Its banks have already become more cautious about handling Russian "
        "payments since Washington threatened secondary sanctions.",
        "Do we know which banks? The large state lenders or the regional ones too?",
        3,
    ),
]

# Waiting for a moderator: (key, name, text, the rule that held it).
HELD = [
    (
        "pavel",
        "Pavel Novak",
        "Everyone knows how this ends. The real story: https://example.net/truth "
        "https://example.net/more https://example.net/proof before they delete it.",
        "3 links (limit 2)",
    ),
    (
        "greta",
        "Greta Lind",
        "First time commenting. Is there a transcript of the joint statement "
        "in English?",
        "first comments are reviewed",
    ),
]

# (key, parent key, name, text, featured, score)
DISCUSSION = [
    (
        "lena",
        None,
        "Lena Hartmann",
        "The detail that stayed with me is how little was said about payments. "
        "Trade between the two is at a record, yet banks on both sides keep "
        "refusing transfers for fear of secondary sanctions.\n\nIf the summit did "
        "not fix that, the warm words will not move much cargo.",
        True,
        14,
    ),
    (
        "wei",
        "lena",
        "Wei Zhang",
        "Agreed on payments. The regional banks are doing the work the big ones "
        "will not touch, and that is slow and expensive. Worth a follow-up piece.",
        False,
        6,
    ),
    (
        "ruth",
        "wei",
        "Ruth Okafor",
        "There was reporting in May on settlement through smaller lenders near the "
        "border: https://example.org/settlement-explainer (an explainer, not ours).",
        False,
        2,
    ),
    (
        "dmitri",
        None,
        "Dmitri V.",
        "Calling it a partnership of equals flatters Moscow. One side needs buyers "
        "for its oil; the other has plenty of sellers to choose from.",
        False,
        9,
    ),
    (
        "sam",
        "dmitri",
        "Sam Whitfield",
        "Fair, but Beijing also gets a long border it no longer has to worry "
        "about. That is not nothing for a country watching the Pacific.",
        False,
        4,
    ),
    (
        "ines",
        None,
        "Inês Carvalho",
        "Good piece. A map of the energy routes mentioned would help readers who "
        "do not follow pipelines closely.",
        False,
        3,
    ),
]


@receiver(demo_loaded)
def add_demo_discussion(sender, home, **kwargs):
    article = ArticlePage.objects.filter(slug=ARTICLE_SLUG).first()
    if (
        article is None
        or Comment.objects.filter(
            article=article, email__endswith=f"@{DEMO_DOMAIN}"
        ).exists()
    ):
        return
    # The demo dates its articles in the hours before it loads: the discussion
    # fills the time since publication, and none of it is in the future.
    published = article.published_at or article.first_published_at
    span = max(timezone.now() - published, timedelta(hours=1))
    start, step = published + span * 0.1, span * 0.08
    made = {}
    for n, (key, parent_key, name, text, featured, score) in enumerate(DISCUSSION):
        parent = made.get(parent_key)
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            root=parent.root if parent else None,
            depth=parent.depth + 1 if parent else 1,
            name=name,
            email=f"{key}@{DEMO_DOMAIN}",
            text=text,
            status=Comment.Status.APPROVED,
            featured=featured,
            score=score,
            created=start + step * n,
        )
        if comment.root_id is None:
            comment.root = comment
            comment.save(update_fields=["root"])
        made[key] = comment
    _add_feedback(article, published + span * 0.65, span * 0.05)
    _add_waiting(article, made, published + span * 0.9)
    # Written directly (the demo mails no one): the count is taken once.
    moderation.recount([article.pk])


def _add_waiting(article, made, when):
    """Two held comments and a reported one, so moderators have work to see.

    Written without Comment.save(): loading the demo should not mail the
    editors about them (the queue, its count and the dashboard show them)."""
    held = Comment.objects.bulk_create(
        [
            Comment(
                article=article,
                depth=1,
                name=name,
                email=f"{key}@{DEMO_DOMAIN}",
                text=text,
                status=Comment.Status.PENDING,
                moderation_note=note,
                created=when + timedelta(minutes=n),
            )
            for n, (key, name, text, note) in enumerate(HELD)
        ]
    )
    for comment in held:
        Comment.objects.filter(pk=comment.pk).update(root=comment.pk)
    Report.objects.create(
        comment=made["ruth"], reason=Report.Reason.SPAM, details="Links elsewhere."
    )


def _add_feedback(article, start, step):
    text = anchors.text_of(expand_db_html(article.body))
    for n, (key, name, quote, words, score) in enumerate(FEEDBACK):
        found = anchors.locate(text, quote)
        if found.state == anchors.LOST:
            continue  # the demo article was edited: leave the passage out
        comment = Comment.objects.create(
            article=article,
            depth=1,
            name=name,
            email=f"{key}@{DEMO_DOMAIN}",
            text=words,
            status=Comment.Status.APPROVED,
            score=score,
            created=start + step * n,
            quote=quote,
            quote_prefix=text[max(0, found.start - 40) : found.start],
            quote_suffix=text[found.end : found.end + 40],
            anchor_start=found.start,
            anchor_end=found.end,
            anchor_state=found.state,
        )
        comment.root = comment
        comment.save(update_fields=["root"])
