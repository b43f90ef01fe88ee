import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, hotp_value
from django.contrib.auth.models import Group

from accounts.models import Seller, User

PASSWORD = "correct-horse-battery-9"
# Every staff user of the tests has TOTP set up with this secret (the admin requires it);
# ``totp_code()`` computes the code an authenticator app would show now.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = STAFF_TOTP_SECRET, *, offset: int = 0) -> str:
    """The authenticator app's code for ``secret`` now (``offset`` periods of 30 s away)."""
    import time

    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
    return f"{hotp_value(secret, counter):0{app_settings.TOTP_DIGITS}d}"


def _verified_address(user: User) -> None:
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    company_name = factory.Sequence(lambda n: f"测试跨境电商有限公司{n}")


class SellerUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"seller{n}@example.cn")
    seller = factory.SubFactory(SellerFactory)
    seller_role = User.SellerRole.OWNER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            _verified_address(obj)


class StaffUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@jingluo.local")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            _verified_address(obj)
            for name in extracted or []:
                obj.groups.add(Group.objects.get(name=name))

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """TOTP set up (``totp=False``: not yet, as a new staff member)."""
        if create and extracted is not False:
            TOTP.activate(obj, STAFF_TOTP_SECRET)
