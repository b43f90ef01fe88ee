import pytest
from django.core.management import CommandError, call_command

from accounts.models import Seller, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_the_logins(settings, capsys):
    settings.DEBUG = True

    call_command("seed_demo")
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert out.count("Demo logins (password for all: jingluo-demo-2026)") == 2
    assert User.objects.count() == 3
    assert Seller.objects.count() == 1
    ops = User.objects.get(email="ops@jingluo.local")
    finance = User.objects.get(email="finance@jingluo.local")
    owner = User.objects.get(email="seller@jingluo.local")
    assert [g.name for g in ops.groups.all()] == ["Operations"]
    assert [g.name for g in finance.groups.all()] == ["Finance"]
    assert ops.is_staff and finance.is_staff and not owner.is_staff
    assert owner.seller_role == User.SellerRole.OWNER
    assert all(u.check_password("jingluo-demo-2026") for u in (ops, finance, owner))


def test_seed_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo")

    assert not User.objects.exists()
