"""Validators shared by the domain apps."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_image_file_extension
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

IMAGE_TOO_LARGE = _("The photo is too large: at most %(limit)s is allowed.")
NOT_AN_IMAGE = _("Upload a photo (JPEG, PNG, GIF or WebP); this file is not an image.")


def validate_photo(upload) -> None:
    """Accept only real images (checked by Pillow, not by the name) below the size limit."""
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(IMAGE_TOO_LARGE, code="too_large", params={"limit": filesizeformat(limit)})
    validate_image_file_extension(upload)
    from PIL import Image

    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        if position is not None:
            upload.seek(position)
