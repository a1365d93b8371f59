from django.urls import path, re_path

from byline.core.slugs import slug_regex
from byline.provenance import alert_views, corrections, views

urlpatterns = [
    path(".well-known/jwks.json", views.jwks, name="jwks"),
    path("provenance/log.json", views.log, name="provenance_log"),
    path("provenance/verify_article.py", views.verifier_script, name="verifier_script"),
    path(
        "provenance/alerts/<id:article_id>/",
        alert_views.sign_up,
        name="correction_alert",
    ),
    path(
        "provenance/alerts/confirm/<str:token>/",
        alert_views.confirm,
        name="correction_alert_confirm",
    ),
    path(
        "provenance/alerts/unsubscribe/<str:token>/",
        alert_views.unsubscribe,
        name="correction_alert_unsubscribe",
    ),
    path("corrections/log/", corrections.corrections_log, name="corrections_log"),
    path(
        "corrections/log/feed/",
        corrections.CorrectionsFeed(),
        name="corrections_feed",
    ),
    re_path(
        rf"^(?P<path>(?:{slug_regex()}/)+)provenance\.json$",
        views.article_records,
        name="article_provenance_json",
    ),
    re_path(
        rf"^(?P<path>(?:{slug_regex()}/)+)provenance/$",
        views.reader_page,
        name="article_provenance",
    ),
]
