""" "Mitt arbete" shows the SIA guide's sections only to users who can have something there."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

GUIDE_SECTIONS = ("Dagens möten", "Beredskap vid nybesök", "Steg att göra")


def test_a_partner_user_does_not_see_the_guides_empty_sections(
    login: Callable[[str], Client],
) -> None:
    partner = login("af").get(reverse("my-work"))
    assert partner.status_code == 200
    page = partner.content.decode()
    assert "Mina uppgifter i handlingsplaner" in page
    for heading in GUIDE_SECTIONS:
        assert heading not in page

    guide = login("vagledare1").get(reverse("my-work")).content.decode()
    for heading in GUIDE_SECTIONS:
        assert heading in guide
