"""Built-in copy per language: used when a campaign has no copy for a text, or its template fails.

Templates are Jinja2 source rendered in the sandbox (see ``copy.py``). Variables:
``installments``, ``installment`` (one regular payment), ``total``, ``days``, ``months``,
``monthly``, ``apr``, ``label`` (the option's name).
"""

from __future__ import annotations

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "badge.pay_in_n": "Pay in {{ installments }} interest-free payments of <strong>{{ installment }}</strong>",
        "badge.pay_later": "Buy now, pay <strong>{{ total }}</strong> in {{ days }} days",
        "badge.financing": "From <strong>{{ monthly }}/month</strong> over {{ months }} months",
        "compact.pay_in_n": "{{ installments }} × {{ installment }}, 0% interest",
        "compact.pay_later": "Pay in {{ days }} days",
        "compact.financing": "{{ monthly }}/mo",
        "strip": "Shop now, pay later: flexible, interest-free ways to pay",
        "cta": "Learn more",
        "label.pay_in_n": "Pay in {{ installments }}",
        "label.pay_later": "Pay in {{ days }} days",
        "label.financing": "{{ months }} months",
        "summary.pay_in_n": "{{ installments }} interest-free payments of {{ installment }}",
        "summary.pay_later": "Pay {{ total }} in {{ days }} days, no interest",
        "summary.financing": "{{ months }} monthly payments of {{ monthly }}",
        "apr": "{{ apr }} APR",
        "title": "Pay your way",
        "intro": "Choose how you pay for your {{ total }} order.",
        "legal": "Credit is subject to status and affordability checks. Missed payments may affect your credit score.",
        "close": "Close",
        "choose": "Choose how to pay",
        "today": "Today",
        "greeting": "Hi {{ first_name }}!",
        "recommended": "Picked for you",
        "delivery": "Delivery to {{ place }}",
    },
    "de": {
        "badge.pay_in_n": "Bezahle in {{ installments }} zinsfreien Raten à <strong>{{ installment }}</strong>",
        "badge.pay_later": "Jetzt kaufen, <strong>{{ total }}</strong> in {{ days }} Tagen bezahlen",
        "badge.financing": "Ab <strong>{{ monthly }}/Monat</strong> über {{ months }} Monate",
        "compact.pay_in_n": "{{ installments }} × {{ installment }}, 0 % Zinsen",
        "compact.pay_later": "In {{ days }} Tagen zahlen",
        "compact.financing": "{{ monthly }}/Monat",
        "strip": "Jetzt kaufen, später bezahlen: flexibel und zinsfrei",
        "cta": "Mehr erfahren",
        "label.pay_in_n": "In {{ installments }} Raten",
        "label.pay_later": "In {{ days }} Tagen",
        "label.financing": "{{ months }} Monate",
        "summary.pay_in_n": "{{ installments }} zinsfreie Raten à {{ installment }}",
        "summary.pay_later": "{{ total }} in {{ days }} Tagen zahlen, ohne Zinsen",
        "summary.financing": "{{ months }} Monatsraten à {{ monthly }}",
        "apr": "{{ apr }} effektiver Jahreszins",
        "title": "Bezahle, wie du willst",
        "intro": "Wähle, wie du deine Bestellung über {{ total }} bezahlst.",
        "legal": "Bonität vorausgesetzt. Verspätete Zahlungen können deine Kreditwürdigkeit beeinflussen.",
        "close": "Schließen",
        "choose": "Zahlungsart wählen",
        "today": "Heute",
        "greeting": "Hallo {{ first_name }}!",
        "recommended": "Für dich ausgewählt",
        "delivery": "Lieferung nach {{ place }}",
    },
    "sv": {
        "badge.pay_in_n": "Betala i {{ installments }} räntefria delbetalningar à <strong>{{ installment }}</strong>",
        "badge.pay_later": "Köp nu, betala <strong>{{ total }}</strong> om {{ days }} dagar",
        "badge.financing": "Från <strong>{{ monthly }}/mån</strong> i {{ months }} månader",
        "compact.pay_in_n": "{{ installments }} × {{ installment }}, 0 % ränta",
        "compact.pay_later": "Betala om {{ days }} dagar",
        "compact.financing": "{{ monthly }}/mån",
        "strip": "Handla nu, betala senare: flexibelt och räntefritt",
        "cta": "Läs mer",
        "label.pay_in_n": "Dela upp i {{ installments }}",
        "label.pay_later": "Betala om {{ days }} dagar",
        "label.financing": "{{ months }} månader",
        "summary.pay_in_n": "{{ installments }} räntefria delbetalningar à {{ installment }}",
        "summary.pay_later": "Betala {{ total }} om {{ days }} dagar, utan ränta",
        "summary.financing": "{{ months }} månadsbetalningar à {{ monthly }}",
        "apr": "{{ apr }} effektiv ränta",
        "title": "Betala som du vill",
        "intro": "Välj hur du betalar din beställning på {{ total }}.",
        "legal": "Kredit beviljas efter kreditprövning. Sena betalningar kan påverka din kreditvärdighet.",
        "close": "Stäng",
        "choose": "Välj betalsätt",
        "today": "I dag",
        "greeting": "Hej {{ first_name }}!",
        "recommended": "Utvalt för dig",
        "delivery": "Leverans till {{ place }}",
    },
}


def builtin(locale: str, name: str) -> str:
    """The built-in template ``name`` for ``locale``'s language, English when there is none."""
    texts = CATALOGUE.get(locale.split("-", 1)[0], CATALOGUE["en"])
    return texts.get(name) or CATALOGUE["en"][name]
