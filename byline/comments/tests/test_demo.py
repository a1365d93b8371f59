from byline.comments.models import Comment


def test_demo_has_a_threaded_discussion_on_the_putin_xi_article(db):
    from byline.news.demo.loader import load_demo

    load_demo()
    load_demo()  # idempotent
    on_article = Comment.objects.filter(article__slug="putin-xi-state-visit-beijing")
    comments = on_article.filter(status="approved")
    assert comments.count() == 8
    # And work for moderators: two held, one shown comment reported.
    assert on_article.filter(status="pending").count() == 2
    assert comments.filter(reports__resolved=False).count() == 1
    assert comments.filter(anchor_state="found").count() == 2
    assert comments.filter(depth=3).exists()
    assert comments.filter(featured=True).count() == 1
