"""Static assets served by the app: our CSS and scripts, and plotly.js from
the plotly package (no CDN: every byte a page loads comes from this host)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Response
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
CACHE = {"Cache-Control": "public, max-age=86400"}


def plotly_js() -> bytes:
    """The minified plotly.js bundled inside the plotly Python package."""
    return resources.files("plotly").joinpath("package_data/plotly.min.js").read_bytes()


def install_assets(app: FastAPI) -> None:
    """Mount /ui/static (ours) and /ui/static/plotly.min.js (the package's)."""
    script = plotly_js()

    @app.get("/ui/static/plotly.min.js", include_in_schema=False)
    def plotly_script() -> Response:
        return Response(script, media_type="text/javascript", headers=CACHE)

    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")
