"""Small invented name, street and city lists per country.

Hand-written instead of a Faker dependency: a few dozen names per country give
thousands of distinct customers, and every value here is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    code: str
    language: str  # the customer's own language when they do not write English
    share: float  # share of the customer base
    native_share: float  # share of its customers who write in `language`
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (postcode, city)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


COUNTRIES: tuple[Country, ...] = (
    Country(
        "DE",
        "de",
        0.33,
        0.08,
        _split(
            "Anna, Lena, Julia, Laura, Sophie, Marie, Katharina, Sarah, Miriam, Jana, Lukas, "
            "Jonas, Felix, Maximilian, Tobias, Jan, Niklas, Florian, Moritz, Stefan, Markus, "
            "Sabine, Petra, Thomas, Andreas, Claudia, Jörg, Birgit, Ole, Frieda"
        ),
        _split(
            "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, "
            "Hoffmann, Koch, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Braun, "
            "Zimmermann, Krüger, Hartmann, Lange, Werner, Krause, Lehmann, Köhler, Brandt"
        ),
        _split(
            "Lindenstraße, Hauptstraße, Bahnhofstraße, Gartenweg, Schillerstraße, "
            "Goethestraße, Am Mühlbach, Birkenallee, Rosenweg, Kirchgasse, Feldstraße, "
            "Wiesenweg, Eichendorffstraße, Hafenstraße, Bergstraße"
        ),
        (
            ("10115", "Berlin"),
            ("20095", "Hamburg"),
            ("80331", "München"),
            ("50667", "Köln"),
            ("60311", "Frankfurt am Main"),
            ("70173", "Stuttgart"),
            ("04109", "Leipzig"),
            ("28195", "Bremen"),
            ("01067", "Dresden"),
            ("90402", "Nürnberg"),
            ("30159", "Hannover"),
            ("48143", "Münster"),
        ),
    ),
    Country(
        "GB",
        "en",
        0.14,
        1.0,
        _split(
            "Oliver, George, Harry, Jack, Charlie, Thomas, James, William, Emily, Olivia, "
            "Amelia, Isla, Jessica, Sophie, Grace, Chloe, Daniel, Rachel, Hannah, Liam, "
            "Priya, Aisha, Mohammed, Callum, Fiona, Rhys, Bethan, Niamh"
        ),
        _split(
            "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, "
            "Wright, Thompson, Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, "
            "Clarke, Patel, Khan, Hughes, Edwards, Lewis, Turner, Morgan"
        ),
        _split(
            "High Street, Station Road, Church Lane, Victoria Road, Park Avenue, "
            "Mill Lane, Queens Road, The Crescent, Manor Way, Orchard Close, Kings Road, "
            "Meadow View"
        ),
        (
            ("LS1 4AB", "Leeds"),
            ("M1 2EQ", "Manchester"),
            ("BS1 5TR", "Bristol"),
            ("NG1 6FQ", "Nottingham"),
            ("EH1 1YZ", "Edinburgh"),
            ("CF10 1EP", "Cardiff"),
            ("SW1A 2AA", "London"),
            ("N1 9GU", "London"),
            ("B1 1BB", "Birmingham"),
            ("OX1 3PW", "Oxford"),
        ),
    ),
    Country(
        "FR",
        "fr",
        0.12,
        0.2,
        _split(
            "Camille, Léa, Manon, Chloé, Inès, Sarah, Julie, Claire, Amélie, Élodie, "
            "Lucas, Hugo, Louis, Nathan, Thomas, Antoine, Julien, Maxime, Nicolas, "
            "Pierre, Mathieu, Céline, Sébastien, Aurélie"
        ),
        _split(
            "Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, "
            "Moreau, Simon, Laurent, Lefebvre, Michel, Garcia, David, Bertrand, Roux, "
            "Vincent, Fournier, Morel, Girard, Bonnet, Lambert"
        ),
        _split(
            "rue des Lilas, rue de la République, avenue Jean Jaurès, rue Victor Hugo, "
            "boulevard Voltaire, rue du Moulin, allée des Tilleuls, rue Pasteur, "
            "chemin des Vignes, place de la Mairie"
        ),
        (
            ("75011", "Paris"),
            ("69003", "Lyon"),
            ("13001", "Marseille"),
            ("31000", "Toulouse"),
            ("33000", "Bordeaux"),
            ("59000", "Lille"),
            ("44000", "Nantes"),
            ("67000", "Strasbourg"),
            ("34000", "Montpellier"),
        ),
    ),
    Country(
        "NL",
        "nl",
        0.08,
        0.06,
        _split(
            "Daan, Sem, Lucas, Levi, Finn, Bram, Jesse, Thijs, Emma, Julia, Sanne, Fleur, "
            "Lotte, Anouk, Iris, Femke, Joost, Maarten, Ruben, Eline"
        ),
        _split(
            "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, "
            "Smit, Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, Dekker"
        ),
        _split(
            "Keizersgracht, Dorpsstraat, Kerkstraat, Molenweg, Stationsplein, Prinsenlaan, "
            "Beukenlaan, Julianastraat, Wilhelminaweg, Havenkade"
        ),
        (
            ("1015 CX", "Amsterdam"),
            ("3011 AD", "Rotterdam"),
            ("3511 LX", "Utrecht"),
            ("2511 BT", "Den Haag"),
            ("5611 AZ", "Eindhoven"),
            ("9711 LM", "Groningen"),
            ("6511 KA", "Nijmegen"),
        ),
    ),
    Country(
        "ES",
        "es",
        0.07,
        0.2,
        _split(
            "Lucía, María, Paula, Carmen, Laura, Marta, Elena, Sofía, Alba, Javier, "
            "Alejandro, Pablo, Daniel, Carlos, Sergio, Jorge, Diego, Álvaro, Raúl, Miguel"
        ),
        _split(
            "García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, "
            "Gómez, Martín, Jiménez, Ruiz, Hernández, Díaz, Moreno, Álvarez, Romero, Navarro"
        ),
        _split(
            "Calle Mayor, Calle del Sol, Avenida de la Constitución, Calle Real, "
            "Paseo de Gracia, Calle San Vicente, Plaza de España, Calle Alcalá"
        ),
        (
            ("28013", "Madrid"),
            ("08007", "Barcelona"),
            ("46002", "Valencia"),
            ("41001", "Sevilla"),
            ("29015", "Málaga"),
            ("50001", "Zaragoza"),
            ("48001", "Bilbao"),
        ),
    ),
    Country(
        "IT",
        "it",
        0.06,
        0.2,
        _split(
            "Giulia, Francesca, Chiara, Sara, Martina, Alessia, Valentina, Elisa, Marco, "
            "Luca, Giuseppe, Andrea, Matteo, Lorenzo, Davide, Simone, Federico, Paolo"
        ),
        _split(
            "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, "
            "Greco, Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo"
        ),
        _split(
            "Via Roma, Via Garibaldi, Corso Italia, Via Dante, Via Mazzini, Via Verdi, "
            "Piazza del Duomo, Via dei Mille, Viale Europa"
        ),
        (
            ("00184", "Roma"),
            ("20121", "Milano"),
            ("10121", "Torino"),
            ("50123", "Firenze"),
            ("40121", "Bologna"),
            ("80133", "Napoli"),
            ("35122", "Padova"),
        ),
    ),
    Country(
        "AT",
        "de",
        0.05,
        0.08,
        _split(
            "Lukas, Tobias, David, Elias, Florian, Sebastian, Anna, Lena, Hannah, Sophie, "
            "Katharina, Theresa, Magdalena, Valentina, Georg, Christoph"
        ),
        _split(
            "Gruber, Huber, Bauer, Wagner, Pichler, Steiner, Moser, Mayer, Hofer, Leitner, "
            "Berger, Fuchs, Eder, Fischer, Schmid, Winkler"
        ),
        _split(
            "Mariahilfer Straße, Landstraße, Herrengasse, Kärntner Straße, Schulgasse, "
            "Lindengasse, Annenstraße, Dorfplatz"
        ),
        (
            ("1070", "Wien"),
            ("8010", "Graz"),
            ("4020", "Linz"),
            ("5020", "Salzburg"),
            ("6020", "Innsbruck"),
        ),
    ),
    Country(
        "BE",
        "fr",
        0.04,
        0.1,
        _split(
            "Noah, Arthur, Louis, Jules, Victor, Emma, Olivia, Louise, Elise, Marie, "
            "Lotte, Wout, Pieter, Charlotte, Camille, Thibault"
        ),
        _split(
            "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, "
            "Dubois, Lambert, Dupont, De Smet, Lemaire"
        ),
        _split(
            "Rue Neuve, Chaussée de Wavre, Avenue Louise, Meir, Kerkstraat, Rue du Midi, "
            "Veldstraat, Rue Haute"
        ),
        (
            ("1000", "Bruxelles"),
            ("2000", "Antwerpen"),
            ("9000", "Gent"),
            ("4000", "Liège"),
            ("3000", "Leuven"),
        ),
    ),
    Country(
        "IE",
        "en",
        0.04,
        1.0,
        _split(
            "Aoife, Ciara, Saoirse, Niamh, Sinéad, Róisín, Seán, Cian, Conor, Darragh, "
            "Oisín, Eoin, Patrick, Mary, Declan, Orla"
        ),
        _split(
            "Murphy, Kelly, O'Sullivan, Walsh, O'Brien, Byrne, Ryan, O'Connor, O'Neill, "
            "Doyle, McCarthy, Gallagher, Kennedy, Lynch, Quinn"
        ),
        _split(
            "Main Street, Church Road, Strand Road, Dublin Road, Abbey Street, "
            "Castle Street, Harbour View, Bridge Street"
        ),
        (
            ("D02 X285", "Dublin"),
            ("T12 R2NC", "Cork"),
            ("H91 E2K3", "Galway"),
            ("V94 T9PX", "Limerick"),
        ),
    ),
    Country(
        "SE",
        "en",
        0.07,
        1.0,
        _split(
            "Erik, Lars, Karl, Anders, Johan, Nils, Astrid, Ingrid, Elsa, Maja, Freja, "
            "Linnea, Mikael, Sofia, Oskar, Ebba"
        ),
        _split(
            "Andersson, Johansson, Karlsson, Nilsson, Eriksson, Larsson, Olsson, "
            "Persson, Svensson, Gustafsson, Lindberg, Lindqvist"
        ),
        _split("Storgatan, Drottninggatan, Kungsgatan, Skolgatan, Järnvägsgatan, Parkvägen"),
        (
            ("111 52", "Stockholm"),
            ("411 03", "Göteborg"),
            ("211 20", "Malmö"),
            ("753 20", "Uppsala"),
        ),
    ),
)

COUNTRY_BY_CODE = {c.code: c for c in COUNTRIES}

# Nordhaven's support team: (name, queue key). The first agent of each queue leads it.
AGENTS: tuple[tuple[str, str], ...] = (
    ("Hannah Berger", "orders-delivery"),
    ("Tom Lindqvist", "orders-delivery"),
    ("Sofia Marino", "orders-delivery"),
    ("Jakob Weiss", "orders-delivery"),
    ("Chloé Fontaine", "orders-delivery"),
    ("Ravi Shah", "billing"),
    ("Eva Novak", "billing"),
    ("Lucas Meyer", "billing"),
    ("Marta Kowalska", "returns-refunds"),
    ("Ben O'Connor", "returns-refunds"),
    ("Ines Duarte", "returns-refunds"),
    ("Pieter de Wit", "account"),
    ("Lea Hoffmann", "account"),
    ("Arjun Mehta", "technical"),
    ("Nora Klein", "technical"),
    ("Daniel Reyes", "complaints"),
    ("Grace Whitfield", "complaints"),
)
