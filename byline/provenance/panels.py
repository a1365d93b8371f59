"""The "Corrections" panel in the article editor, owned by this app."""

from wagtail.admin.panels import InlinePanel

from byline.news.models import ArticlePage


def add_corrections_to_article_editor():
    if any(
        getattr(panel, "relation_name", None) == "correction_notes"
        for panel in ArticlePage.content_panels
    ):
        return
    ArticlePage.content_panels = [
        *ArticlePage.content_panels,
        InlinePanel(
            "correction_notes",
            heading="Corrections and updates",
            label="Note",
            help_text=(
                "Add a note when you republish a corrected or updated article. It is "
                "signed with the revision, shown under the article and on the "
                "corrections page, and cannot be withdrawn once published."
            ),
        ),
    ]
