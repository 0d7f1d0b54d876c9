"""Draws the application and .boq file icon (packaging/boq-estimator.ico, committed) with Pillow:
a blue tile with a white sheet carrying a bill's ruled table and a total bar.
Run: python packaging/make_icon.py   (needs Pillow; only to redraw the committed icon)."""

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw(size: int = 256) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 256
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=40 * s, fill=(27, 94, 160, 255))
    d.rectangle((56 * s, 36 * s, 200 * s, 220 * s), fill=(255, 255, 255, 255))
    for i in range(6):  # the bill's rows
        y = (70 + i * 22) * s
        d.line((70 * s, y, 186 * s, y), fill=(27, 94, 160, 255), width=max(1, round(6 * s)))
    d.line((140 * s, 58 * s, 140 * s, 180 * s), fill=(27, 94, 160, 255), width=max(1, round(6 * s)))
    d.rectangle((70 * s, 190 * s, 186 * s, 206 * s), fill=(230, 140, 30, 255))  # the total
    return img


if __name__ == "__main__":
    draw().save(HERE / "boq-estimator.ico", sizes=SIZES)
    print(f"wrote {HERE / 'boq-estimator.ico'}")
