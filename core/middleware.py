from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, Chinese first.

    The language is the one the user picked with the switcher (the language cookie),
    else Simplified Chinese: a browser's Accept-Language does not override it, so every
    seller lands on the Chinese portal and chooses English deliberately.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/"):
            # A program has no switcher: the API answers in the language its client asks
            # for (Accept-Language: en or zh-Hans), Chinese when it asks for none.
            from django.utils.translation.trans_real import parse_accept_lang_header

            asked = [
                code
                for code, _q in parse_accept_lang_header(
                    request.META.get("HTTP_ACCEPT_LANGUAGE", "")
                )
            ]
            language = next(
                (code for code in asked if code != "*" and translation.check_for_language(code)),
                None,
            )
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(language)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
