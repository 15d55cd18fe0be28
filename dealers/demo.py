"""Demo dealers and their portal users."""

from decimal import Decimal

from accounts.demo import demo_user
from accounts.models import Role
from common.demo import DemoWorld
from dealers.models import Dealer, DealerStatus, DealerTier

DEALERS = [
    # code, name, region, tier, status, rep, credit limit
    ("ZJ-001", "杭州百顺商贸有限公司", "杭州市", DealerTier.CITY, DealerStatus.ACTIVE, "rep_zhang", 300000),
    ("ZJ-002", "余杭鑫达食品经营部", "余杭区", DealerTier.COUNTY, DealerStatus.ACTIVE, "rep_zhang", 80000),
    ("ZJ-003", "萧山永盛副食批发", "萧山区", DealerTier.COUNTY, DealerStatus.NEGOTIATING, "rep_zhang", 0),
    ("ZJ-004", "浙江恒通供应链有限公司", "浙江省", DealerTier.PROVINCE, DealerStatus.ACTIVE, "rep_li", 1000000),
    ("ZJ-005", "宁波海曙联华商行", "海曙区", DealerTier.COUNTY, DealerStatus.ACTIVE, "rep_li", 60000),
    ("ZJ-006", "温州鹿城万家配送", "鹿城区", DealerTier.COUNTY, DealerStatus.PROSPECT, "rep_li", 0),
    ("JS-001", "南京金陵糖酒有限公司", "南京市", DealerTier.CITY, DealerStatus.ACTIVE, "rep_wang", 400000),
    ("JS-002", "江宁顺丰副食", "江宁区", DealerTier.COUNTY, DealerStatus.SUSPENDED, "rep_wang", 50000),
    ("JS-003", "苏州姑苏汇源商贸", "姑苏区", DealerTier.COUNTY, DealerStatus.ACTIVE, "rep_zhao", 90000),
    ("JS-004", "无锡梁溪惠民批发部", "梁溪区", DealerTier.COUNTY, DealerStatus.ACTIVE, "rep_zhao", 70000),
]

DEALER_USERS = [("dealer_hz", "ZJ-001"), ("dealer_nj", "JS-001")]


def seed(world: DemoWorld) -> None:
    for code, name, region, tier, status, rep, credit in DEALERS:
        dealer, _created = Dealer.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "region": world.regions[region], "tier": tier, "status": status,
                "rep": world.users[rep], "credit_limit": Decimal(credit),
            },
        )
        world.dealers[code] = dealer
    for username, code in DEALER_USERS:
        demo_user(world, username, Role.DEALER, dealer=world.dealers[code])
        world.add_login(username, Role.DEALER, world.dealers[code].name)
