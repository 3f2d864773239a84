"""The annual report's page in a real browser: headless Chromium (the Debian package),
driven by Playwright, at a 390 px phone's width and printed to A4.

Under CI (``CI=true``) the test never skips: a missing browser or Playwright fails it.
Elsewhere it skips with the reason.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from renda_core.cli import cli

from .test_annual import world  # noqa: F401  (the fixture)

PHONE = 390
A4_POINTS = (595.28, 841.89)


def chromium() -> str:
    """The system Chromium, or skip (fail under CI)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path, why = None, "playwright is not installed (pip install -e '.[test]')"
    else:
        why = "no chromium on PATH (apt-get install chromium)"
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the browser test must run under CI: {why}")
        pytest.skip(why)
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        launched.close()


def html_file(report_world: dict[str, Any], tmp_path: Path, lang: str) -> Path:
    out = tmp_path / f"annual.{lang}.html"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "annual",
            "--year",
            "2023",
            "--format",
            "html",
            "--lang",
            lang,
            "--output",
            str(out),
        ],
        obj=report_world["env"],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_fits_a_phone_and_prints_on_a4(
    world: dict[str, Any],  # noqa: F811
    browser: Any,
    tmp_path: Path,
    lang: str,
) -> None:
    page = browser.new_page(viewport={"width": PHONE, "height": 844})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}")
            if m.type
            in (
                "error",
                "warning",
            )
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.goto(html_file(world, tmp_path, lang).as_uri())
    page.wait_for_load_state("load")

    assert problems == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE, f"the page scrolls sideways at {PHONE} px: {width} px wide"
    # every chart is drawn within the viewport's width
    charts = page.evaluate(
        "[...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().right)"
    )
    assert charts and max(charts) <= PHONE
    # the prose's headings are headings; the tables have captions and header cells
    assert page.locator("h2").count() >= 6
    assert page.locator("table caption").count() == 6
    assert page.locator("th[scope=row]").count() > 20

    shot = page.screenshot(full_page=False)
    assert non_blank_share(page, shot) > 0.01, "the screenshot is blank"

    pdf = page.pdf(prefer_css_page_size=True)
    sizes = {
        (float(w), float(h))
        for w, h in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    }
    assert sizes, "no page in the PDF"
    for w, h in sizes:
        assert abs(w - A4_POINTS[0]) < 1.5 and abs(h - A4_POINTS[1]) < 1.5, (w, h)
    page.close()


def non_blank_share(page: Any, png: bytes) -> float:
    """The share of the screenshot's pixels that are not the page's white, counted by
    the browser itself from the PNG (a canvas over a data URL)."""
    data = base64.b64encode(png).decode("ascii")
    return float(
        page.evaluate(
            """async (data) => {
                const img = new Image();
                img.src = "data:image/png;base64," + data;
                await img.decode();
                const canvas = document.createElement("canvas");
                canvas.width = img.width; canvas.height = img.height;
                const ctx = canvas.getContext("2d");
                ctx.drawImage(img, 0, 0);
                const px = ctx.getImageData(0, 0, img.width, img.height).data;
                let ink = 0;
                for (let i = 0; i < px.length; i += 4) {
                    if (px[i] < 240 || px[i + 1] < 240 || px[i + 2] < 240) ink++;
                }
                return ink / (px.length / 4);
            }""",
            data,
        )
    )
