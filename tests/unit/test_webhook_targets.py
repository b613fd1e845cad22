"""A webhook target that is not a URL is a 422 naming `url`, never a 500
(found by schemathesis: urlsplit raises on a bad bracketed host or port)."""

from __future__ import annotations

import pytest

from domain import ValidationError
from service.webhooks.subscriptions import check_target


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://[oops/hook", "not a valid URL"),
        ("http://127.0.0.1:99999/hook", "not a valid URL"),
        ("ftp://127.0.0.1/hook", "must be an http or https URL"),
        ("http://169.254.169.254/latest", "link-local or cloud metadata"),
    ],
)
def test_a_bad_target_names_the_url(url: str, expected: str) -> None:
    with pytest.raises(ValidationError, match=expected) as refused:
        check_target(url, allow_private=True)
    assert refused.value.problems[0].field == "url"


def test_a_loopback_receiver_is_allowed_by_default() -> None:
    check_target("http://127.0.0.1:8080/hook", allow_private=True)
