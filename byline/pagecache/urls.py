from django.urls import path

from byline.pagecache import views

urlpatterns = [
    path("forms/token/", views.form_tokens, name="form_tokens"),
]
