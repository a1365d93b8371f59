"""The admin's slug input: Wagtail's, with our script (static/js/slug.js)
making the slug from the title so that it keeps marks (core/slugs.py)."""

from wagtail.admin.widgets import SlugInput as WagtailSlugInput

from byline.core.slugs import WHITESPACE, dropped_marks_for_script


class SlugInput(WagtailSlugInput):
    def __init__(self, attrs=None, **kwargs):
        ours = {
            "data-controller": "byline-slug",
            "data-action": (
                "blur->byline-slug#clean "
                "w-sync:check->byline-slug#compare "
                "w-sync:apply->byline-slug#apply:prevent"
            ),
            "data-byline-slug-whitespace-value": WHITESPACE,
            "data-byline-slug-dropped-value": dropped_marks_for_script(),
        }
        super().__init__(attrs={**ours, **(attrs or {})}, **kwargs)

    class Media:
        js = ["js/slug.js"]
