"""The message catalogues (byline/core/translations.py): the French one is
complete, compiled, and keeps every placeholder (issue 19, item 33)."""

import gettext
import re

from byline.core import translations


def test_french_catalogue_is_complete_and_compiled():
    """Every marked message is in the French catalogue, translated and not
    fuzzy, and the committed .mo is the .po compiled."""
    assert translations.stale("fr") == []


def test_compiled_catalogue_reads_as_gnu_gettext_reads_it():
    """Python's gettext (GNU's .mo format) finds every translation of the .po."""
    path = translations.po_path("fr")
    with path.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    _, entries = translations.read_po(path)
    for entry in entries:
        if entry.plural:
            assert catalogue.ngettext(entry.msgid, entry.plural, 1) == entry.strings[0]
            assert catalogue.ngettext(entry.msgid, entry.plural, 5) == entry.strings[1]
        else:
            assert catalogue.gettext(entry.msgid) == entry.strings[0]
    assert catalogue.plural(0) == catalogue.plural(1) == 0  # French: "0 commentaire"


def test_translations_keep_every_placeholder():
    """A translation has the placeholders of its message, no more, no fewer:
    a lost `%(title)s` would drop a headline, a `{count}` a number."""
    holders = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    _, entries = translations.read_po(translations.po_path("fr"))
    for entry in entries:
        wanted = {frozenset(holders.findall(entry.msgid))}
        if entry.plural:
            wanted.add(frozenset(holders.findall(entry.plural)))
        for text in entry.strings:
            found = frozenset(holders.findall(text))
            # A plural form may leave out the count it is chosen by.
            assert found in wanted or found | {"%(count)s"} in wanted, entry.msgid


def test_catalogue_round_trips(tmp_path):
    """Reading a catalogue and writing it again gives the same file."""
    header, entries = translations.read_po(translations.po_path("fr"))
    copy = tmp_path / "django.po"
    translations.write_po(copy, header, entries)
    assert copy.read_text() == translations.po_path("fr").read_text()


def test_mail_templates_are_gathered():
    """Django templates (the mail) are read through Django's templatize: their
    {% translate %} messages and {% blocktranslate count %} plurals are found,
    with the file they come from."""
    found = translations.extract()
    single = found[("If it was not you, ignore this message.", "")]
    assert any("comments/mail/mine.txt:" in place for place in single.places)
    plural = found[
        (
            "To confirm, open this link within %(days)s day:",
            "To confirm, open this link within %(days)s days:",
        )
    ]
    assert [place.rpartition(":")[0] for place in plural.places] == [
        "comments/templates/comments/mail/confirm.txt"
    ]


def test_templates_remember_translations_per_language():
    """Template messages are remembered (core/template_gettext.py), but per
    language: a page in French, then in English, then in French again."""
    from django.template import engines
    from django.utils import translation

    template = engines["jinja2"].from_string('{{ _("Latest") }}')
    said = []
    for language in ("fr", "en-gb", "fr"):
        with translation.override(language):
            said.append(template.render({}))
    assert said == ["En continu", "Latest", "En continu"]


def test_parts_the_same_for_every_reader_are_in_each_language():
    from django.template import engines
    from django.utils import translation

    template = engines["jinja2"].from_string(
        '{{ same_for_every_reader("chrome/script_text.html") }}'
    )
    said = []
    for language in ("fr", "en-gb", "fr"):
        with translation.override(language):
            said.append(template.render({}))
    assert "Commenter ce passage" in said[0]
    assert "Comment on this passage" in said[1]
    assert said[2] == said[0]
