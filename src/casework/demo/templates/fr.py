"""French wording: fewer paraphrases than English, same intents and topics."""

from __future__ import annotations

from casework.demo.templates.pack import AgentWording, CustomerWording, LanguagePack

CUSTOMER = CustomerWording(
    core={
        "order_status": {
            "where_is_order": [
                "Où en est ma commande {order} ? Je l'ai passée il y a {days} jours.",
                "Bonjour, je n'ai toujours pas reçu ma commande du {order_date}. Pouvez-vous "
                "vérifier ?",
            ],
            "carrier_delay": [
                "Le suivi {carrier} ({tracking}) n'a pas bougé depuis plusieurs jours. Où est mon "
                "colis ?",
                "Depuis quand envoyez-vous avec {carrier} ? Mon colis pour {order} est bloqué "
                "depuis une semaine.",
            ],
        },
        "delivery_problem": {
            "damaged_item": ["L'article {product} est arrivé cassé. Commande {order}."],
            "wrong_item": [
                "J'ai reçu le mauvais article, ce n'est pas ce que j'ai commandé ({order})."
            ],
        },
        "return_request": {
            "*": [
                "Je voudrais retourner l'article {product} de la commande {order}. Comment faire ?",
                "Pouvez-vous m'envoyer une étiquette de retour pour {order} ?",
            ]
        },
        "refund_request": {
            "*": [
                "J'ai renvoyé ma commande {order} il y a deux semaines et je n'ai toujours pas été "
                "remboursé.",
                "Merci de rembourser les {amount} sur mon compte : {iban}.",
            ]
        },
        "cancel_order": {
            "*": [
                "Merci d'annuler ma commande {order}, je me suis trompé.",
                "Est-il encore possible d'annuler la commande {order} ?",
            ]
        },
        "change_address": {
            "*": [
                "Je me suis trompé d'adresse. La bonne adresse est : {new_address}. Commande "
                "{order}.",
            ]
        },
        "shipping_cost": {
            "*": [
                "Combien coûte la livraison en {country_name} ?",
                "À partir de quel montant la livraison est-elle gratuite ?",
            ]
        },
        "billing_question": {
            "invoice_layout_vat": [
                "Sur la nouvelle facture {invoice}, je ne trouve plus le montant de la TVA. "
                "Pouvez-vous m'envoyer une facture correcte ?",
                "Le nouveau format de facture est incompréhensible : où est la ligne TVA ?",
            ],
            "invoice_copy": ["Pouvez-vous m'envoyer la facture de la commande {order} ?"],
        },
        "payment_failed": {
            "payment_declined": ["Mon paiement par carte est refusé à chaque fois."],
            "charged_twice": [
                "J'ai été débité deux fois de {amount} pour la commande {order} !",
                "Double débit sur ma carte {card}. Merci de rembourser un des deux.",
            ],
        },
        "discount_code": {
            "*": [
                "Le code promo {code} ne fonctionne pas.",
                "J'ai oublié d'utiliser mon code {code} pour la commande {order}. Est-ce encore "
                "possible ?",
            ]
        },
        "gift_card": {
            "split_payment": [
                "Puis-je payer une partie avec une carte cadeau et le reste par carte bancaire ?",
                "Ma carte cadeau de {gift_amount} ne suffit pas. Comment payer la différence ?",
            ],
        },
        "account_access": {
            "password_reset": [
                "Je n'arrive plus à me connecter, l'e-mail de réinitialisation n'arrive pas. "
                "Mon adresse : {email}.",
            ],
            "suspicious_login": [
                "Quelqu'un a passé une commande depuis mon compte, ce n'est pas moi !"
            ],
        },
        "account_delete": {
            "delete_account": ["Merci de supprimer mon compte et toutes mes données."],
            "data_request": [
                "Conformément au RGPD, je demande l'accès à toutes les données que "
                "vous détenez sur moi."
            ],
        },
        "technical_issue": {
            "*": [
                "Le paiement se bloque quand je clique sur 'Payer'.",
                "L'application plante sans arrêt sur mon {device}.",
            ]
        },
        "product_question": {
            "*": [
                "Quand l'article {product} sera-t-il de nouveau disponible ?",
                "L'article {product} passe-t-il au lave-vaisselle ?",
            ]
        },
        "complaint": {
            "service": ["Je suis très déçu de votre service client. Personne ne répond."],
            "quality": ["La qualité de l'article {product} est lamentable pour {amount}."],
        },
    },
    subjects={"*": ["Ma commande", "Commande {order}", "Question", "Problème", "Urgent"]},
    greetings=["Bonjour,", "Madame, Monsieur,", "Bonjour l'équipe Nordhaven,"],
    closings=["Cordialement,", "Merci d'avance,", "Bien à vous,", "Bonne journée,"],
    frustration=[
        "C'est la troisième fois que je vous écris !",
        "C'est inadmissible.",
        "J'attends une réponse depuis des jours.",
    ],
    churn=["Je ne commanderai plus jamais chez vous.", "Je vais fermer mon compte."],
    negative=["C'est assez décevant.", "Je suis un peu agacé."],
    positive=["Sinon je suis très content de vos produits !", "Merci beaucoup d'avance !"],
    human=[
        "Je veux parler à une vraie personne.",
        "Merci de me rappeler, pas de réponse automatique.",
    ],
    legal=["Sinon je contacterai mon avocat.", "Je vais saisir une association de consommateurs."],
    repeat=["Je vous ai déjà écrit à ce sujet (ticket #{previous_ticket})."],
    contact=["Vous pouvez me joindre au {phone}.", "Mon numéro : {phone}."],
    impatient=["Bonjour ?? Des nouvelles ?", "J'attends toujours une réponse."],
    thanks=["Merci beaucoup !", "Parfait, merci pour votre aide."],
    provide={
        "order_number": ["Le numéro de commande est {order}.", "{order}"],
        "photos": ["Les photos sont en pièce jointe."],
        "iban": ["Mon IBAN : {iban}, titulaire {name}."],
        "address": ["L'adresse complète est : {new_address}."],
        "email": ["Le compte est au nom de {email}."],
        "device": ["J'utilise un {device}."],
        "details": ["C'est exactement comme je l'ai décrit."],
        "payment": ["J'ai payé par carte, sans message d'erreur."],
    },
    reopen={"*": ["Désolé, mais le problème n'est toujours pas résolu."]},
    quote_header="Le {date}, le service client Nordhaven a écrit :",
    voicemail=[
        "Transcription du message vocal : Bonjour, c'est {name}. {core} Merci de me "
        "rappeler au {phone}."
    ],
)

AGENT = AgentWording(
    greetings=["Bonjour {first_name},"],
    chat_greetings=["Bonjour {first_name}, ici {agent_first} de Nordhaven."],
    closings=[
        "Cordialement,\n{agent_name}\nService client Nordhaven",
        "Bien à vous,\n{agent_first}",
    ],
    apologies=["Je suis sincèrement désolé pour ce désagrément."],
    ask_info={
        "order_number": [
            "Pourriez-vous m'indiquer votre numéro de commande (il commence par ORD-) ?"
        ],
        "photos": ["Pourriez-vous nous envoyer quelques photos de l'article et du carton ?"],
        "iban": ["Pour le virement, j'ai besoin de votre IBAN et du nom du titulaire."],
        "address": ["Merci de confirmer la nouvelle adresse complète avec le code postal."],
        "email": ["Par sécurité, pourriez-vous confirmer l'adresse e-mail de votre compte ?"],
        "device": ["Quel appareil et quel navigateur utilisez-vous ?"],
        "*": ["Pourriez-vous me donner quelques détails supplémentaires ?"],
    },
    resolve={
        "shipping_cost": [
            "La livraison standard est gratuite dès 49 EUR, sinon elle coûte 4,95 EUR. L'express "
            "coûte 9,95 EUR."
        ],
        "product_question": [
            "Merci pour votre question sur l'article {product} : il sera de nouveau disponible "
            "dans deux semaines environ et il est garanti 2 ans."
        ],
        "discount_code": ["J'ai appliqué la réduction manuellement et remboursé la différence."],
        "technical_issue": [
            "Merci pour le signalement ! Notre équipe technique a corrigé le problème. Videz le "
            "cache de votre navigateur et réessayez."
        ],
        "delivery_problem": [
            "Je suis désolé. Je vous ai envoyé un remplacement gratuit ; le nouveau numéro de "
            "suivi arrive par e-mail."
        ],
        "account_access": [
            "Je vous ai envoyé un nouveau lien de réinitialisation du mot de passe, valable 60 "
            "minutes."
        ],
        "account_delete": [
            "Votre demande est enregistrée ; nous la traitons sous 30 jours, comme le prévoit le "
            "RGPD."
        ],
        "change_address": ["J'ai modifié l'adresse de livraison de la commande {order}."],
        "complaint": [
            "Je suis sincèrement désolé. J'ai transmis votre retour à la responsable d'équipe et "
            "ajouté un bon de 15 EUR à votre compte."
        ],
        "payment_failed.charged_twice": [
            "J'ai remboursé aujourd'hui le double paiement de {amount}."
        ],
        "order_status": [
            "Votre commande {order} a été remise à {carrier} le {ship_date} (suivi "
            "{tracking}) et devrait arriver sous 1 à 2 jours ouvrés."
        ],
        "order_status.carrier_delay": [
            "Nous avons récemment confié nos envois standard à "
            "{carrier} et certains colis ont du retard. J'ai ouvert "
            "une enquête pour {tracking}."
        ],
        "refund_request": ["Le remboursement de {amount} a été effectué aujourd'hui."],
        "return_request": [
            "Je vous ai envoyé par e-mail une étiquette de retour gratuite pour {order}."
        ],
        "cancel_order": ["J'ai annulé la commande {order}. Vous recevrez une confirmation."],
        "billing_question.invoice_layout_vat": [
            "Dans la nouvelle mise en page, la TVA figure "
            "dans le récapitulatif fiscal en page 2. Je "
            "vous ai envoyé la facture {invoice} détaillée."
        ],
        "gift_card": [
            "Pour l'instant, une seule carte cadeau par commande ; le reste se paie "
            "par carte ou PayPal."
        ],
        "*": [
            "Je m'en suis occupé, le problème devrait être résolu.",
            "Merci pour votre message, j'ai fait le nécessaire.",
        ],
    },
    holding=["Je vérifie avec le service concerné et je reviens vers vous rapidement."],
    reopened=[
        "Je suis désolé. J'ai fait remonter votre dossier et je m'en occupe personnellement."
    ],
    checking=["Un instant, je vérifie.", "Merci, je regarde tout de suite."],
    reminder=["Sans nouvelles de votre part, nous clôturerons la demande dans quelques jours."],
)

PACK = LanguagePack(code="fr", customer=CUSTOMER, agent=AGENT)
