"""Every page carries a Content-Security-Policy that lets no inline or foreign script run.

The browser tests (tests/browser/conftest.py) check that nothing our pages need is refused by it:
charts draw, forms work, with no refusal on the console.
"""

import pytest
from django.urls import reverse


def directives(response):
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "funder"])
def test_scripts_come_only_from_our_own_files(world, client_for, role):
    client = client_for(world.users[role])
    url = reverse("login") if role == "anonymous" else reverse("dashboard", args=["ready"])
    policy = directives(client.get(url))
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no CDN
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_no_page_holds_an_inline_script_that_the_policy_would_block(world, client_for):
    # The charts' data travel in JSON blocks (type="application/json"), which never run.
    client = client_for(world.coordinator)
    for name in ("dashboard", "outcome_report", "initiative_overview", "review_queue"):
        page = client.get(reverse(name, args=["ready"])).content.decode()
        for tag in page.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, f"{name}: <script{opening}>"
        assert " onclick=" not in page and " onload=" not in page and "javascript:" not in page
