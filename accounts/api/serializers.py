from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts import services
from accounts.models import ONLY_MANAGERS_HAVE_REGIONS, Role, User
from regions.models import Region

PASSWORD_REQUIRED = _("A password is required for a new user.")


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    regions = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), many=True, required=False)
    role = serializers.ChoiceField(choices=Role.choices)

    class Meta:
        model = User
        fields = [
            "id", "username", "password", "first_name", "last_name", "email", "phone",
            "role", "dealer", "regions", "language", "is_active", "date_joined",
        ]
        read_only_fields = ["date_joined"]
        # `dealer` is the model's own field (a dealer's id, optional): accounts names no dealers code.
        extra_kwargs = {"dealer": {"required": False, "allow_null": True}}

    def validate(self, attrs):
        if self.instance is None and not attrs.get("password"):
            raise serializers.ValidationError({"password": [str(PASSWORD_REQUIRED)]})
        role = attrs.get("role", getattr(self.instance, "role", None))
        if attrs.get("regions") and role != Role.MANAGER:
            raise serializers.ValidationError({"regions": [str(ONLY_MANAGERS_HAVE_REGIONS)]})
        return attrs

    def create(self, validated_data):
        return services.user_create(by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.user_update(user=instance, by=self.context["request"].user, **validated_data)


class CurrentUserSerializer(serializers.ModelSerializer):
    role = serializers.CharField(source="effective_role", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "phone", "role", "dealer", "regions", "language"]
        read_only_fields = ["username", "role", "dealer", "regions"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send as `Authorization: Token <token>`.")
    expires = serializers.DateTimeField(read_only=True, help_text="When the token stops working (sign in again).")


class LogoutRequestSerializer(serializers.Serializer):
    all = serializers.BooleanField(default=False, help_text="Revoke every token of the caller, not only this one.")


class LogoutResponseSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(read_only=True, help_text="How many tokens were revoked.")
