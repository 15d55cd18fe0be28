import factory
from django.utils import timezone

from portal.models import Question, QuestionMessage, QuestionStatus


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with its first message from the asking dealer user (`body=` to set it)."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    asked_by = factory.SubFactory("accounts.tests.factories.DealerUserFactory")
    dealer = factory.LazyAttribute(lambda question: question.asked_by.dealer)
    subject = factory.Sequence(lambda n: f"Question {n}")
    status = QuestionStatus.OPEN
    created_at = factory.LazyFunction(timezone.now)
    last_message_at = factory.SelfAttribute("created_at")

    @factory.post_generation
    def body(self, create, extracted, **kwargs):
        if create:
            QuestionMessage.objects.create(
                question=self, author=self.asked_by, from_dealer=True, body=extracted or "When does it arrive?",
                created_at=self.created_at,
            )


class QuestionMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionMessage

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory("accounts.tests.factories.RepFactory")
    from_dealer = False
    body = "Tomorrow morning."
