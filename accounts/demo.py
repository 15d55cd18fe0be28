"""Demo staff: HQ admin, managers, reps, finance, warehouse (dealer users come with the dealers)."""

from accounts.models import Role, User
from common.demo import DEMO_PASSWORD, DemoWorld

STAFF = [
    # username, role, first name, last name, regions, language
    ("admin", Role.ADMIN, "Hui", "Zhou", [], ""),
    ("manager_zj", Role.MANAGER, "Min", "Chen", ["浙江省"], ""),
    ("manager_js", Role.MANAGER, "Jun", "Xu", ["江苏省"], "zh-hans"),
    ("manager_hz", Role.MANAGER, "Lei", "Sun", ["杭州市"], ""),
    ("rep_zhang", Role.REP, "Wei", "Zhang", [], ""),
    ("rep_li", Role.REP, "Na", "Li", [], ""),
    ("rep_wang", Role.REP, "Qiang", "Wang", [], "zh-hans"),
    ("rep_zhao", Role.REP, "Fang", "Zhao", [], ""),
    ("finance", Role.FINANCE, "Yan", "Liu", [], ""),
    ("warehouse", Role.WAREHOUSE, "Gang", "Huang", [], ""),
]


def demo_user(world: DemoWorld, username: str, role: str, **fields) -> User:
    """Find or create a demo user with the demo password (idempotent)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, email=f"{username}@example.com", **fields)
        user.set_password(DEMO_PASSWORD)
        user.save()
    world.users[username] = user
    return user


def seed(world: DemoWorld) -> None:
    for username, role, first, last, region_names, language in STAFF:
        user = demo_user(world, username, role, first_name=first, last_name=last, language=language)
        if role == Role.ADMIN and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        if region_names:
            user.regions.set([world.regions[name] for name in region_names])
        note = ", ".join(region_names)
        world.add_login(username, role, note)
