import factory

from accounts.models import Role, User

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    role = Role.REP
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class AdminFactory(UserFactory):
    role = Role.ADMIN


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class RepFactory(UserFactory):
    role = Role.REP


class FinanceFactory(UserFactory):
    role = Role.FINANCE


class WarehouseFactory(UserFactory):
    role = Role.WAREHOUSE


class DealerUserFactory(UserFactory):
    role = Role.DEALER
    dealer = factory.SubFactory("dealers.tests.factories.DealerFactory")
