"""Demo data for a newcomer's `make run`: an operations user, a finance user and a seller
owner. Safe to run again: it finds what exists and resets only the demo passwords."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.services import seller_register

DEMO_PASSWORD_DEFAULT = "jingluo-demo-2026"  # noqa: S105 - a documented demo login


class Command(BaseCommand):
    help = "Create (or refresh) the demo users and print their logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEMO_PASSWORD_DEFAULT,
            help="Password for every demo user (default: %(default)s).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (never do this on a real production database).",
        )

    @transaction.atomic
    def handle(self, *args, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo only runs with DEBUG on; pass --force to insist.")
        ops = self._staff("ops@jingluo.local", password, group="Operations")
        finance = self._staff("finance@jingluo.local", password, group="Finance")
        owner = self._seller_owner("seller@jingluo.local", password, "深圳市示例跨境电商有限公司")
        self.stdout.write(f"Demo logins (password for all: {password})")
        self.stdout.write(f"  operations  {ops.email:<24} admin: /{settings.ADMIN_URL}")
        self.stdout.write(f"  finance     {finance.email:<24} admin: /{settings.ADMIN_URL}")
        self.stdout.write(f"  seller      {owner.email:<24} portal: /dashboard/")

    def _staff(self, email: str, password: str, *, group: str) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"is_staff": True})
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save(update_fields=["is_staff", "is_active", "password"])
        user.groups.add(Group.objects.get(name=group))
        return user

    def _seller_owner(self, email: str, password: str, company_name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            return seller_register(email=email, password=password, company_name=company_name)
        user.set_password(password)
        user.save(update_fields=["password"])
        return user
