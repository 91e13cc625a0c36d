"""Languages of works: the code (BCP 47, used in lang="") and the language's own name."""

LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("bg", "Български"),
    ("ca", "Català"),
    ("cs", "Čeština"),
    ("da", "Dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("es", "Español"),
    ("fa", "فارسی"),
    ("fi", "Suomi"),
    ("fr", "Français"),
    ("he", "עברית"),
    ("hi", "हिन्दी"),
    ("hu", "Magyar"),
    ("id", "Bahasa Indonesia"),
    ("it", "Italiano"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("nl", "Nederlands"),
    ("no", "Norsk"),
    ("pl", "Polski"),
    ("pt-BR", "Português brasileiro"),
    ("pt-PT", "Português europeu"),
    ("ro", "Română"),
    ("ru", "Русский"),
    ("sv", "Svenska"),
    ("th", "ไทย"),
    ("tl", "Tagalog"),
    ("tr", "Türkçe"),
    ("uk", "Українська"),
    ("vi", "Tiếng Việt"),
    ("zh", "中文"),
]
LANGUAGE_NAMES = dict(LANGUAGES)


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


# English names, for sources that name a language in English ("Spanish" for "Español").
_ENGLISH_NAMES = {
    "english": "en",
    "arabic": "ar",
    "bulgarian": "bg",
    "catalan": "ca",
    "czech": "cs",
    "danish": "da",
    "german": "de",
    "greek": "el",
    "spanish": "es",
    "persian": "fa",
    "finnish": "fi",
    "french": "fr",
    "hebrew": "he",
    "hindi": "hi",
    "hungarian": "hu",
    "indonesian": "id",
    "italian": "it",
    "japanese": "ja",
    "korean": "ko",
    "dutch": "nl",
    "norwegian": "no",
    "polish": "pl",
    "portuguese": "pt-BR",
    "romanian": "ro",
    "russian": "ru",
    "swedish": "sv",
    "thai": "th",
    "tagalog": "tl",
    "filipino": "tl",
    "turkish": "tr",
    "ukrainian": "uk",
    "vietnamese": "vi",
    "chinese": "zh",
}


def language_code(value: str) -> str | None:
    """The code of the language `value` names, or None: a code ("es", "pt-br"), the
    language's own name as our pages and AO3's show it ("Español"), or its English name
    ("Spanish"). Names with a variant after a dash or a space ("中文-普通话 國語") match their
    first part."""
    text = " ".join((value or "").split()).casefold()
    if not text:
        return None
    by_code = {code.casefold(): code for code in LANGUAGE_NAMES}
    by_name = {name.casefold(): code for code, name in LANGUAGES}
    for candidate in (text, text.split("-")[0].strip(), text.split(" ")[0]):
        for table in (by_code, by_name, _ENGLISH_NAMES):
            if candidate in table:
                return table[candidate]
    return None
