"""Draw the demo illustrations locally, so the demo needs no downloads."""

import random
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter, ImageFont
from wagtail.images import get_image_model


def _blend(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def draw_illustration(seed, palette, size=(1600, 900)):
    """Return JPEG bytes of an abstract illustration in the given colours."""
    rng = random.Random(seed)
    width, height = size
    image = PILImage.new("RGB", size, palette[0])
    draw = ImageDraw.Draw(image)
    for y in range(height):  # vertical gradient between the first two colours
        draw.line(
            [(0, y), (width, y)], fill=_blend(palette[0], palette[1], y / height * 0.6)
        )
    for _ in range(14):
        colour = palette[rng.randrange(len(palette))]
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(60, 380)
        shape = rng.choice(["ellipse", "band", "ring"])
        if shape == "ellipse":
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
        elif shape == "ring":
            draw.ellipse(
                [x - radius, y - radius, x + radius, y + radius],
                outline=colour,
                width=rng.randrange(8, 30),
            )
        else:
            draw.polygon(
                [
                    (x, 0),
                    (x + radius, 0),
                    (x - radius // 2, height),
                    (x - radius, height),
                ],
                fill=colour,
            )
    image = image.filter(ImageFilter.GaussianBlur(2))
    out = BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def draw_portrait(initials, colour, size=400):
    """Return PNG bytes of a round badge with the author's initials."""
    image = PILImage.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        [size * 0.08, size * 0.08, size * 0.92, size * 0.92],
        outline=_blend(colour, (255, 255, 255), 0.5),
        width=6,
    )
    font = ImageFont.load_default(size=size // 3)
    draw.text(
        (size / 2, size / 2), initials, fill=(255, 255, 255), font=font, anchor="mm"
    )
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def restore_files(title, draw):
    """Put back the files of the demo image with this title that its storage
    no longer has: the original drawn again by `draw()`, and each rendition
    made again from it under its own name. Return how many were restored.

    The database outlives the files when media moves to a bucket, or when a
    development S3 server that keeps objects in memory (`make s3`) restarts;
    the demo's pages would then link to missing pictures.
    """
    image = get_image_model().objects.filter(title=title).first()
    if image is None:
        return 0
    restored = 0
    storage = image.file.storage
    if not storage.exists(image.file.name):
        storage.save(image.file.name, ContentFile(draw()))
        restored += 1
    for rendition in image.renditions.all():
        if not rendition.file.storage.exists(rendition.file.name):
            made = image.generate_rendition_file(rendition.filter)
            rendition.file.storage.save(rendition.file.name, made)
            restored += 1
    return restored


def ensure_image(title, filename, data, description):
    """Return the Wagtail image with this title, creating it from bytes if missing."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = image_model(title=title, description=description)
    image.file = ImageFile(BytesIO(data), name=filename)
    image.save()
    return image
