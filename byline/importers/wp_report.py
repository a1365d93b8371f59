"""What a WordPress import did, counted for the person running it."""

from collections import Counter
from dataclasses import dataclass, field

# What wp_html counts for each image in a post's text, told apart in the summary.
PLACED, AS_TEXT = "images placed in the text", "images kept as text"


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    converted: Counter = field(default_factory=Counter)
    missing_media: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    media_dir: bool = False

    def lines(self):
        out = []
        converted = Counter(self.converted)
        placed = converted.pop(PLACED, 0)
        as_text = converted.pop(AS_TEXT, 0)
        for label, counts in [
            ("created", self.created),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("skipped", self.skipped),
            ("converted to fit our rich text", converted),
        ]:
            if counts:
                items = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
                out.append(f"{label.capitalize()}: {items}.")
        if placed or as_text:
            out.append(
                f"Images in the text: {placed} placed where they stood, {as_text} "
                "kept as text because their file is missing or refused."
            )
        if self.missing_media:
            out.append(
                f"Missing media ({len(self.missing_media)}"
                + ("" if self.media_dir else "; pass --media-dir with a copy of "
                   "wp-content/uploads")
                + "): "
                + ", ".join(self.missing_media)
            )  # fmt: skip
        out += [f"Problem: {p}" for p in self.problems]
        return out
