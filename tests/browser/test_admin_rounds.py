"""The reporting rounds' list reads at a laptop's width: at 1280 px nothing scrolls sideways and
no round's name is squeezed onto more than two lines."""

import pytest
from django.test import Client

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_round_list_fits_a_laptop_screen(site, page, django_user_model):
    secretary = django_user_model.objects.create_superuser("fit", "fit@example.org", "a-long-test-password")
    staff = Client()
    staff.force_login(secretary)
    page.context.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": site}])
    page.goto(site + "/admin/goals/reportinground/")
    screenshot(page, "admin-round-list")
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport
    lines = page.evaluate(
        "Array.from(document.querySelectorAll('#result_list td.field-name a, #result_list th.field-name a'))"
        ".map(a => a.getClientRects().length)"
    )
    assert lines and max(lines) <= 2, lines
    assert page.locator("#result_list a", has_text="Missing").count() == len(lines)
