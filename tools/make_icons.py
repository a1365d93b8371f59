"""Draw the site's icons from its brand colour: favicon.ico and apple-touch-icon.png.

    .venv/bin/python tools/make_icons.py [FONT.ttf]

Run once when the mark changes; the files are committed under byline/static/img/
beside favicon.svg (the same mark as vector). Needs Pillow (Wagtail brings it)
and a bold serif font (Liberation Serif, Debian's fonts-liberation, by default).
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = "#9b1c1c"  # --accent in byline/static/css/site.css
LETTER = "B"
OUT = Path(__file__).resolve().parent.parent / "byline" / "static" / "img"
FONT = "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"


def draw(size, font_path, radius):
    """The letter in white, centred on the brand colour; `radius` rounds corners."""
    scale = 4  # drawn large, then reduced, for smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    canvas.rounded_rectangle((0, 0, big - 1, big - 1), radius * big, fill=BRAND)
    font = ImageFont.truetype(font_path, int(big * 0.72))
    left, top, right, bottom = canvas.textbbox((0, 0), LETTER, font=font)
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    canvas.text((x, y), LETTER, font=font, fill="#ffffff")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    font_path = sys.argv[1] if len(sys.argv) > 1 else FONT
    icon = draw(48, font_path, radius=0.19)
    icon.save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    # iOS rounds the corners itself and shows transparency as black.
    draw(180, font_path, radius=0).convert("RGB").save(OUT / "apple-touch-icon.png")
    print(f"wrote {OUT / 'favicon.ico'} and {OUT / 'apple-touch-icon.png'}")


if __name__ == "__main__":
    main()
