"""``python manage.py api_key_create --seller ID --mode test|live [--name NAME] [--read-only]``:
make a key for a seller and print it (shown this once; only its hash is kept)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Seller
from api.models import KeyScope
from api.services import ApiKeyError, api_key_create


class Command(BaseCommand):
    help = "Create an API key for a seller and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seller", type=int, required=True, help="the seller's ID")
        parser.add_argument("--mode", choices=["test", "live"], required=True)
        parser.add_argument("--name", default="", help="what the key is for")
        parser.add_argument("--read-only", action="store_true", help="a key that cannot write")

    def handle(self, *args: Any, **options: Any) -> None:
        seller = Seller.objects.filter(pk=options["seller"]).first()
        if seller is None:
            raise CommandError(f"No seller #{options['seller']}.")
        try:
            new = api_key_create(
                seller=seller,
                name=options["name"],
                livemode=options["mode"] == "live",
                scope=KeyScope.READ if options["read_only"] else KeyScope.WRITE,
            )
        except ApiKeyError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(new.secret)
