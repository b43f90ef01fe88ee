"""Demo data for a newcomer's `make run`: the operations, finance and main seller logins,
and the living demo around them (``demo.build``): sellers in every onboarding state, both
settlement modes, shipments across lanes and statuses, statements paid and overdue, refused
orders of every cause. Built once; a second run changes nothing but the demo passwords."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import User
from accounts.services import email_address_verify, seller_register
from demo.build import DemoStoryBroken, demo_build, demo_emails, demo_exists, demo_logins

DEMO_PASSWORD_DEFAULT = "jingluo-demo-2026"  # noqa: S105 - a documented demo login
# The demo's stories send no e-mail (health closures, watch warnings, customs alerts).
QUIET_MAIL = "django.core.mail.backends.locmem.EmailBackend"


class Command(BaseCommand):
    help = "Create the demo data once (or refresh the demo passwords) and print the logins."

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

    def handle(self, *args, password: str, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo only runs with DEBUG on; pass --force to insist.")
        # One hash for every demo login: PBKDF2 costs about a second each.
        password_hash = make_password(password)
        with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
            ops = self._staff("ops@jingluo.local", password_hash, group="Operations")
            finance = self._staff("finance@jingluo.local", password_hash, group="Finance")
            owner = self._seller_owner(
                "seller@jingluo.local", password_hash, "深圳市示例跨境电商有限公司"
            )
            built = demo_exists()
            if built:
                User.objects.filter(email__in=demo_emails()).update(password=password_hash)
            else:
                try:
                    demo_build(
                        ops=ops, finance=finance, main_owner=owner, password_hash=password_hash
                    )
                except DemoStoryBroken as broken:
                    raise CommandError(f"The demo could not be built: {broken}") from broken
        self.stdout.write(f"Demo logins (password for all: {password})")
        self.stdout.write(f"  operations  {ops.email:<26} admin: /{settings.ADMIN_URL}")
        self.stdout.write(f"  finance     {finance.email:<26} admin: /{settings.ADMIN_URL}")
        self.stdout.write(f"  seller      {owner.email:<26} portal: /dashboard/")
        self.stdout.write("Demo sellers (portal: /dashboard/):")
        for email, company, state in demo_logins():
            self.stdout.write(f"  {email:<26} {company}: {state}")
        if built:
            self.stdout.write("The demo data was there already: only the passwords were reset.")

    def _staff(self, email: str, password_hash: str, *, group: str) -> User:
        user, _ = User.objects.get_or_create(email=email, defaults={"is_staff": True})
        user.is_staff = True
        user.is_active = True
        user.password = password_hash
        user.save(update_fields=["is_staff", "is_active", "password"])
        user.groups.add(Group.objects.get(name=group))
        email_address_verify(user=user)  # allauth: a demo address receives no mail
        return user

    def _seller_owner(self, email: str, password_hash: str, company_name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = seller_register(email=email, password=None, company_name=company_name)
        user.password = password_hash
        user.save(update_fields=["password"])
        return user
