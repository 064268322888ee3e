"""Texts kept in both languages as two plain fields: `<field>` in English (the site's default
language) and `<field>_es` in Spanish. Read them through `text_in_language`, which picks the
active language's text and falls back to the other's, saying which language it is in.

Two explicit fields rather than django-modeltranslation: three fields on three models do not
justify a library that patches models, managers, forms and admin at import time; two columns are
plain Django (migrations, `.only()`, FilterSets, serializers, the history, SQLite and PostgreSQL
alike) and every form, the admin and the API edit them as any other field.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class Text:
    text: str
    #: The language the text is in.
    language: str
    #: True when it is not the language asked for (none was written in it).
    is_fallback: bool


def field_name(field: str, language: str) -> str:
    """The field holding `field`'s text in `language`."""
    return field if language == settings.LANGUAGE_CODE else f"{field}_{language}"


def text_in_language(obj, field: str, language: str | None = None) -> Text:
    """`obj`'s `field` in `language` (the active one by default), or in another language when it
    has none in that one; an empty text when it has none at all."""
    languages = [code for code, _name in settings.LANGUAGES]
    wanted = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if wanted not in languages:
        wanted = settings.LANGUAGE_CODE
    for code in [wanted, *[code for code in languages if code != wanted]]:
        text = getattr(obj, field_name(field, code), "") or ""
        if text.strip():
            return Text(text=text, language=code, is_fallback=code != wanted)
    return Text(text="", language=wanted, is_fallback=False)
