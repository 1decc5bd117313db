"""Spanish wording: fewer paraphrases than English, same intents and topics."""

from __future__ import annotations

from casework.demo.templates.pack import AgentWording, CustomerWording, LanguagePack

CUSTOMER = CustomerWording(
    core={
        "order_status": {
            "where_is_order": [
                "¿Dónde está mi pedido {order}? Lo hice hace {days} días.",
                "Hola, todavía no he recibido mi pedido del {order_date}. ¿Pueden revisarlo?",
            ],
            "carrier_delay": [
                "El seguimiento de {carrier} ({tracking}) no se mueve desde hace días. ¿Dónde "
                "está mi paquete?",
            ],
        },
        "delivery_problem": {
            "damaged_item": ["El artículo {product} llegó roto. Pedido {order}."],
            "missing_item": ["Falta un artículo en mi pedido {order}."],
        },
        "return_request": {
            "*": [
                "Quiero devolver el artículo {product} del pedido {order}. ¿Cómo lo hago?",
                "¿Me pueden enviar una etiqueta de devolución para {order}?",
            ]
        },
        "refund_request": {
            "*": [
                "Devolví el pedido {order} hace dos semanas y todavía no tengo el reembolso.",
                "Por favor, devuélvanme los {amount} a mi cuenta: {iban}.",
            ]
        },
        "cancel_order": {"*": ["Por favor, cancelen mi pedido {order}, me he equivocado."]},
        "change_address": {
            "*": [
                "Me equivoqué de dirección. La correcta es: {new_address}. Pedido {order}.",
            ]
        },
        "shipping_cost": {"*": ["¿Cuánto cuesta el envío a {country_name}?"]},
        "billing_question": {
            "invoice_layout_vat": [
                "En la nueva factura {invoice} no aparece el IVA. ¿Me pueden enviar una factura "
                "correcta?",
                "No entiendo el nuevo formato de factura: ¿dónde está la línea del IVA?",
            ],
        },
        "payment_failed": {
            "payment_declined": ["Mi tarjeta siempre es rechazada al pagar."],
            "charged_twice": ["¡Me han cobrado dos veces {amount} por el pedido {order}!"],
        },
        "discount_code": {"*": ["El código de descuento {code} no funciona."]},
        "gift_card": {
            "split_payment": [
                "¿Puedo pagar una parte con la tarjeta regalo y el resto con mi tarjeta de "
                "crédito?",
            ],
        },
        "account_access": {
            "password_reset": [
                "No puedo entrar en mi cuenta, no me llega el correo para "
                "restablecer la contraseña. Mi correo: {email}."
            ],
        },
        "account_delete": {
            "delete_account": ["Por favor, eliminen mi cuenta y todos mis datos personales."],
        },
        "technical_issue": {"*": ["La aplicación se cierra sola en mi {device}."]},
        "product_question": {"*": ["¿Cuándo volverá a estar disponible el artículo {product}?"]},
        "complaint": {
            "service": ["Estoy muy decepcionado con su atención al cliente. Nadie responde."],
        },
    },
    subjects={"*": ["Mi pedido", "Pedido {order}", "Consulta", "Problema", "Urgente"]},
    greetings=["Hola,", "Buenos días,", "Estimados señores:"],
    closings=["Saludos,", "Un saludo,", "Gracias,", "Atentamente,"],
    frustration=[
        "¡Es la tercera vez que escribo!",
        "Esto es inaceptable.",
        "Llevo días esperando una respuesta.",
    ],
    churn=["No volveré a comprar en su tienda.", "Voy a cerrar mi cuenta."],
    negative=["Es bastante decepcionante.", "Estoy un poco molesto."],
    positive=["Por lo demás, estoy muy contento con ustedes.", "¡Muchas gracias de antemano!"],
    human=[
        "Quiero hablar con una persona de verdad.",
        "Llámenme, por favor, nada de respuestas automáticas.",
    ],
    legal=["Si no, contactaré con mi abogado.", "Presentaré una reclamación ante consumo."],
    repeat=["Ya les escribí sobre esto (ticket #{previous_ticket})."],
    contact=["Pueden llamarme al {phone}.", "Mi teléfono: {phone}."],
    impatient=["¿Hola? ¿Alguna novedad?", "Sigo esperando una respuesta."],
    thanks=["¡Muchas gracias!", "Perfecto, gracias por la ayuda."],
    provide={
        "order_number": ["El número de pedido es {order}.", "{order}"],
        "photos": ["Adjunto las fotos."],
        "iban": ["Mi IBAN: {iban}, titular {name}."],
        "address": ["La dirección completa es: {new_address}."],
        "email": ["La cuenta está a nombre de {email}."],
        "device": ["Uso un {device}."],
        "details": ["Es exactamente como lo he descrito."],
        "payment": ["Pagué con tarjeta y no salió ningún error."],
    },
    reopen={"*": ["Lo siento, pero el problema sigue sin resolverse."]},
    quote_header="El {date}, Atención al cliente Nordhaven escribió:",
    voicemail=[
        "Transcripción del buzón de voz: Hola, soy {name}. {core} Llámenme al {phone}, por favor."
    ],
)

AGENT = AgentWording(
    greetings=["Hola {first_name}:", "Buenos días, {first_name}:"],
    chat_greetings=["Hola {first_name}, soy {agent_first} de Nordhaven."],
    closings=["Un saludo,\n{agent_name}\nAtención al cliente Nordhaven"],
    apologies=["Sentimos mucho las molestias."],
    ask_info={
        "order_number": ["¿Podría indicarme su número de pedido (empieza por ORD-)?"],
        "photos": ["¿Podría enviarnos algunas fotos del artículo y de la caja?"],
        "iban": ["Para la transferencia necesito su IBAN y el nombre del titular."],
        "address": ["Por favor, confirme la nueva dirección completa con el código postal."],
        "email": ["Por seguridad, ¿puede confirmar el correo electrónico de su cuenta?"],
        "*": ["¿Podría darme algunos detalles más?"],
    },
    resolve={
        "shipping_cost": [
            "El envío estándar es gratuito a partir de 49 EUR; si no, cuesta 4,95 EUR. El envío "
            "exprés cuesta 9,95 EUR."
        ],
        "product_question": [
            "Gracias por su pregunta sobre el artículo {product}: volverá a estar disponible en "
            "unas dos semanas y tiene 2 años de garantía."
        ],
        "discount_code": ["He aplicado el descuento manualmente y le he devuelto la diferencia."],
        "technical_issue": [
            "¡Gracias por avisarnos! Nuestro equipo técnico ha corregido el error. Borre la caché "
            "del navegador y vuelva a intentarlo."
        ],
        "delivery_problem": [
            "Lo siento mucho. Le he enviado un artículo de sustitución gratuito; recibirá el "
            "nuevo número de seguimiento por correo."
        ],
        "account_access": [
            "Le he enviado un nuevo enlace para restablecer la contraseña, válido durante 60 "
            "minutos."
        ],
        "account_delete": [
            "Hemos registrado su solicitud y la tramitaremos en un plazo de 30 días."
        ],
        "change_address": ["He cambiado la dirección de entrega del pedido {order}."],
        "complaint": [
            "Lo siento de verdad. He trasladado su queja a la responsable del equipo y le he "
            "añadido un vale de 15 EUR."
        ],
        "gift_card": [
            "Por ahora solo se puede usar una tarjeta regalo por pedido; el resto se paga con "
            "tarjeta o PayPal."
        ],
        "payment_failed.charged_twice": ["Hoy le he devuelto el cobro duplicado de {amount}."],
        "order_status.carrier_delay": [
            "Hace poco pasamos los envíos estándar a {carrier} y algunos paquetes se retrasan. He "
            "abierto una investigación para {tracking}."
        ],
        "order_status": [
            "Su pedido {order} se entregó a {carrier} el {ship_date} (seguimiento "
            "{tracking}) y debería llegar en 1-2 días laborables."
        ],
        "refund_request": ["Hemos realizado hoy el reembolso de {amount}."],
        "return_request": [
            "Le he enviado por correo una etiqueta de devolución gratuita para {order}."
        ],
        "cancel_order": ["He cancelado el pedido {order}. Recibirá una confirmación."],
        "billing_question.invoice_layout_vat": [
            "En el nuevo formato, el IVA aparece en el "
            "resumen fiscal de la página 2. Le he enviado la "
            "factura {invoice} desglosada."
        ],
        "*": [
            "Ya me he ocupado de ello; el problema debería estar resuelto.",
            "Gracias por su mensaje, he hecho los cambios necesarios.",
        ],
    },
    holding=["Lo estoy revisando con el departamento correspondiente y le respondo en breve."],
    reopened=["Lo siento mucho. He escalado su caso y me ocupo personalmente."],
    checking=["Un momento, lo compruebo.", "Gracias, lo reviso ahora mismo."],
    reminder=["Si no recibimos respuesta, cerraremos la solicitud en unos días."],
)

PACK = LanguagePack(code="es", customer=CUSTOMER, agent=AGENT)
