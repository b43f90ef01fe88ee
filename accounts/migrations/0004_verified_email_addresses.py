"""Users from before django-allauth keep working without a reset: each gets its address as
allauth's ``EmailAddress``, verified and primary (they signed up, or were invited, under the
old flow, which sent mail to that address). New users verify theirs through allauth."""

from django.db import migrations


def addresses_for_existing_users(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=user_id, email=email, verified=True, primary=True)
            for user_id, email in User.objects.values_list("id", "email").iterator()
            if user_id not in have
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_seller_alert_phone"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(addresses_for_existing_users, migrations.RunPython.noop),
    ]
