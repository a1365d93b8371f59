from django.urls import path

from byline.news import views

urlpatterns = [
    path("tags/<uslug:slug>/", views.tag_page, name="tag"),
    path("authors/<uslug:slug>/", views.author_page, name="author"),
]
