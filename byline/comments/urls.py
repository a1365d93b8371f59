from django.urls import path

from byline.comments import reader_state, views

app_name = "comments"
urlpatterns = [
    path("article/<id:article_id>/", views.all_comments, name="all"),
    path("article/<id:article_id>/post/", views.post_comment, name="post"),
    path("<id:comment_id>/edit/", views.edit_comment, name="edit"),
    path("<id:comment_id>/delete/", views.delete_comment, name="delete"),
    path("<id:comment_id>/vote/", views.vote, name="vote"),
    path("<id:comment_id>/report/", views.report, name="report"),
    path("article/<id:article_id>/subscribe/", views.subscribe, name="subscribe"),
    path(
        "subscriptions/confirm/<str:token>/",
        views.confirm_subscription,
        name="confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"
    ),
    path("subscriptions/<str:token>/", views.subscriptions, name="subscriptions"),
    path("address/<str:token>/", views.check_address, name="address"),
    path("me/", reader_state.reader_state, name="me"),
    path("mine/", views.my_comments_request, name="mine_request"),
    path("mine/<str:token>/", views.my_comments, name="mine"),
]
