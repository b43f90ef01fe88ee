from django.conf import settings


def portal(request) -> dict:
    """What every page's navigation needs."""
    return {"ADMIN_URL": f"/{settings.ADMIN_URL}"}
