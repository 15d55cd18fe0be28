import factory

from regions.models import Region, RegionKind


class RegionFactory(factory.django.DjangoModelFactory):
    """Regions through regions.services, so their paths are what the app writes."""

    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    kind = RegionKind.OTHER
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from regions.services import region_create

        return region_create(**kwargs)
