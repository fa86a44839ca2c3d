/// A rough guess at the reply's language from its function words, used only where a word means
/// different things across languages ("hier" is "yesterday" in French and "here" in German).
enum Language {
    case english, german, french

    private static let englishWords: Set<String> = ["the", "and", "to", "we", "you", "will", "is", "of", "for", "please", "on", "i", "our", "your", "with", "this", "be", "are", "it", "have"]
    private static let germanWords: Set<String> = ["und", "die", "der", "das", "wir", "sie", "ist", "nicht", "bitte", "ich", "zu", "mit", "den", "ein", "eine", "fur", "uns", "ihre", "werden", "auf", "dem", "hier"]
    private static let frenchWords: Set<String> = ["le", "la", "les", "et", "nous", "vous", "est", "pas", "des", "pour", "je", "une", "un", "merci", "votre", "notre", "sur", "au", "du", "avec", "ce", "sera"]

    static func guess(_ tokens: [Token]) -> Language {
        var counts = (english: 0, german: 0, french: 0)
        for token in tokens where token.isWord {
            if englishWords.contains(token.text) { counts.english += 1 }
            if germanWords.contains(token.text) { counts.german += 1 }
            if frenchWords.contains(token.text) { counts.french += 1 }
        }
        if counts.french > counts.english, counts.french > counts.german { return .french }
        if counts.german > counts.english { return .german }
        return .english
    }
}
