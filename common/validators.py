"""Validators shared by the domain apps."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_image_file_extension
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

IMAGE_TOO_LARGE = _("The photo is too large: at most %(limit)s is allowed.")
NOT_AN_IMAGE = _("Upload a photo (JPEG, PNG, GIF or WebP); this file is not an image.")
IMAGE_TOO_MANY_PIXELS = _("The photo has too many pixels: at most %(limit)s megapixels are allowed.")


def validate_photo(upload) -> None:
    """Accept only real images (checked by Pillow, not by the name) below the size
    limit and below MAX_IMAGE_PIXELS: a small, highly compressed file can decode
    to gigabytes (a decompression bomb)."""
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(IMAGE_TOO_LARGE, code="too_large", params={"limit": filesizeformat(limit)})
    validate_image_file_extension(upload)
    from PIL import Image

    position = upload.tell() if hasattr(upload, "tell") else None
    too_many_pixels = ValidationError(IMAGE_TOO_MANY_PIXELS, code="too_many_pixels",
                                      params={"limit": settings.MAX_IMAGE_PIXELS // 1_000_000})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > settings.MAX_IMAGE_PIXELS:
                    raise too_many_pixels
                image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as error:
        raise too_many_pixels from error
    except Exception as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        if position is not None:
            upload.seek(position)
