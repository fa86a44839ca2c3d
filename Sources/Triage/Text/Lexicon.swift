import Dunning

/// Word lists shared by the date, amount and cue recognisers, in folded form (see `Folding`).
enum Lexicon {
    /// English, German and French month names and their usual abbreviations.
    static let months: [String: Int] = {
        let names: [[String]] = [
            ["january", "jan", "januar", "janner", "janvier", "janv"],
            ["february", "feb", "februar", "fevrier", "fevr", "fev"],
            ["march", "mar", "marz", "maerz", "mrz", "mars"],
            ["april", "apr", "avril", "avr"],
            ["may", "mai"],
            ["june", "jun", "juni", "juin"],
            ["july", "jul", "juli", "juillet", "juil"],
            ["august", "aug", "aout"],
            ["september", "sep", "sept", "septembre"],
            ["october", "oct", "oktober", "okt", "octobre"],
            ["november", "nov", "novembre"],
            ["december", "dec", "dezember", "dez", "decembre"],
        ]
        var table: [String: Int] = [:]
        for (index, group) in names.enumerated() {
            for name in group { table[name] = index + 1 }
        }
        return table
    }()

    /// ISO weekday numbers, 1 = Monday.
    static let weekdays: [String: Int] = [
        "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
        "montag": 1, "dienstag": 2, "mittwoch": 3, "donnerstag": 4, "freitag": 5, "samstag": 6, "sonnabend": 6, "sonntag": 7,
        "lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7,
    ]

    /// Counting words, including the indefinite articles that mean "one" before a unit and the
    /// vague "a couple" and "a few".
    static let numberWords: [String: Int] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
        "couple": 2, "few": 3, "several": 3,
        "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
        "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwolf": 12, "vierzehn": 14,
        "funfzehn": 15, "zwanzig": 20, "dreissig": 30, "paar": 2, "einigen": 3, "wenigen": 3,
        "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "huit": 8, "neuf": 9, "dix": 10,
        "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quelques": 3,
    ]

    /// Words that negate what follows or what they follow ("t" is what remains of "n't").
    static let negators: Set<String> = [
        "not", "no", "never", "t", "cannot", "nor", "neither", "nothing",
        "nicht", "nie", "niemals", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nichts",
        "ne", "n", "pas", "jamais", "aucun", "aucune", "rien", "ni",
    ]

    /// Negators a pattern's gap may not skip. French "ne"/"n'" always comes with "pas", "plus",
    /// "jamais" or "rien", which block on their own, so "ne … pas conformes" can still be matched.
    static let gapBlockers: Set<String> = negators.subtracting(["ne", "n"])

    /// Negators that also flip a statement when they come after it ("Wir zahlen nicht", "on ne paie pas").
    static let trailingNegators: Set<String> = ["not", "nicht", "pas", "never", "jamais", "nie", "niemals"]

    /// Words after which a negator does not negate: "no later than", "nicht später als", "pas plus tard".
    static let negationCancellers: Set<String> = ["later", "spater", "tard", "plus", "than", "only", "just", "nur", "seulement"]

    /// Clause boundaries that stop a negation from reaching across.
    static let conjunctions: Set<String> = [
        "and", "but", "or", "because", "as", "since", "und", "aber", "oder", "weil", "da", "denn", "sondern",
        "et", "mais", "ou", "car", "parce", "puisque",
    ]

    /// Words that put a verb in the future or make it a plan, so "paid" after them is not a fact.
    static let futureMarkers: Set<String> = [
        "will", "shall", "ll", "going", "would", "should", "be", "once", "when", "after", "if",
        "werden", "wird", "werde", "soll", "sollen", "sobald", "wenn", "nachdem",
        "sera", "seront", "serait", "va", "vais", "allons", "vont", "quand", "lorsque", "si", "apres",
    ]

    /// Words that put a statement in the past ("I was on holiday").
    static let pastMarkers: Set<String> = ["was", "were", "been", "war", "waren", "gewesen", "etais", "etait", "ete", "etions"]

    /// Currency words and symbols, folded, with their ISO 4217 codes.
    static let currencies: [String: CurrencyCode] = [
        "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
        "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
        "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
        "chf": "CHF", "sfr": "CHF", "franken": "CHF",
        "¥": "JPY", "jpy": "JPY", "yen": "JPY",
        "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN", "czk": "CZK", "cad": "CAD", "aud": "AUD", "huf": "HUF",
    ]
}
