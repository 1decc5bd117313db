"""German wording: fewer paraphrases than English, same intents and topics."""

from __future__ import annotations

from casework.demo.templates.pack import AgentWording, CustomerWording, LanguagePack

CUSTOMER = CustomerWording(
    core={
        "order_status": {
            "where_is_order": [
                "Wo bleibt meine Bestellung {order}? Ich habe vor {days} Tagen bestellt.",
                "Können Sie mir sagen, wann meine Bestellung ankommt? Bisher habe ich keine "
                "Versandbestätigung bekommen.",
                "Meine Bestellung vom {order_date} ist immer noch nicht da. Bestellnummer {order}.",
            ],
            "carrier_delay": [
                "Die Sendungsverfolgung bei {carrier} ({tracking}) hat sich seit Tagen nicht "
                "bewegt. Wo ist mein Paket?",
                "Seit wann verschicken Sie mit {carrier}? Mein Paket zu {order} steckt seit über "
                "einer Woche fest.",
            ],
        },
        "delivery_problem": {
            "damaged_item": [
                "Der Artikel {product} ist beschädigt angekommen, der Karton war völlig "
                "eingedrückt. Bestellung {order}.",
            ],
            "not_received": [
                "Laut {carrier} wurde das Paket zugestellt, aber ich habe nichts erhalten. "
                "Bestellung {order}.",
            ],
        },
        "return_request": {
            "*": [
                "Ich möchte den Artikel {product} aus Bestellung {order} zurückschicken. Wie "
                "geht das?",
                "Können Sie mir bitte ein Retourenetikett für {order} schicken?",
            ]
        },
        "refund_request": {
            "*": [
                "Ich habe meine Rücksendung vor zwei Wochen geschickt und noch keine Erstattung "
                "erhalten. Bestellung {order}.",
                "Bitte überweisen Sie die {amount} auf mein Konto: {iban}.",
            ]
        },
        "cancel_order": {
            "*": [
                "Bitte stornieren Sie meine Bestellung {order}, ich habe mich vertan.",
                "Kann ich die Bestellung {order} noch stornieren? Sie ist erst eine Stunde alt.",
            ]
        },
        "change_address": {
            "*": [
                "Ich habe mich bei der Adresse vertippt. Richtig ist: {new_address}. Bestellung "
                "{order}.",
                "Können Sie die Lieferadresse für {order} noch ändern? Neue Adresse: "
                "{new_address}.",
            ]
        },
        "shipping_cost": {
            "*": [
                "Was kostet der Versand nach {country_name}?",
                "Ab welchem Bestellwert ist der Versand kostenlos?",
            ]
        },
        "billing_question": {
            "invoice_layout_vat": [
                "Auf der neuen Rechnung {invoice} finde ich die Mehrwertsteuer nicht mehr. Bitte "
                "schicken Sie mir eine korrekte Rechnung.",
                "Ihr neues Rechnungslayout ist verwirrend: wo ist die MwSt. ausgewiesen? Mein "
                "Steuerberater braucht das.",
            ],
            "invoice_copy": [
                "Können Sie mir die Rechnung zu Bestellung {order} an {email} schicken?",
            ],
        },
        "payment_failed": {
            "payment_declined": [
                "Meine Kartenzahlung wird immer abgelehnt, obwohl die Karte funktioniert.",
            ],
            "charged_twice": [
                "Mir wurden für die Bestellung {order} zweimal {amount} abgebucht!",
                "Doppelte Abbuchung auf meiner Kreditkarte {card}. Bitte erstatten Sie eine davon.",
            ],
        },
        "discount_code": {
            "*": [
                "Der Rabattcode {code} funktioniert an der Kasse nicht.",
                "Ich habe vergessen, den Gutscheincode {code} einzugeben. Können Sie ihn "
                "nachträglich für {order} anrechnen?",
            ]
        },
        "gift_card": {
            "split_payment": [
                "Kann ich einen Teil mit Geschenkkarte und den Rest mit Kreditkarte bezahlen?",
                "Meine Geschenkkarte über {gift_amount} reicht nicht. Wie bezahle ich den Rest?",
            ],
        },
        "account_access": {
            "password_reset": [
                "Ich komme nicht mehr in mein Konto, die E-Mail zum Zurücksetzen des Passworts "
                "kommt nicht an. Meine E-Mail: {email}.",
                "Mein Konto ist nach zu vielen Versuchen gesperrt. Bitte entsperren.",
            ],
            "suspicious_login": [
                "Jemand hat in meinem Konto eine Bestellung aufgegeben, die nicht von mir ist!",
            ],
        },
        "account_delete": {
            "delete_account": ["Bitte löschen Sie mein Kundenkonto und alle meine Daten."],
            "data_request": [
                "Gemäß Art. 15 DSGVO bitte ich um Auskunft über alle gespeicherten Daten zu "
                "meiner Person.",
            ],
        },
        "technical_issue": {
            "*": [
                "Die Kasse hängt sich auf, wenn ich auf 'Jetzt bezahlen' klicke.",
                "Ihre App stürzt auf meinem {device} ständig ab.",
            ]
        },
        "product_question": {
            "*": [
                "Wann ist {product} wieder lieferbar?",
                "Ist {product} spülmaschinenfest?",
            ]
        },
        "complaint": {
            "service": [
                "Ich bin sehr enttäuscht von Ihrem Kundenservice. Niemand antwortet auf meine "
                "E-Mails.",
            ],
            "quality": ["Die Qualität von {product} ist für {amount} eine Frechheit."],
        },
    },
    subjects={
        "*": ["Frage zu meiner Bestellung", "Bestellung {order}", "Anfrage", "Problem", "Dringend"]
    },
    greetings=["Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo Nordhaven-Team,"],
    closings=["Viele Grüße,", "Mit freundlichen Grüßen,", "Danke und Gruß,", "LG,"],
    frustration=[
        "Ich schreibe jetzt schon zum dritten Mal!",
        "Das ist absolut inakzeptabel.",
        "Ich warte seit Tagen auf eine Antwort.",
    ],
    churn=["Ich werde nie wieder bei Ihnen bestellen.", "Ich überlege, mein Konto zu kündigen."],
    negative=["Das ist ziemlich ärgerlich.", "Ich bin etwas enttäuscht."],
    positive=["Ansonsten bin ich sehr zufrieden mit Ihnen!", "Vielen Dank im Voraus!"],
    human=[
        "Ich möchte mit einem echten Menschen sprechen.",
        "Bitte rufen Sie mich zurück, keine automatischen Antworten mehr.",
    ],
    legal=[
        "Sonst schalte ich meinen Anwalt ein.",
        "Ich werde mich an die Verbraucherzentrale wenden.",
    ],
    repeat=["Ich hatte Ihnen deswegen schon geschrieben (Ticket #{previous_ticket})."],
    contact=["Sie erreichen mich unter {phone}.", "Meine Telefonnummer: {phone}."],
    impatient=["Hallo?? Gibt es schon etwas Neues?", "Ich warte immer noch auf eine Antwort."],
    thanks=["Vielen Dank!", "Super, danke für die schnelle Hilfe.", "Danke, dann ist alles klar."],
    provide={
        "order_number": ["Die Bestellnummer ist {order}.", "{order}"],
        "photos": ["Fotos sind im Anhang."],
        "iban": ["Meine IBAN: {iban}, Kontoinhaber {name}."],
        "address": ["Die vollständige Adresse lautet: {new_address}."],
        "email": ["Das Konto läuft auf {email}."],
        "device": ["Ich nutze ein {device}."],
        "details": ["Es ist genau so, wie ich es beschrieben habe."],
        "payment": ["Ich habe mit Kreditkarte bezahlt, ohne Fehlermeldung."],
    },
    reopen={
        "*": ["Leider ist das Problem immer noch nicht gelöst.", "Es hat sich nichts geändert."]
    },
    quote_header="Am {date} schrieb Nordhaven Kundenservice:",
    voicemail=[
        "Voicemail-Transkript: Hallo, hier ist {name}. {core} Bitte rufen Sie mich unter "
        "{phone} zurück."
    ],
)

AGENT = AgentWording(
    greetings=["Hallo {first_name},", "Guten Tag {first_name},"],
    chat_greetings=["Hallo {first_name}, hier ist {agent_first} von Nordhaven."],
    closings=["Viele Grüße\n{agent_name}\nNordhaven Kundenservice", "Beste Grüße\n{agent_first}"],
    apologies=[
        "Es tut mir sehr leid für die Unannehmlichkeiten.",
        "Ich verstehe Ihren Ärger und entschuldige mich dafür.",
    ],
    ask_info={
        "order_number": ["Können Sie mir bitte Ihre Bestellnummer schicken (beginnt mit ORD-)?"],
        "photos": ["Könnten Sie uns bitte ein paar Fotos des Artikels und des Kartons schicken?"],
        "iban": ["Für die Überweisung benötige ich Ihre IBAN und den Namen des Kontoinhabers."],
        "address": ["Bitte bestätigen Sie die vollständige neue Adresse mit Postleitzahl."],
        "email": ["Bitte bestätigen Sie aus Sicherheitsgründen die E-Mail-Adresse Ihres Kontos."],
        "device": ["Welches Gerät und welchen Browser bzw. welche App-Version nutzen Sie?"],
        "*": ["Können Sie mir noch ein paar Details dazu schicken?"],
    },
    resolve={
        "shipping_cost": [
            "Der Standardversand ist ab 49 EUR kostenlos, darunter kostet er 4,95 EUR. "
            "Expressversand kostet 9,95 EUR."
        ],
        "product_question": [
            "Danke für Ihre Frage zu {product}: Der Artikel ist voraussichtlich in zwei Wochen "
            "wieder da, und er hat 2 Jahre Garantie."
        ],
        "discount_code": [
            "Ich habe den Rabatt nachträglich angerechnet und Ihnen die Differenz erstattet."
        ],
        "technical_issue": [
            "Danke für den Hinweis! Unser Technikteam hat den Fehler behoben. Bitte leeren Sie "
            "den Browser-Cache und versuchen Sie es erneut."
        ],
        "delivery_problem": [
            "Das tut mir leid. Ich habe Ihnen kostenlos Ersatz geschickt, die neue Sendungsnummer "
            "kommt per E-Mail."
        ],
        "payment_failed": [
            "Auf unserer Seite gibt es keine Sperre; Ablehnungen kommen meist von der "
            "3D-Secure-Prüfung Ihrer Bank. Bitte versuchen Sie es erneut oder nutzen Sie PayPal."
        ],
        "order_status": [
            "Ihre Bestellung {order} wurde am {ship_date} an {carrier} übergeben "
            "(Sendungsnummer {tracking}) und sollte in 1-2 Werktagen bei Ihnen "
            "sein."
        ],
        "order_status.carrier_delay": [
            "Wir haben den Standardversand kürzlich auf {carrier} "
            "umgestellt, und einige Pakete brauchen länger. Ich habe "
            "einen Nachforschungsauftrag für {tracking} gestellt."
        ],
        "return_request": [
            "Ich habe Ihnen ein kostenloses Retourenetikett für {order} per E-Mail geschickt."
        ],
        "refund_request": [
            "Die Erstattung über {amount} wurde heute veranlasst und ist in 3-5 "
            "Werktagen auf Ihrem Konto."
        ],
        "cancel_order": [
            "Ich habe die Bestellung {order} storniert. Sie erhalten gleich eine Bestätigung."
        ],
        "change_address": ["Ich habe die Lieferadresse für {order} geändert."],
        "billing_question.invoice_layout_vat": [
            "Im neuen Rechnungslayout steht die MwSt. in der "
            "Steuerübersicht auf Seite 2. Ich habe Ihnen "
            "die Rechnung {invoice} mit Aufschlüsselung "
            "geschickt."
        ],
        "payment_failed.charged_twice": [
            "Die doppelte Zahlung über {amount} habe ich heute erstattet."
        ],
        "gift_card": [
            "Derzeit kann pro Bestellung nur eine Geschenkkarte eingelöst werden; den "
            "Restbetrag zahlen Sie mit Karte oder PayPal."
        ],
        "account_access": [
            "Ich habe Ihnen einen neuen Link zum Zurücksetzen des Passworts geschickt."
        ],
        "account_delete": [
            "Ihr Antrag ist eingegangen; wir bearbeiten ihn innerhalb von 30 Tagen."
        ],
        "complaint": [
            "Ich habe Ihr Feedback an die Teamleitung weitergegeben und Ihnen einen "
            "Gutschein über 15 EUR gutgeschrieben."
        ],
        "*": [
            "Ich habe mich darum gekümmert - das Problem sollte jetzt gelöst sein.",
            "Vielen Dank für Ihre Nachricht, ich habe alles Nötige veranlasst.",
        ],
    },
    holding=["Ich kläre das gerade mit der zuständigen Abteilung und melde mich schnellstmöglich."],
    reopened=["Das tut mir leid. Ich habe den Fall eskaliert und kümmere mich persönlich darum."],
    checking=["Einen Moment bitte, ich schaue nach.", "Danke, ich prüfe das kurz."],
    reminder=[
        "Wir haben noch nichts von Ihnen gehört. Ohne Rückmeldung schließen wir die "
        "Anfrage in einigen Tagen."
    ],
)

PACK = LanguagePack(code="de", customer=CUSTOMER, agent=AGENT)
