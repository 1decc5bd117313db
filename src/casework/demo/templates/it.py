"""Italian wording: fewer paraphrases than English, same intents and topics."""

from __future__ import annotations

from casework.demo.templates.pack import AgentWording, CustomerWording, LanguagePack

CUSTOMER = CustomerWording(
    core={
        "order_status": {
            "where_is_order": [
                "Dov'è il mio ordine {order}? L'ho fatto {days} giorni fa.",
                "Buongiorno, non ho ancora ricevuto l'ordine del {order_date}. Potete controllare?",
            ],
            "carrier_delay": [
                "Il tracciamento {carrier} ({tracking}) è fermo da giorni. Dov'è il mio pacco?",
            ],
        },
        "delivery_problem": {
            "damaged_item": ["L'articolo {product} è arrivato rotto. Ordine {order}."],
            "not_received": [
                "Il corriere dice che il pacco è stato consegnato, ma io non ho "
                "ricevuto niente. Ordine {order}."
            ],
        },
        "return_request": {
            "*": [
                "Vorrei restituire l'articolo {product} dell'ordine {order}. Come faccio?",
            ]
        },
        "refund_request": {
            "*": [
                "Ho restituito l'ordine {order} due settimane fa e non ho ancora ricevuto il "
                "rimborso.",
                "Vi prego di rimborsare {amount} sul mio conto: {iban}.",
            ]
        },
        "cancel_order": {"*": ["Per favore annullate il mio ordine {order}."]},
        "change_address": {
            "*": [
                "Ho sbagliato indirizzo. Quello giusto è: {new_address}. Ordine {order}.",
            ]
        },
        "shipping_cost": {"*": ["Quanto costa la spedizione in {country_name}?"]},
        "billing_question": {
            "invoice_layout_vat": [
                "Nella nuova fattura {invoice} non trovo più l'IVA. Potete mandarmi una fattura "
                "corretta?",
            ],
        },
        "payment_failed": {
            "charged_twice": ["Mi avete addebitato due volte {amount} per l'ordine {order}!"],
        },
        "discount_code": {"*": ["Il codice sconto {code} non funziona."]},
        "gift_card": {
            "split_payment": [
                "Posso pagare una parte con la carta regalo e il resto con la carta di credito?",
            ],
        },
        "account_access": {
            "password_reset": [
                "Non riesco ad accedere al mio account, l'email per reimpostare "
                "la password non arriva. La mia email: {email}."
            ],
        },
        "account_delete": {
            "data_request": ["Ai sensi del GDPR chiedo l'accesso a tutti i miei dati personali."],
        },
        "technical_issue": {"*": ["Il sito dà errore quando clicco su 'Paga ora'."]},
        "product_question": {"*": ["Quando tornerà disponibile l'articolo {product}?"]},
        "complaint": {"service": ["Sono molto deluso dal vostro servizio clienti."]},
    },
    subjects={"*": ["Il mio ordine", "Ordine {order}", "Domanda", "Problema", "Urgente"]},
    greetings=["Buongiorno,", "Salve,", "Gentile servizio clienti,"],
    closings=["Cordiali saluti,", "Grazie,", "Saluti,"],
    frustration=[
        "È la terza volta che scrivo!",
        "È inaccettabile.",
        "Aspetto una risposta da giorni.",
    ],
    churn=["Non comprerò mai più da voi.", "Chiuderò il mio account."],
    negative=["È piuttosto deludente.", "Sono un po' seccato."],
    positive=["Per il resto sono molto soddisfatto!", "Grazie mille in anticipo!"],
    human=["Voglio parlare con una persona vera.", "Richiamatemi, per favore."],
    legal=[
        "Altrimenti mi rivolgerò al mio avvocato.",
        "Farò un reclamo a un'associazione dei consumatori.",
    ],
    repeat=["Vi ho già scritto per questo (ticket #{previous_ticket})."],
    contact=["Potete chiamarmi al {phone}.", "Il mio numero: {phone}."],
    impatient=["Ci sono novità?", "Sto ancora aspettando una risposta."],
    thanks=["Grazie mille!", "Perfetto, grazie dell'aiuto."],
    provide={
        "order_number": ["Il numero d'ordine è {order}.", "{order}"],
        "photos": ["Le foto sono in allegato."],
        "iban": ["Il mio IBAN: {iban}, intestato a {name}."],
        "address": ["L'indirizzo completo è: {new_address}."],
        "email": ["L'account è registrato con {email}."],
        "device": ["Uso un {device}."],
        "details": ["È esattamente come ho descritto."],
        "payment": ["Ho pagato con carta, nessun messaggio di errore."],
    },
    reopen={"*": ["Purtroppo il problema non è ancora risolto."]},
    quote_header="Il {date}, Servizio clienti Nordhaven ha scritto:",
    voicemail=["Trascrizione segreteria: Buongiorno, sono {name}. {core} Richiamatemi al {phone}."],
)

AGENT = AgentWording(
    greetings=["Gentile {first_name},", "Buongiorno {first_name},"],
    chat_greetings=["Ciao {first_name}, sono {agent_first} di Nordhaven."],
    closings=["Cordiali saluti,\n{agent_name}\nServizio clienti Nordhaven"],
    apologies=["Ci scusiamo per il disagio."],
    ask_info={
        "order_number": ["Potrebbe indicarmi il numero d'ordine (inizia con ORD-)?"],
        "photos": ["Potrebbe inviarci alcune foto dell'articolo e della scatola?"],
        "iban": ["Per il bonifico mi servono l'IBAN e il nome dell'intestatario."],
        "*": ["Potrebbe darmi qualche dettaglio in più?"],
    },
    resolve={
        "shipping_cost": [
            "La spedizione standard è gratuita sopra i 49 EUR, altrimenti costa 4,95 EUR. "
            "L'espresso costa 9,95 EUR."
        ],
        "product_question": [
            "Grazie per la domanda sull'articolo {product}: tornerà disponibile tra circa due "
            "settimane e ha 2 anni di garanzia."
        ],
        "discount_code": ["Ho applicato lo sconto manualmente e le ho rimborsato la differenza."],
        "technical_issue": [
            "Grazie della segnalazione! Il nostro team tecnico ha risolto il problema. Svuoti la "
            "cache del browser e riprovi."
        ],
        "delivery_problem": [
            "Mi dispiace molto. Le ho spedito un articolo sostitutivo gratuito; il nuovo numero "
            "di tracciamento arriverà via email."
        ],
        "account_access": [
            "Le ho inviato un nuovo link per reimpostare la password, valido per 60 minuti."
        ],
        "account_delete": ["Abbiamo registrato la sua richiesta e la evaderemo entro 30 giorni."],
        "change_address": ["Ho modificato l'indirizzo di consegna dell'ordine {order}."],
        "complaint": [
            "Mi dispiace davvero. Ho inoltrato il suo reclamo alla responsabile del team e le ho "
            "accreditato un buono da 15 EUR."
        ],
        "gift_card": [
            "Al momento si può usare una sola carta regalo per ordine; il resto si paga con carta "
            "o PayPal."
        ],
        "payment_failed.charged_twice": ["Oggi le ho rimborsato l'addebito doppio di {amount}."],
        "billing_question.invoice_layout_vat": [
            "Nel nuovo formato l'IVA si trova nel riepilogo fiscale a pagina 2. Le ho inviato la "
            "fattura {invoice} con il dettaglio."
        ],
        "order_status.carrier_delay": [
            "Da poco spediamo con {carrier} e alcuni pacchi sono in ritardo. Ho aperto una "
            "verifica per {tracking}."
        ],
        "order_status": [
            "Il suo ordine {order} è stato affidato a {carrier} il {ship_date} "
            "(tracciamento {tracking}) e arriverà entro 1-2 giorni lavorativi."
        ],
        "refund_request": ["Il rimborso di {amount} è stato effettuato oggi."],
        "return_request": ["Le ho inviato via email un'etichetta di reso gratuita per {order}."],
        "cancel_order": ["Ho annullato l'ordine {order}. Riceverà una conferma."],
        "*": [
            "Me ne sono occupato, il problema dovrebbe essere risolto.",
            "Grazie per il messaggio, ho fatto il necessario.",
        ],
    },
    holding=["Sto verificando con il reparto competente e le rispondo al più presto."],
    reopened=["Mi dispiace molto. Ho inoltrato il caso e lo seguo personalmente."],
    checking=["Un attimo, controllo subito.", "Grazie, verifico."],
    reminder=["Senza una sua risposta chiuderemo la richiesta tra qualche giorno."],
)

PACK = LanguagePack(code="it", customer=CUSTOMER, agent=AGENT)
