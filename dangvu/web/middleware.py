"""Language: Vietnamese unless the user chose another language (cookie set by /i18n/setlang/).

Django's LocaleMiddleware would follow the browser's Accept-Language, so a Vietnamese office on an English
browser would get English; the brief wants Vietnamese by default, with English available on request."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
