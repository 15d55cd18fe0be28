import factory

from regions.models import Region, RegionKind


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    kind = RegionKind.OTHER
    parent = None
