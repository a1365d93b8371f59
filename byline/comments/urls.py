from django.urls import path

from byline.comments import reader_state
from byline.comments.views import (
    all_comments,
    authoring,
    following,
    own_comments,
    reactions,
)

app_name = "comments"
urlpatterns = [
    path("article/<id:article_id>/", all_comments.all_comments, name="all"),
    path("article/<id:article_id>/post/", authoring.post_comment, name="post"),
    path("<id:comment_id>/edit/", authoring.edit_comment, name="edit"),
    path("<id:comment_id>/delete/", authoring.delete_comment, name="delete"),
    path("<id:comment_id>/vote/", reactions.vote, name="vote"),
    path("<id:comment_id>/report/", reactions.report, name="report"),
    path("article/<id:article_id>/subscribe/", following.subscribe, name="subscribe"),
    path(
        "subscriptions/confirm/<str:token>/",
        following.confirm_subscription,
        name="confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        following.unsubscribe,
        name="unsubscribe",
    ),
    path("subscriptions/<str:token>/", following.subscriptions, name="subscriptions"),
    path("address/<str:token>/", authoring.check_address, name="address"),
    path("me/", reader_state.reader_state, name="me"),
    path("mine/", own_comments.my_comments_request, name="mine_request"),
    path("mine/<str:token>/", own_comments.my_comments, name="mine"),
]
