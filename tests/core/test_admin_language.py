"""Issue 13, item 11: staff switch the operations console's language, and it stays."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db
ADMIN = f"/{settings.ADMIN_URL}"


def test_staff_switch_the_admin_to_english_and_back(client, ops_user):
    client.force_login(ops_user)
    chinese = client.get(ADMIN).content.decode()
    assert 'id="admin-language"' in chinese
    assert '<button type="submit" name="language" value="en"' in chinese
    assert "站点管理" in chinese or "运营后台" in chinese

    switched = client.post(
        reverse("set_language"), {"language": "en", "next": f"{ADMIN}stores/store/"}
    )
    english = client.get(f"{ADMIN}stores/store/").content.decode()

    assert switched.status_code == 302 and switched["Location"] == f"{ADMIN}stores/store/"
    assert '<html lang="en"' in english
    assert "Stores" in english

    client.post(reverse("set_language"), {"language": "zh-hans", "next": ADMIN})
    assert '<html lang="zh-hans"' in client.get(ADMIN).content.decode()
