/// The line for the one decoder: generated answers take turns in arrival order. At most `capacity`
/// requests wait behind the one generating; one more is refused (`ServingError.queueFull`), so memory
/// and waiting times stay bounded under load. A request that gives up (its client went away) leaves the
/// line, and if it held the turn, the next one gets it at once.
public actor GenerationQueue {
    /// A place in the line.
    public struct Ticket: Hashable, Sendable { let number: UInt64 }

    public nonisolated let capacity: Int
    /// The ticket generating first, then those waiting, in order.
    private var line: [Ticket] = []
    private var next: UInt64 = 0
    /// Tickets waiting for their turn inside `wait(for:upTo:)`.
    private var sleepers: [Ticket: CheckedContinuation<Bool, Never>] = [:]

    public init(capacity: Int) { self.capacity = max(0, capacity) }

    /// Requests generating or waiting now.
    public var count: Int { line.count }

    /// Joins the line; throws `ServingError.queueFull` when `capacity` requests already wait.
    public func join() throws -> Ticket {
        guard line.count <= capacity else { throw ServingError.queueFull(waiting: line.count - 1) }
        let ticket = Ticket(number: next)
        next += 1
        line.append(ticket)
        return ticket
    }

    /// Requests ahead of `ticket` (0: its turn).
    public func position(of ticket: Ticket) -> Int? { line.firstIndex(of: ticket) }

    /// Waits until it is `ticket`'s turn (true) or `limit` has passed (false), so a caller can check on its
    /// client between waits.
    public func wait(for ticket: Ticket, upTo limit: Duration) async -> Bool {
        if line.first == ticket { return true }
        guard line.contains(ticket) else { return false }
        Task { [weak self] in
            try? await Task.sleep(for: limit)
            await self?.wake(ticket, hasTurn: false)
        }
        return await withCheckedContinuation { sleepers[ticket] = $0 }
    }

    /// Leaves the line, done or given up; the next ticket's turn starts.
    public func leave(_ ticket: Ticket) {
        guard let place = line.firstIndex(of: ticket) else { return }
        line.remove(at: place)
        wake(ticket, hasTurn: false)
        if place == 0, let first = line.first { wake(first, hasTurn: true) }
    }

    private func wake(_ ticket: Ticket, hasTurn: Bool) {
        sleepers.removeValue(forKey: ticket)?.resume(returning: hasTurn)
    }
}
