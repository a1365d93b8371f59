from django.urls import path

from byline.comments import views

app_name = "comments"
urlpatterns = [
    path("article/<int:article_id>/", views.all_comments, name="all"),
    path("article/<int:article_id>/post/", views.post_comment, name="post"),
    path("<int:comment_id>/edit/", views.edit_comment, name="edit"),
    path("<int:comment_id>/delete/", views.delete_comment, name="delete"),
    path("<int:comment_id>/vote/", views.vote, name="vote"),
    path("<int:comment_id>/report/", views.report, name="report"),
    path("article/<int:article_id>/subscribe/", views.subscribe, name="subscribe"),
    path(
        "subscriptions/confirm/<str:token>/",
        views.confirm_subscription,
        name="confirm",
    ),
    path(
        "subscriptions/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"
    ),
    path("subscriptions/<str:token>/", views.subscriptions, name="subscriptions"),
    path("mine/", views.my_comments_request, name="mine_request"),
    path("mine/<str:token>/", views.my_comments, name="mine"),
]
