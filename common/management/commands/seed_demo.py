from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from common.demo import DEMO_PASSWORD, SEEDERS, DemoWorld


class Command(BaseCommand):
    help = "Fill the database with a believable demo world (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, **options):
        world = DemoWorld()
        for module_name in SEEDERS:
            with transaction.atomic():
                import_module(module_name).seed(world)
            self.stdout.write(f"  seeded {module_name.removesuffix('.demo')}")
        if not options["quiet_logins"]:
            self.print_logins(world)

    def print_logins(self, world: DemoWorld) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        width = max(len(login.username) for login in world.logins)
        for login in world.logins:
            note = f"  {login.note}" if login.note else ""
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role:<10}{note}")
