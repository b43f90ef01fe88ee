"""System checks of the shipments app's settings (``manage.py check``, and at every start)."""

from django.conf import settings
from django.core.checks import Warning, register

from .services.tracking import WebhookSecretInvalid, carrier_webhook_key


@register()
def carrier_webhook_secret_check(app_configs, **kwargs) -> list[Warning]:
    try:
        carrier_webhook_key(settings.CARRIER_WEBHOOK_SECRET)
    except WebhookSecretInvalid:
        return [
            Warning(
                "CARRIER_WEBHOOK_SECRET is not a Standard Webhooks secret: every carrier event "
                "is refused.",
                hint="Set it to whsec_ followed by the base64 of 24 to 64 random bytes, e.g. "
                'python -c "import base64, secrets; '
                "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\"",
                id="shipments.W001",
            )
        ]
    return []
