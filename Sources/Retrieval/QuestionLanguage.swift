import Store

/// The language an answer should be written in, read off the question: the prompt's instructions and
/// the "not covered" message follow it.
public enum QuestionLanguage: String, Sendable, Codable {
    case chinese = "zh"
    case english = "en"

    /// Chinese when the question has at least as many CJK characters as Latin-script words ("What is 预训练?"
    /// has 3 characters and 2 words: Chinese; "What does the term 预训练 mean in this text?" is English).
    public init(of question: String) {
        var cjk = 0, words = 0, inWord = false
        for s in question.unicodeScalars {
            if FullTextTerms.isCJKScalar(s) {
                cjk += 1; inWord = false
            } else if s.properties.isAlphabetic {
                if !inWord { words += 1 }
                inWord = true
            } else {
                inWord = false
            }
        }
        self = cjk > 0 && cjk >= words ? .chinese : .english
    }

    /// What `rag ask` says instead of answering when no passage is relevant enough.
    public var notCoveredMessage: String {
        switch self {
        case .chinese: return "文档中没有涉及这个问题的内容，因此不作回答。"
        case .english: return "The documents do not cover this question, so there is no answer to give."
        }
    }

    /// The sentence the prompt tells the model to write when the passages lack the answer.
    public var unknownAnswer: String {
        switch self {
        case .chinese: return "资料中没有相关信息。"
        case .english: return "The passages do not say."
        }
    }
}
