"""A fake webcam for Chromium: a badge's QR code painted on a white frame, as Y4M.

Chromium plays the file given by ``--use-file-for-fake-video-capture`` as the
camera and loops it, so one frame is enough. The QR modules come from the
product's own badge code (``rencontre.badges.render.qr_matrix``), so the test
scans exactly what a printed badge shows.
"""

from __future__ import annotations

from pathlib import Path

WIDTH, HEIGHT = 640, 480
QUIET_ZONE = 4


def qr_modules(data: str) -> list[list[bool]]:
    try:
        from rencontre.badges.render import qr_matrix
    except ImportError:  # the badges module has not landed: same library, same settings
        import qrcode
        from qrcode.constants import ERROR_CORRECT_M

        code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        code.add_data(data)
        code.make(fit=True)
        return [[bool(cell) for cell in row] for row in code.get_matrix()]
    return qr_matrix(data)


def write_y4m(path: Path, data: str) -> Path:
    """One I420 frame: a QR code of ``data``, centred, black on white, with its quiet zone."""
    modules = qr_modules(data)
    count = len(modules) + 2 * QUIET_ZONE
    scale = min(WIDTH, HEIGHT) * 85 // 100 // count
    size = count * scale
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray(b"\xeb" * (WIDTH * HEIGHT))  # video white (235)
    for row, line in enumerate(modules):
        for column, dark in enumerate(line):
            if not dark:
                continue
            y0 = top + (row + QUIET_ZONE) * scale
            x0 = left + (column + QUIET_ZONE) * scale
            for y in range(y0, y0 + scale):
                start = y * WIDTH + x0
                luma[start : start + scale] = b"\x10" * scale  # video black (16)
    chroma = b"\x80" * ((WIDTH // 2) * (HEIGHT // 2))
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)
    return path
