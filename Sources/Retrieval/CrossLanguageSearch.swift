/// How an English question searches a Chinese index. It shares few words with the passages, and the encoder
/// places it further from them in meaning than its Chinese translation: on the dev corpus English questions
/// found their page in the top 5 at 0.64 against 0.98 for Chinese ones (BENCHMARKS.md, "Cross-language").
/// So the decoder translates the question first and the search runs in Chinese. The coverage decision still
/// holds the question itself against the English threshold, as calibrated.
public enum CrossLanguageSearch: String, CaseIterable, Sendable, Codable {
    /// English questions over a mostly Chinese index are searched by the decoder's Chinese translation.
    case translate
    /// Every question is searched as written.
    case off

    public static let `default` = CrossLanguageSearch.translate

    /// An index counts as Chinese when at least this share of its letters are CJK characters.
    static let chineseIndexShare = 0.5

    /// The instruction the decoder translates with (Chinese: the English one made the 0.5B model echo the question).
    static let instruction = "把用户的问题翻译成简体中文。只回复译文。"
    /// A translation's length limit; questions are short.
    static let maximumTokens = 96

    /// The Chinese translation of `question` by `writer` (greedy), on one line; nil when the model gave back
    /// something that is not Chinese (the question then searches as written).
    static func translation(of question: String, by writer: AnswerWriter) throws -> String? {
        var settings = GenerationSettings()
        settings.temperature = 0
        settings.maxTokens = maximumTokens
        var text = ""
        _ = try writer.write(system: instruction, user: question, settings: settings) { text += $0.text }
        let line = text.split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }.joined(separator: " ")
        guard !line.isEmpty, QuestionLanguage(of: line) == .chinese, (try? Retriever.check(query: line)) != nil else { return nil }
        return line
    }
}
