"""Domain errors: a business rule refused the change. Messages are translatable (Vietnamese in the UI)."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """Raised by domain actions; forms show it, the API returns it as 422, nothing was written."""
