"""One register in Polish: the formal "Państwo" the utility writes its letters in, never the informal "ty"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template
from flask_babel import force_locale

from gateway.db.models import Account

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "gateway" / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
WORD = re.compile(r"\w+")

# "ty" and its possessive: never right when the portal speaks to a customer.
PRONOUNS = {"ty", "tobie", "ciebie", "tobą", "cię", "ci", "twój", "twoja", "twoje", "twojego", "twojej", "twojemu",
            "twoim", "twoją", "twoich", "twoimi", "twoi"}
# Second person singular of the verbs a portal uses, present and future: "masz", "możesz", "wyślesz".
SECOND_PERSON = {"masz", "możesz", "chcesz", "musisz", "jesteś", "wiesz", "znajdziesz", "otrzymasz", "dostaniesz",
                 "wyślesz", "przeczytasz", "zobaczysz", "skontaktujesz", "podasz", "klikniesz", "zapłacisz", "będziesz"}
# Past tense of the second person singular: "zalogowałeś", "wysłałaś".
SECOND_PERSON_PAST = re.compile(r"\w+ł[ae]ś$")
# Imperatives of the second person singular: in a sentence they address the customer as "ty".
IMPERATIVES = {"podaj", "wpisz", "wybierz", "kliknij", "sprawdź", "potwierdź", "napisz", "zaloguj", "wyloguj", "wróć",
               "spróbuj", "zwróć", "ustaw", "zmień", "wyślij", "pobierz", "otwórz", "zapisz", "dodaj", "poproś",
               "pokaż", "filtruj", "wyczyść", "włącz", "wyłącz", "zgłoś", "przejdź", "powtórz", "skontaktuj",
               "zadzwoń", "sortuj", "załącz", "usuń", "popraw", "wycofaj", "zaakceptuj", "przeczytaj", "odśwież",
               "zapamiętaj", "poczekaj", "odczekaj", "zignoruj", "uzupełnij", "zajrzyj", "pamiętaj"}
# The exceptions, each a whole text: button and link labels. Polish interfaces label an action with the imperative
# (gov.pl's design system does: "Zaloguj się", "Pobierz"); it is the customer's command to the portal, not the
# portal addressing the customer. In a sentence the same verb is a slip ("Podaj wskazanie" → "Prosimy podać").
ACTION_LABELS = {
    "Zaloguj się", "Wyloguj się", "Przejdź do treści", "Przejdź do strony głównej", "Wyślij link",
    "Poproś o nowy link", "Zapisz nowe hasło", "Otwórz skan", "Pobierz skan", "Pobierz PDF", "Pobierz",
    "Pobierz fakturę %(number)s w formacie PDF", "Pobierz CSV", "Pobierz całą historię (CSV)", "Pokaż",
    "Pokaż wszystkie", "Filtruj", "Wyczyść filtry", "Wyślij zgłoszenie", "Wyślij odczyt", "Włącz e-fakturę",
    "Wyłącz e-fakturę", "Wyślij ponownie", "Wycofaj", "Popraw wartość", "Zapisz poprawkę",
    "Zapisz wybór powiadomień", "Przejdź do płatności", "Spróbuj ponownie", "Pobierz XML (KSeF)",
}


def informal_words(text: str, allow_imperative: bool = False) -> list[str]:
    """The words of a Polish text that speak to the reader as "ty"."""
    found = []
    for word in WORD.findall(text.lower()):
        imperative = word in IMPERATIVES and not allow_imperative
        if word in PRONOUNS or word in SECOND_PERSON or SECOND_PERSON_PAST.match(word) or imperative:
            found.append(word)
    return found


@pytest.mark.parametrize(("text", "expected"), [
    ("Twoje dane", ["twoje"]),
    ("Podaj wskazanie w m³.", ["podaj"]),
    ("Masz nadpłatę w wysokości 10,00 zł.", ["masz"]),
    ("Jeśli skontaktujesz się z Biurem, podaj ten numer.", ["skontaktujesz", "podaj"]),
    ("Czy zalogowałeś się wczoraj? Wysłane przez Ciebie odczyty.", ["zalogowałeś", "ciebie"]),
    ("Login oraz hasło jednorazowe otrzymają Państwo na adres e-mail.", []),
    ("Prosimy podać wskazanie; mają Państwo nadpłatę.", []),
    ("Zapłacone faktury, zużycie wody, ciśnienie.", []),
])
def test_the_word_list_tells_informal_from_formal(text, expected):
    assert informal_words(text) == expected


def test_a_button_label_may_be_an_imperative_but_never_a_pronoun():
    assert informal_words("Pobierz PDF", allow_imperative=True) == []
    assert informal_words("Pobierz swoje dane", allow_imperative=True) == []
    assert informal_words("Pobierz twoje dane", allow_imperative=True) == ["twoje"]


def _polish_texts() -> list[str]:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="pl")
    texts: list[str] = []
    for message in catalogue:
        if message.id:
            texts.extend(message.string if isinstance(message.string, tuple) else [str(message.string)])
    return texts


def test_the_polish_catalogue_speaks_formally():
    slips = {text: words for text in _polish_texts()
             if (words := informal_words(text, allow_imperative=text in ACTION_LABELS))}
    assert not slips, f"use the formal register (Państwo, prosimy …): {slips}"


def test_every_allowed_label_is_still_in_the_catalogue():
    """An exception nobody uses any more would quietly allow the same words elsewhere."""
    assert ACTION_LABELS <= set(_polish_texts())


@pytest.mark.parametrize("template", ["mail/account_created.txt", "mail/one_time_password.txt",
                                      "mail/password_reset.txt"])
def test_the_mails_speak_formally(app, template):
    account = Account(login="kowalski", customer_id="K-1001", email="jan.kowalski@example.com")
    with app.test_request_context(), force_locale("pl"):
        text = render_template(template, account=account, password="Start-IBOK-2026", days=14,
                               link="http://portal.test/reset/abc", minutes=30)
    assert "Dzień dobry" in text
    assert informal_words(text) == []
