from rest_framework import serializers

from portal.models import BODY_MAX, SUBJECT_MAX, Question, QuestionMessage


class QuestionMessageSerializer(serializers.ModelSerializer):
    author_name = serializers.CharField(source="author.__str__", read_only=True)

    class Meta:
        model = QuestionMessage
        fields = ["id", "author", "author_name", "from_dealer", "body", "created_at"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    dealer_name = serializers.CharField(source="dealer.name", read_only=True)
    message_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Question
        fields = [
            "id", "dealer", "dealer_name", "subject", "status", "asked_by", "created_at", "last_message_at",
            "message_count", "closed_at", "closed_by",
        ]
        read_only_fields = fields


class QuestionDetailSerializer(QuestionSerializer):
    messages = QuestionMessageSerializer(many=True, read_only=True)
    message_count = serializers.SerializerMethodField()

    class Meta(QuestionSerializer.Meta):
        fields = [*QuestionSerializer.Meta.fields, "messages"]
        read_only_fields = fields

    def get_message_count(self, question: Question) -> int:
        return len(question.messages.all())


class QuestionCreateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=SUBJECT_MAX)
    body = serializers.CharField(max_length=BODY_MAX)


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX)
