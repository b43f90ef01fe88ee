import factory
from django.contrib.auth.models import Group

from accounts.models import Seller, User

PASSWORD = "correct-horse-battery-9"


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
            for name in extracted or []:
                obj.groups.add(Group.objects.get(name=name))
