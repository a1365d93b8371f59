from byline.comments.models import Comment


def test_demo_has_a_threaded_discussion_on_the_putin_xi_article(db):
    from byline.news.demo.loader import load_demo

    load_demo()
    load_demo()  # idempotent
    comments = Comment.objects.filter(article__slug="putin-xi-state-visit-beijing")
    assert comments.count() == 8
    assert comments.filter(anchor_state="found").count() == 2
    assert comments.filter(depth=3).exists()
    assert comments.filter(featured=True).count() == 1
