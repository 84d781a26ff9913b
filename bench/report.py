"""The signed service report: 200 work-log entries with 4 phone photos (12 MP JPEGs), rendered as the job worker
does after a sign-off, against the same report without photos, interleaved in the same run.

    uv run python bench/report.py [--entries 200] [--photos 4] [--megapixels 12] [--runs 7] [--languages en ja]

The photos are made with Pillow in a temporary directory (noise over a gradient, so they compress like a
photo: ~4–7 MB each at 12 MP). Each run renders both reports in a fresh `FPDF` (as every sign-off does), in
the same process, so the first render pays what a process pays once (parsing the font): it is shown apart and
left out of the medians. Prints the medians, the first renders and the ratio of the two, the embedded photo's
resolution as printed, and the CPU: all threads, and the rendering thread alone (the photos are decoded on
others; on an idle machine with two cores or more that thread's CPU is about the time a report takes).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dispatch.report import _photo_jpeg, _photo_size, render
from tests.report_case import signed_off_case


def phone_photo(n: int, megapixels: float, folder: Path) -> bytes:
    """A JPEG the size of a phone camera's (4:3), written to `folder` and read back as the service stores it."""
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 48 + n).convert("RGB")
    image = Image.blend(gradient, noise, 0.3)
    path = folder / f"photo-{n}.jpg"
    image.save(path, format="JPEG", quality=85)
    return path.read_bytes()


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--entries", type=int, default=200)
    p.add_argument("--photos", type=int, default=4)
    p.add_argument("--megapixels", type=float, default=12)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--languages", nargs="+", default=["en", "ja"])
    args = p.parse_args()

    case = signed_off_case(args.languages, log_entries=args.entries, photos_every=max(args.entries // args.photos, 1))
    with tempfile.TemporaryDirectory() as tmp:
        ids = list(case.photos)[: args.photos]
        photos = {event_id: phone_photo(n, args.megapixels, Path(tmp)) for n, event_id in enumerate(ids)}
    with Image.open(io.BytesIO(next(iter(photos.values())))) as first:
        size = first.size

    cpu: dict[str, list[float]] = {"bare": [], "photos": []}
    main_cpu: dict[str, list[float]] = {"bare": [], "photos": []}  # the rendering thread alone (photos apart)

    def timed(with_photos: dict[str, bytes]) -> tuple[float, int]:
        start, cpu0, thread0 = time.perf_counter(), time.process_time(), time.thread_time()
        report = render(case.assignment, case.events, case.bill, with_photos)
        cpu["photos" if with_photos else "bare"].append((time.process_time() - cpu0) * 1000)
        main_cpu["photos" if with_photos else "bare"].append((time.thread_time() - thread0) * 1000)
        return (time.perf_counter() - start) * 1000, len(report.pdf)

    first_bare, _ = timed({})
    first_photos, _ = timed(photos)
    for kept in [*cpu.values(), *main_cpu.values()]:  # the first renders are shown apart
        kept.clear()
    bare, with_photos = [], []
    for _ in range(args.runs):  # interleaved: the machine's noise falls on both alike
        ms, bare_bytes = timed({})
        bare.append(ms)
        ms, photo_bytes = timed(photos)
        with_photos.append(ms)
    b, w = statistics.median(bare), statistics.median(with_photos)
    megabytes = sum(len(x) for x in photos.values()) / 1e6
    print(
        f"report: {args.entries} log entries, {' + '.join(args.languages)}, {args.runs} runs "
        f"(first render of the process apart: {first_bare:.0f} ms without photos, {first_photos:.0f} ms with)"
    )
    print(
        f"with {len(photos)} photos ({size[0]}x{size[1]}, {megabytes:.1f} MB of JPEG): median {w:.0f} ms "
        f"(min {min(with_photos):.0f}, max {max(with_photos):.0f}); PDF {photo_bytes / 1e6:.2f} MB"
    )
    print(
        f"without photos:                     median {b:.0f} ms (min {min(bare):.0f}, max {max(bare):.0f}); "
        f"PDF {bare_bytes / 1e6:.2f} MB"
    )
    print(f"ratio: with photos / without = {w / b:.2f}x")
    embedded = _photo_jpeg(next(iter(photos.values())))
    if embedded:  # what the reader gets: the photo's pixels over the width it is printed at
        with Image.open(io.BytesIO(embedded[0])) as shown:
            dpi = shown.width / (_photo_size(embedded[1])[0] / 25.4)
            print(f"each photo embedded at {shown.width}x{shown.height} px: {dpi:.0f} dpi as printed")
    print(
        f"CPU (all threads) median: {statistics.median(cpu['photos']):.0f} ms with photos, "
        f"{statistics.median(cpu['bare']):.0f} ms without (less noisy than the time on a busy machine); "
        f"the rendering thread alone: {statistics.median(main_cpu['photos']):.0f} ms with photos, "
        f"{statistics.median(main_cpu['bare']):.0f} ms without"
    )


if __name__ == "__main__":
    main()
