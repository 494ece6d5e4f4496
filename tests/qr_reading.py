"""QR codes read back as a phone would: the decoder is zxing-cpp (wheels, no system library)."""
from __future__ import annotations

import re

import zxingcpp
from PIL import Image, ImageDraw


def decoded(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image.convert("L"))]


def svg_image(svg: str) -> Image.Image:
    """segno's SVG drawn again, as a PNG would show it: the dark modules are one path (class
    "qrline") of moves (M, m) and horizontal strokes (h) one module thick, in modules, scaled
    by the group's transform; the quiet zone is the white background."""
    width = int(float(re.search(r'width="([\d.]+)"', svg).group(1)))
    scale = float(re.search(r'transform="scale\(([\d.]+)\)"', svg).group(1))
    path = re.search(r'<path class="qrline"[^>]* d="([^"]+)"', svg).group(1)
    image = Image.new("L", (width, width), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, dx, dy in re.findall(r"([A-Za-z])([-\d.]+)(?: ([-\d.]+))?", path):
        if command == "M":
            x, y = float(dx), float(dy)
        elif command == "m":
            x, y = x + float(dx), y + float(dy)
        elif command == "h":
            draw.rectangle([x * scale, (y - 0.5) * scale,
                            (x + float(dx)) * scale - 1, (y + 0.5) * scale - 1], fill=0)
            x += float(dx)
        else:
            raise AssertionError(f"segno's SVG now uses {command}: teach this test")
    return image
