"""Demo questions from the demo dealer users, with answers from their reps and
managers (part of `seed_demo`). Idempotent: a question is found by (dealer, subject)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Role, User
from common.demo import DemoWorld
from notifications.models import EmailStatus, Notification
from portal import services
from portal.models import Question

# dealer user, subject, days ago, thread [(who, text)], closed by the dealer at the end
# who: "dealer", "rep" or a username
THREADS = [
    ("dealer_hz", "三季度返利什么时候结算？", 40, [
        ("dealer", "我们三季度的阶梯返利已经到 2% 那一档了吗？什么时候能抵扣货款？"),
        ("rep", "您好，三季度进货额已达到 5 万元档，返利按 2% 全额计算。财务会在季度结束后统一结算，结算后系统会通知您。"),
        ("dealer", "好的，谢谢！"),
    ], True),
    ("dealer_hz", "上批货有两箱包装破损", 2, [
        ("dealer", "昨天到的冰红茶有两箱外箱破损，里面有几瓶漏液，怎么处理？"),
    ], False),
    ("dealer_hz", "国庆档期能否增加陈列支持？", 25, [
        ("dealer", "国庆期间我们在两家超市有端架，能不能申请一些陈列费用支持？"),
        ("manager_hz", "可以，请把门店名称和端架位置照片发给业务员，我们按档期政策审批。"),
    ], False),
    ("dealer_nj", "新价格表什么时候生效？", 12, [
        ("dealer", "听说下个月调价，新价格表什么时候生效？已下的订单按哪个价格？"),
        ("manager_js", "新价格表下月 1 日生效。已提交的订单按提交时的价格执行，不受影响。"),
    ], False),
]
FRESH_DAYS = 10


def seed(world: DemoWorld) -> None:
    now = timezone.now().replace(second=0, microsecond=0)
    for username, subject, days_ago, thread, closed in THREADS:
        dealer_user = world.users.get(username) or User.objects.filter(username=username, role=Role.DEALER).first()
        if dealer_user is None or Question.objects.filter(dealer_id=dealer_user.dealer_id, subject=subject).exists():
            continue
        at = now - datetime.timedelta(days=days_ago)
        question = None
        for step, (who, text) in enumerate(thread):
            moment = at + datetime.timedelta(hours=step * 5)
            if question is None:
                question = services.question_ask(by=dealer_user, subject=subject, body=text, at=moment)
                continue
            author = _author(world, who, dealer_user)
            if author is not None:
                services.question_reply(question=question, by=author, body=text, at=moment)
        if closed and question is not None:
            services.question_close(question=question, by=dealer_user, at=at + datetime.timedelta(hours=len(thread) * 5))
        if days_ago > FRESH_DAYS and question is not None:
            # Old threads are history: their notifications are read and never emailed.
            Notification.objects.filter(key__startswith=f"question:{question.pk}:").update(
                read_at=now, email_status=EmailStatus.NONE
            )


def _author(world: DemoWorld, who: str, dealer_user: User) -> User | None:
    if who == "dealer":
        return dealer_user
    if who == "rep":
        return dealer_user.dealer.rep
    return world.users.get(who) or User.objects.filter(username=who).first()
