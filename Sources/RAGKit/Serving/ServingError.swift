/// Why a server (or another front-end serving many requests) could not take a request; each message is
/// one line a client can show.
public enum ServingError: Error, Equatable, CustomStringConvertible {
    /// Every place in the generation line is taken.
    case queueFull(waiting: Int)
    /// The client stopped listening; the work for it was abandoned.
    case clientGone

    public var description: String {
        switch self {
        case .queueFull(let waiting):
            return "the generator is busy (\(waiting) questions are waiting): try again in a few seconds"
        case .clientGone: return "the client closed the connection"
        }
    }
}
