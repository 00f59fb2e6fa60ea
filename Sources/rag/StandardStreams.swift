import Foundation

/// The process's standard streams, written so that a closed or full stream never kills rag. Foundation's
/// `FileHandle.write` traps on EBADF or ENOSPC, so notes and progress (for a person who may not be
/// listening) go to stderr through write(2), best effort; the data on stdout goes through `print`'s buffer
/// and is checked when flushed, so a full disk or a closed pipe is an error instead of a silent exit 0.
enum StandardStreams {
    /// Writes `text` to stderr; a closed or full stderr is ignored.
    static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written > 0 { offset += written } else if written < 0, errno == EINTR { continue } else { return }
        }
    }

    /// Writes `text` to stdout now (for streamed output); throws when stdout no longer takes it.
    static func writeOutput(_ text: String) throws {
        print(text, terminator: "")
        try flushOutput()
    }

    /// Flushes stdout; throws `OutputError` when anything printed since the start did not reach it.
    static func flushOutput() throws {
        if fflush(stdout) != 0 || ferror(stdout) != 0 {
            throw OutputError.unwritable(reason: String(cString: strerror(errno)))
        }
    }
}

/// The command's output could not be written (stdout is a full disk, or was closed).
enum OutputError: Error, CustomStringConvertible {
    case unwritable(reason: String)

    var description: String {
        switch self {
        case .unwritable(let reason): "cannot write the output to stdout (\(reason)): free space or redirect it elsewhere"
        }
    }
}
