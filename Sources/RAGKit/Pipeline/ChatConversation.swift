import Retrieval

/// A conversation with the index (`rag chat`): every answer becomes a turn that the next question is asked
/// after, so a follow-up is searched and written with it (`AskSettings.conversation`).
public struct ChatConversation {
    public let session: RAGSession
    /// The knobs of every question; its `conversation` is replaced by `turns` for each.
    public var settings: AskSettings
    /// The turns so far, oldest first, at most `ConversationTurn.maximumRemembered`.
    public private(set) var turns: [ConversationTurn] = []
    /// Questions answered since the conversation began (1 after the first), also past the turns remembered.
    public private(set) var answered = 0

    public init(session: RAGSession, settings: AskSettings) { self.session = session; self.settings = settings }

    /// Answers `question` after the turns so far and adds it to them; an error leaves the turns as they were.
    public mutating func ask(_ question: String, onLoadingGenerator: @escaping () -> Void = {},
                             onEvent: (AnswerEvent) throws -> Void = { _ in }) throws -> Answer {
        var asked = settings
        asked.conversation = turns
        let answer = try session.answer(question, settings: asked, onLoadingGenerator: onLoadingGenerator, onEvent: onEvent)
        turns = Array((turns + [ConversationTurn(answer)]).suffix(ConversationTurn.maximumRemembered))
        answered += 1
        return answer
    }

    /// Forgets the turns: the next question starts a new conversation.
    public mutating func startOver() {
        turns = []
        answered = 0
    }
}
