"""The API documentation pages load everything from the service itself."""

from __future__ import annotations

import re

import httpx
import pytest


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_use_only_local_assets(base_url: str, page: str) -> None:
    with httpx.Client(base_url=base_url, timeout=30) as anonymous:
        html = anonymous.get(page)
        assert html.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        scripts = [a for a in assets if a.endswith(".js")]
        assert scripts
        assert all(asset.startswith("/") for asset in assets), assets
        for asset in assets:
            answer = anonymous.get(asset)
            assert answer.status_code == 200, asset
            assert len(answer.content) > 1000, asset
        assert "/openapi.json" in html.text
