/* The admin's slug field: the slug a page title or name gives, marks kept.
 *
 * Wagtail's own slug script keeps letters and numbers (\p{L}\p{N}) and drops
 * the vowel signs and viramas of Indic scripts (\p{M}): "नमस्ते" became
 * "नमसत". This controller takes its place on the slug fields our widget draws
 * (byline/core/widgets.py) and makes slugs in the steps byline/core/slugs.py
 * defines, so the admin and the importers make the same slug from a title:
 *   1. NFKC, lowercased (both languages write a word's last "Σ" as "ς");
 *   2. keep letters, marks, numbers, "_", "-" and whitespace, but Arabic's
 *      optional short vowels;
 *   3. each run of "-" and whitespace becomes one "-";
 *   4. trim "-" and "_" from both ends.
 * The whitespace and the dropped marks come from the server
 * (data-byline-slug-whitespace-value, data-byline-slug-dropped-value).
 *
 * It answers the title field's sync events as Wagtail's does: a slug still
 * made from the old title follows the new one; a slug edited by hand stays.
 */
(function () {
  "use strict";

  function slugify(text, whitespace, optional) {
    var lowered = String(text).normalize("NFKC").toLowerCase();
    var kept = "\\p{L}\\p{M}\\p{N}_\\-" + whitespace;
    var dropped = new RegExp("[^" + kept + "]|[" + optional + "]", "gu");
    var separators = new RegExp("[\\-" + whitespace + "]+", "gu");
    return lowered
      .replace(dropped, "")
      .replace(separators, "-")
      .replace(/^[-_]+|[-_]+$/gu, "");
  }
  window.bylineSlugify = slugify;

  function register() {
    var app = window.wagtail && window.wagtail.app;
    if (!app || !window.StimulusModule) return false;
    app.register(
      "byline-slug",
      class extends window.StimulusModule.Controller {
        static values = { whitespace: String, dropped: String };

        slug(text) {
          var slug = slugify(text, this.whitespaceValue, this.droppedValue);
          var max = this.element.maxLength;
          return max > 0 ? slug.slice(0, max).replace(/[-_]+$/u, "") : slug;
        }

        /* On leaving the field: the typed slug, cleaned. */
        clean() {
          this.element.value = this.slug(this.element.value);
        }

        /* Before the title changes: follow it only while the slug is empty
           or still the old title's slug. */
        compare(event) {
          var value = this.element.value;
          var old = (event.detail && event.detail.value) || "";
          if (value && value !== this.slug(old)) event.preventDefault();
        }

        /* The title changed: the slug of the new title. */
        apply(event) {
          this.element.value = this.slug((event.detail && event.detail.value) || "");
        }
      }
    );
    return true;
  }

  if (!register()) document.addEventListener("DOMContentLoaded", register);
})();
