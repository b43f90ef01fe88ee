from .models import User


def email_is_registered(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def seller_users(*, seller):
    return User.objects.filter(seller=seller).order_by("seller_role", "email")
