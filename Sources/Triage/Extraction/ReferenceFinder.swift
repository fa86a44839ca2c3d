/// Finds a payment's remittance reference: "ref 88231", "Referenz: 2026-0311-77",
/// "transaction ID TX9921", "Verwendungszweck RE-42", "référence VIR-12".
enum ReferenceFinder {
    private static let keywords = PhrasePatternSet<Bool>([
        ("ref|reference|referenz|referenznummer|zahlungsreferenz|verwendungszweck|utr|txn|transaktionsnummer", true),
        ("transaction|transaktion|payment|confirmation|bestatigungs|auftrags id|number|no|nr|nummer|reference|ref", true),
        ("end to end", true),
    ])
    private static let fillers: Set<String> = ["no", "nr", "n", "#", "number", "nummer", "numero", "id", ":", "°", "º", ".", "is", "ist", "est", "-", "de", "of"]

    static func find(in text: TokenizedText) -> String? {
        let tokens = text.tokens
        for match in keywords.matches(in: tokens) {
            var position = match.end
            while position < tokens.count, position < match.end + 3, fillers.contains(tokens[position].text) { position += 1 }
            guard position < tokens.count, tokens[position].isWord || tokens[position].isNumber else { continue }
            var end = position + 1
            while end < tokens.count, !tokens[end].spaceBefore, tokens[end].isWord || tokens[end].isNumber
                    || (["-", "/", "_"].contains(tokens[end].text) && end + 1 < tokens.count && !tokens[end + 1].spaceBefore) {
                end += 1
            }
            if tokens[position..<end].contains(where: \.isNumber) { return text.original(position, end - 1) }
        }
        return nil
    }
}
