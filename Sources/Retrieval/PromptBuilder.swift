import Store

/// A passage as it went into the prompt, numbered as the model will cite it.
public struct PromptPassage: Equatable, Sendable {
    /// 1-based: the model cites this passage as "[n]".
    public var number: Int
    public var chunk: StoredChunk
    /// The text the model saw: the chunk's leading whole sentences that fitted the budget, on one line.
    public var text: String
    /// True when sentences (or, for an over-long first sentence, characters) were left out.
    public var isTrimmed: Bool
    /// The headings shown before the text (focused context), outermost first.
    public var headings: [String] = []
}

/// A chat prompt ready for an `AnswerWriter`.
public struct AnswerPrompt: Equatable, Sendable {
    public var system: String
    /// The earlier turns that fitted, oldest first, as user and assistant turns (answers without their "[n]").
    public var history: [ChatTurn] = []
    /// The passages and the question.
    public var user: String
    public var passages: [PromptPassage]
    public var language: QuestionLanguage
    /// Tokens of the templated prompt as the writer counts them.
    public var tokenCount: Int

    /// What the generator is given: the instructions, the history, then the passages and the question.
    public var turns: [ChatTurn] { [ChatTurn(.system, system)] + history + [ChatTurn(.user, user)] }
}

/// Why no prompt could be built.
public enum PromptError: Error, Equatable, CustomStringConvertible {
    case questionTooLong(tokens: Int, budget: Int)

    public var description: String {
        switch self {
        case .questionTooLong(let tokens, let budget):
            return "the question alone takes \(tokens) tokens of prompt, more than the \(budget) the context leaves after the answer's --max-tokens: shorten the question or lower --max-tokens"
        }
    }
}

/// Builds the generative answer's prompt: instructions in the question's language (answer only from the
/// passages, say so when they lack the answer), then the passages numbered [1], [2] …, best
/// first, then the question. Passages fill what the token budget leaves after the question: each keeps its
/// leading whole sentences; a passage with no sentence that fits ends the list (an over-long first
/// sentence of the first passage is cut at a character boundary instead, so the model sees something).
/// In a conversation the latest earlier turns come between the instructions and the passages, as many as fit
/// a third of the budget, oldest dropped first: the passages of this question matter more than old answers.
public struct PromptBuilder {
    /// Prompt tokens at most, even when the context has room for more: prefill time grows with it.
    public static let defaultMaximumPromptTokens = 1536
    /// Earlier turns take at most the prompt budget divided by this: a third.
    public static let historyShare = 3

    public let writer: AnswerWriter
    public let maximumPromptTokens: Int

    public init(writer: AnswerWriter, maximumPromptTokens: Int = defaultMaximumPromptTokens) {
        self.writer = writer; self.maximumPromptTokens = maximumPromptTokens
    }

    /// The budget for the templated prompt: what the context leaves after the answer, capped.
    public func budget(maxAnswerTokens: Int) -> Int {
        min(maximumPromptTokens, writer.contextLength - maxAnswerTokens)
    }

    /// The prompt for whole passages, each from its start.
    public func prompt(question: String, passages chunks: [StoredChunk], conversation: [ConversationTurn] = [],
                       maxAnswerTokens: Int) throws -> AnswerPrompt {
        try prompt(question: question, excerpts: chunks.map(PassageExcerpt.init(whole:)), conversation: conversation,
                   maxAnswerTokens: maxAnswerTokens)
    }

    public func prompt(question: String, excerpts: [PassageExcerpt], conversation: [ConversationTurn] = [],
                       maxAnswerTokens: Int) throws -> AnswerPrompt {
        let language = QuestionLanguage(of: question)
        let system = Self.instructions(language)
        let budget = self.budget(maxAnswerTokens: maxAnswerTokens)
        let bareUser = Self.user(question: question, passages: [], language: language)
        let questionOnly = writer.promptTokenCount(system: system, user: bareUser)
        guard questionOnly <= budget else { throw PromptError.questionTooLong(tokens: questionOnly, budget: budget) }
        let history = self.history(conversation, system: system, spare: min(budget / Self.historyShare, budget - questionOnly))
        func count(_ user: String) -> Int { writer.promptTokenCount([ChatTurn(.system, system)] + history + [ChatTurn(.user, user)]) }
        let bare = count(bareUser)

        // Greedy fill using per-sentence counts (cheap), then the exact count of the assembled prompt decides.
        var selections: [[String]] = []
        var spent = bare
        for (index, excerpt) in excerpts.enumerated() {
            let label = writer.tokenCount(Self.label(number: index + 1, headings: excerpt.headings, language: language) + "\n")
            var kept: [String] = []
            var cost = label
            for sentence in excerpt.sentences {
                let tokens = writer.tokenCount(sentence)
                guard spent + cost + tokens <= budget else { break }
                kept.append(sentence); cost += tokens
            }
            if kept.isEmpty, index == 0, let first = excerpt.sentences.first {
                kept = [prefix(of: first, fitting: budget - spent - label)].filter { !$0.isEmpty }
            }
            if kept.last == PassageExcerpt.gap { kept.removeLast() }
            if kept.isEmpty { break }
            selections.append(kept); spent += cost
        }

        while true {
            let passages = selections.enumerated().map { index, kept in
                let excerpt = excerpts[index]
                return PromptPassage(number: index + 1, chunk: excerpt.chunk, text: Self.join(kept),
                                     isTrimmed: excerpt.leavesOut || kept.count < excerpt.sentences.count
                                         || kept.last.map { !excerpt.chunk.text.contains($0) } ?? false,
                                     headings: excerpt.headings)
            }
            let user = Self.user(question: question, passages: passages, language: language)
            let tokens = count(user)
            if tokens <= budget || selections.isEmpty {
                return AnswerPrompt(system: system, history: history, user: user, passages: passages, language: language, tokenCount: tokens)
            }
            // Token merges across sentence joins made the estimate short: drop the last sentence and recount.
            selections[selections.count - 1].removeLast()
            if selections[selections.count - 1].last == PassageExcerpt.gap { selections[selections.count - 1].removeLast() }
            if selections[selections.count - 1].isEmpty { selections.removeLast() }
        }
    }

    /// The latest turns of `conversation` whose question and answer fit in `spare` tokens together, oldest first.
    func history(_ conversation: [ConversationTurn], system: String, spare: Int) -> [ChatTurn] {
        let base = writer.promptTokenCount([ChatTurn(.system, system)])
        var kept: [ChatTurn] = []
        for turn in conversation.reversed() {
            let pair = [ChatTurn(.user, turn.question), ChatTurn(.assistant, turn.answerWithoutCitations)]
            guard writer.promptTokenCount([ChatTurn(.system, system)] + pair + kept) - base <= spare else { break }
            kept = pair + kept
        }
        return kept
    }

    /// The longest prefix of `sentence` (whole Characters, so never half a character) within `tokens`.
    func prefix(of sentence: String, fitting tokens: Int) -> String {
        let characters = Array(sentence)
        var low = 0, high = characters.count
        while low < high {
            let middle = (low + high + 1) / 2
            if writer.tokenCount(String(characters[..<middle])) <= tokens { low = middle } else { high = middle - 1 }
        }
        return String(characters[..<low])
    }

    /// A chunk's sentences, each on one line (line breaks inside a passage would break the numbered list).
    static func sentences(of text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return SentenceSplitter.sentences(in: scalars, 0..<scalars.count).map { String(String.UnicodeScalarView(scalars[$0])) }
    }

    /// Sentences back into one line: a space between two Latin-script sentences, none after Chinese punctuation.
    static func join(_ sentences: [String]) -> String {
        var line = ""
        for sentence in sentences {
            if let last = line.unicodeScalars.last, let first = sentence.unicodeScalars.first, last.isASCII, first.isASCII {
                line += " "
            }
            line += sentence
        }
        return line
    }

    /// The system turn. Qwen2.5-Coder-0.5B answers well from this short shape but, asked in the prompt to
    /// write "[n]" citations (six wordings tried, see BENCHMARKS.md), it answers with the marker alone or
    /// copies the passage list; so the prompt asks for a grounded answer only, and `CitationAttribution`
    /// adds the numbers the model leaves out, marked as attributed.
    static func instructions(_ language: QuestionLanguage) -> String {
        switch language {
        case .chinese:
            return "你是一个问答助手。请仅依据用户给出的资料，用中文简明地回答问题；资料里找不到答案时，就回答“\(language.unknownAnswer)”"
        case .english:
            return "You are a question-answering assistant. Answer the question briefly in English, using only the passages "
                + "the user gives; when they do not contain the answer, reply \"\(language.unknownAnswer)\""
        }
    }

    /// "[n] " and, when there are headings, "（A › B）" (or "(A › B) ") before a passage's text.
    static func label(number: Int, headings: [String], language: QuestionLanguage) -> String {
        guard !headings.isEmpty else { return "[\(number)] " }
        let path = headings.joined(separator: " › ")
        return language == .chinese ? "[\(number)] （\(path)）" : "[\(number)] (\(path)) "
    }

    /// The numbered passages, then the question (ending in a question mark, as the model saw in training).
    static func user(question: String, passages: [PromptPassage], language: QuestionLanguage) -> String {
        let list = passages.map { label(number: $0.number, headings: $0.headings, language: language) + $0.text }.joined(separator: "\n")
        var asked = question.trimmingWhitespace
        if let last = asked.unicodeScalars.last, !SentenceSplitter.terminators.contains(last), last != "." {
            asked += language == .chinese ? "？" : "?"
        }
        switch language {
        case .chinese: return "资料：\n\(list)\n\n问题：\(asked)"
        case .english: return "Passages:\n\(list)\n\nQuestion: \(asked)"
        }
    }
}
