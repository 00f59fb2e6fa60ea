/// Finds the names a generated sentence states that neither the passages nor the question contain
/// ("创办人是 Sam Altman、Tim Urban"): like a changed figure, an invented name barely moves the encoder
/// cosine of a sentence that otherwise follows its passage.
///
/// What counts as a name: in a Chinese sentence (as `QuestionLanguage` reads it), every Latin-script word
/// of two characters or more but a plain word opening the sentence (Chinese text writes only names and
/// terms in Latin letters); in an English sentence, the words spelt as names are spelt: all capitals
/// ("RLHF"), a capital after the first letter ("OpenAI", "LoRA"), letters with digits ("H100"). A name is
/// backed when a source has the same word, ignoring case and a plural "s".
public struct NameCheck: Sendable {
    private let known: Set<String>

    /// `sources`: every text the answer may take names from (the passages and the question).
    public init(sources: [String]) {
        known = Set(sources.flatMap { Self.words(in: $0).map { $0.lowercased() } })
    }

    /// The names of `sentence` found in no source, in order of appearance, each once.
    public func unbacked(in sentence: String) -> [String] {
        var seen: Set<String> = []
        return Self.names(in: sentence).filter { name in
            let word = name.lowercased()
            let backed = known.contains(word) || (word.count > 2 && word.hasSuffix("s") && known.contains(String(word.dropLast())))
            return !backed && seen.insert(word).inserted
        }
    }

    static func names(in sentence: String) -> [String] {
        let chinese = QuestionLanguage(of: sentence) == .chinese
        let opening = sentence.unicodeScalars.first { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        return words(in: sentence).enumerated().filter { index, word in
            guard word.unicodeScalars.count >= 2 else { return false }
            // A sentence that opens in English ("Because RLHF 流程复杂…") has a plain word first, not a name.
            let opensTheSentence = index == 0 && word.unicodeScalars.first == opening
            return (chinese && !opensTheSentence) || isSpeltAsName(word)
        }.map(\.element)
    }

    /// All capitals, a capital after the first letter, or letters with digits: "RLHF", "LoRA", "H100".
    static func isSpeltAsName(_ word: String) -> Bool {
        word.unicodeScalars.dropFirst().contains { $0.properties.isUppercase } || word.unicodeScalars.contains { ("0"..."9").contains($0) }
    }

    /// Maximal runs of ASCII letters and digits that hold a letter ("Qwen2.5" gives "Qwen2"; its "5" is a figure).
    static func words(in text: String) -> [String] {
        var words: [String] = [], current = String.UnicodeScalarView()
        func finish() {
            if current.contains(where: { $0.properties.isAlphabetic }) { words.append(String(current)) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                current.append(scalar)
            } else {
                finish()
            }
        }
        finish()
        return words
    }
}
