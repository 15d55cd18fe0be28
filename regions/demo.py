"""Demo territory: China → two provinces → cities → counties/districts."""

from common.demo import DemoWorld
from regions.models import Region, RegionKind
from regions.services import region_create

TREE = {
    "浙江省": {"杭州市": ["西湖区", "余杭区", "萧山区"], "宁波市": ["海曙区", "鄞州区"], "温州市": ["鹿城区", "瑞安市"]},
    "江苏省": {"南京市": ["玄武区", "江宁区"], "苏州市": ["姑苏区", "昆山市"], "无锡市": ["梁溪区", "江阴市"]},
}


def _node(name: str, kind: str, parent: Region | None) -> Region:
    region = Region.objects.filter(name=name, parent=parent).first()
    if region is None:
        region = region_create(name=name, kind=kind, parent=parent)
    return region


def seed(world: DemoWorld) -> None:
    china = world.regions["中国"] = _node("中国", RegionKind.COUNTRY, None)
    for province_name, cities in TREE.items():
        province = world.regions[province_name] = _node(province_name, RegionKind.PROVINCE, china)
        for city_name, counties in cities.items():
            city = world.regions[city_name] = _node(city_name, RegionKind.CITY, province)
            for county_name in counties:
                world.regions[county_name] = _node(county_name, RegionKind.COUNTY, city)
