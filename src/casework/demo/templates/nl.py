"""Dutch wording: fewer paraphrases than English, same intents and topics."""

from __future__ import annotations

from casework.demo.templates.pack import AgentWording, CustomerWording, LanguagePack

CUSTOMER = CustomerWording(
    core={
        "order_status": {
            "where_is_order": [
                "Waar blijft mijn bestelling {order}? Ik heb {days} dagen geleden besteld.",
                "Ik heb mijn bestelling van {order_date} nog steeds niet ontvangen. Kunnen jullie "
                "dat nakijken?",
            ],
            "carrier_delay": [
                "De track & trace van {carrier} ({tracking}) staat al dagen stil. Waar is mijn "
                "pakket?",
            ],
        },
        "delivery_problem": {
            "damaged_item": ["Het artikel {product} is kapot aangekomen. Bestelling {order}."],
        },
        "return_request": {
            "*": [
                "Ik wil het artikel {product} uit bestelling {order} retourneren. Hoe werkt dat?",
            ]
        },
        "refund_request": {
            "*": [
                "Ik heb mijn retour twee weken geleden gestuurd en nog geen terugbetaling gehad.",
                "Graag de {amount} terugstorten op mijn rekening: {iban}.",
            ]
        },
        "cancel_order": {"*": ["Wilt u mijn bestelling {order} annuleren? Ik heb me vergist."]},
        "change_address": {
            "*": [
                "Ik heb een verkeerd adres ingevuld. Het juiste adres is: {new_address}.",
            ]
        },
        "shipping_cost": {"*": ["Wat kost verzending naar {country_name}?"]},
        "billing_question": {
            "invoice_layout_vat": [
                "Op de nieuwe factuur {invoice} staat de btw niet meer apart. Kunt u een "
                "correcte factuur sturen?",
            ],
        },
        "payment_failed": {
            "charged_twice": ["Er is twee keer {amount} afgeschreven voor bestelling {order}!"],
        },
        "discount_code": {"*": ["De kortingscode {code} werkt niet bij het afrekenen."]},
        "gift_card": {
            "split_payment": ["Kan ik een deel met een cadeaukaart betalen en de rest met iDEAL?"],
        },
        "account_access": {
            "password_reset": [
                "Ik kan niet inloggen en de mail om mijn wachtwoord te resetten "
                "komt niet aan. Mijn e-mail: {email}."
            ],
        },
        "account_delete": {
            "delete_account": ["Verwijder alstublieft mijn account en al mijn gegevens."],
        },
        "technical_issue": {"*": ["De app crasht steeds op mijn {device}."]},
        "product_question": {"*": ["Wanneer is het artikel {product} weer op voorraad?"]},
        "complaint": {"service": ["Ik ben erg teleurgesteld in jullie klantenservice."]},
    },
    subjects={"*": ["Mijn bestelling", "Bestelling {order}", "Vraag", "Probleem", "Dringend"]},
    greetings=["Hallo,", "Goedendag,", "Beste Nordhaven,"],
    closings=["Met vriendelijke groet,", "Groetjes,", "Alvast bedankt,"],
    frustration=[
        "Dit is al de derde keer dat ik mail!",
        "Dit is onacceptabel.",
        "Ik wacht al dagen op antwoord.",
    ],
    churn=["Ik bestel nooit meer bij jullie.", "Ik zeg mijn account op."],
    negative=["Best teleurstellend.", "Ik baal hier behoorlijk van."],
    positive=["Verder ben ik heel tevreden!", "Alvast hartelijk dank!"],
    human=["Ik wil een echt mens spreken.", "Bel me alstublieft terug."],
    legal=["Anders schakel ik mijn advocaat in.", "Ik stap naar de Consumentenbond."],
    repeat=["Ik heb hier al eerder over gemaild (ticket #{previous_ticket})."],
    contact=["U kunt me bereiken op {phone}.", "Mijn telefoonnummer: {phone}."],
    impatient=["Hallo?? Al nieuws?", "Ik wacht nog steeds op antwoord."],
    thanks=["Hartelijk dank!", "Top, bedankt voor de snelle hulp."],
    provide={
        "order_number": ["Het bestelnummer is {order}.", "{order}"],
        "photos": ["De foto's zitten in de bijlage."],
        "iban": ["Mijn IBAN: {iban}, t.n.v. {name}."],
        "address": ["Het volledige adres is: {new_address}."],
        "email": ["Het account staat op {email}."],
        "device": ["Ik gebruik een {device}."],
        "details": ["Het is precies zoals ik beschreef."],
        "payment": ["Ik heb met iDEAL betaald, geen foutmelding."],
    },
    reopen={"*": ["Helaas is het probleem nog steeds niet opgelost."]},
    quote_header="Op {date} schreef Klantenservice Nordhaven:",
    voicemail=["Transcriptie voicemail: Hallo, met {name}. {core} Bel me terug op {phone}."],
)

AGENT = AgentWording(
    greetings=["Beste {first_name},", "Hallo {first_name},"],
    chat_greetings=["Hallo {first_name}, je spreekt met {agent_first} van Nordhaven."],
    closings=["Met vriendelijke groet,\n{agent_name}\nKlantenservice Nordhaven"],
    apologies=["Excuses voor het ongemak."],
    ask_info={
        "order_number": ["Kunt u mij het bestelnummer sturen (begint met ORD-)?"],
        "photos": ["Kunt u ons een paar foto's van het artikel en de doos sturen?"],
        "iban": ["Voor de overboeking heb ik uw IBAN en de naam van de rekeninghouder nodig."],
        "*": ["Kunt u mij wat meer details geven?"],
    },
    resolve={
        "shipping_cost": [
            "Standaardverzending is gratis vanaf 49 EUR, daaronder kost het 4,95 EUR. Express "
            "kost 9,95 EUR."
        ],
        "product_question": [
            "Bedankt voor uw vraag over het artikel {product}: het is over ongeveer twee weken "
            "weer op voorraad en heeft 2 jaar garantie."
        ],
        "discount_code": ["Ik heb de korting alsnog toegepast en het verschil teruggestort."],
        "technical_issue": [
            "Bedankt voor de melding! Ons technische team heeft de fout verholpen. Leeg de cache "
            "van uw browser en probeer het opnieuw."
        ],
        "delivery_problem": [
            "Wat vervelend. Ik heb kosteloos een vervangend artikel gestuurd; het nieuwe "
            "trackingnummer volgt per e-mail."
        ],
        "account_access": [
            "Ik heb u een nieuwe link gestuurd om uw wachtwoord te resetten, 60 minuten geldig."
        ],
        "account_delete": ["Uw verzoek is geregistreerd; we handelen het binnen 30 dagen af."],
        "change_address": ["Ik heb het afleveradres van bestelling {order} aangepast."],
        "complaint": [
            "Het spijt me echt. Ik heb uw klacht doorgegeven aan de teamleider en een tegoedbon "
            "van 15 EUR aan uw account toegevoegd."
        ],
        "gift_card": [
            "Op dit moment kan er één cadeaukaart per bestelling worden gebruikt; de rest betaalt "
            "u met iDEAL of creditcard."
        ],
        "payment_failed.charged_twice": [
            "Ik heb de dubbele afschrijving van {amount} vandaag teruggestort."
        ],
        "billing_question.invoice_layout_vat": [
            "In de nieuwe opmaak staat de btw in het belastingoverzicht op pagina 2. Ik heb u "
            "factuur {invoice} met specificatie gestuurd."
        ],
        "order_status.carrier_delay": [
            "We verzenden sinds kort met {carrier} en sommige pakketten hebben vertraging. Ik heb "
            "een onderzoek gestart voor {tracking}."
        ],
        "order_status": [
            "Uw bestelling {order} is op {ship_date} aan {carrier} meegegeven "
            "(track & trace {tracking}) en komt binnen 1-2 werkdagen aan."
        ],
        "refund_request": ["De terugbetaling van {amount} is vandaag verwerkt."],
        "return_request": ["Ik heb u een gratis retourlabel voor {order} gemaild."],
        "cancel_order": ["Ik heb bestelling {order} geannuleerd. U ontvangt een bevestiging."],
        "*": [
            "Ik heb het voor u geregeld; het probleem zou nu opgelost moeten zijn.",
            "Bedankt voor uw bericht, ik heb alles in gang gezet.",
        ],
    },
    holding=["Ik zoek het uit met de betreffende afdeling en kom er snel bij u op terug."],
    reopened=["Wat vervelend. Ik heb uw zaak geëscaleerd en volg het persoonlijk op."],
    checking=["Een momentje, ik kijk het even na.", "Bedankt, ik controleer het nu."],
    reminder=["Zonder reactie sluiten we de aanvraag over een paar dagen."],
)

PACK = LanguagePack(code="nl", customer=CUSTOMER, agent=AGENT)
