"""The "Related articles" panel in the article editor.

The related app owns the editors' choices, so it adds its panel to the article
editor rather than the news app knowing about it.
"""

from wagtail.admin.panels import InlinePanel

from byline.news.models import ArticlePage


def add_editor_choices_to_article_editor():
    if any(
        getattr(panel, "relation_name", None) == "related_choices"
        for panel in ArticlePage.promote_panels
    ):
        return
    ArticlePage.promote_panels = [
        *ArticlePage.promote_panels,
        InlinePanel(
            "related_choices",
            heading="You may also like",
            label="Related article",
            help_text=(
                "Pinned articles are shown first, in this order; blocked ones are "
                "never shown. The engine fills the remaining places."
            ),
        ),
    ]
