import re
import string

from field_app.i18n import MESSAGES, Translator, language_from_locale


def test_every_string_has_english_and_japanese_with_the_same_placeholders():
    fields = string.Formatter()
    for key, (en, ja) in MESSAGES.items():
        assert en.strip() and ja.strip(), key
        names = lambda s: {f for _, f, _, _ in fields.parse(s) if f}  # noqa: E731
        assert names(en) == names(ja), key


def test_japanese_strings_are_japanese():
    kana_or_kanji = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    same_by_design = {"app.title", "detail.whatsapp", "action.invalid"}
    for key, (_, ja) in MESSAGES.items():
        if key not in same_by_design and not key.startswith("lang.switch"):
            assert kana_or_kanji.search(ja), key


def test_translator_formats_and_falls_back_to_the_key():
    assert Translator("ja")("sync.waiting", n=3) == "送信待ち 3 件"
    assert Translator("en")("no.such.key") == "no.such.key"


def test_language_from_device_locale():
    assert language_from_locale("ja_JP.UTF-8") == "ja"
    assert language_from_locale("ja-JP") == "ja"
    assert language_from_locale("en_GB") == "en"
    assert language_from_locale(None) == "en"
