import Foundation
import XCTest

/// Runs the built `rag` binary (next to the test bundle: swift build / swift test build it) as a user's
/// shell would, with chosen standard streams, for what only a real process shows: exit statuses,
/// signals, closed or full streams.
enum RagProcess {
    static var binary: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rag") }

    static func skipUnlessBuilt() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "the rag binary is not built next to the tests (\(binary.path))")
    }

    /// Where a stream goes: captured, thrown away, a full disk (/dev/full), or closed.
    enum Stream { case captured, discarded, full, closed }

    struct Result {
        var status: Int32
        var signalled: Bool
        var stdout: String
        var stderr: String
    }

    /// `input`: what the process reads on stdin (default: nothing, /dev/null).
    static func run(_ arguments: [String], stdout: Stream = .captured, stderr: Stream = .captured,
                    directory: URL? = nil, input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rag-process-\(UUID().uuidString)")
        let outFile = scratch.appendingPathExtension("out"), errFile = scratch.appendingPathExtension("err")
        let inFile = scratch.appendingPathExtension("in")
        defer { for file in [outFile, errFile, inFile] { try? FileManager.default.removeItem(at: file) } }
        func attach(_ stream: Stream, _ file: URL) throws -> Any? {
            switch stream {
            case .captured:
                _ = FileManager.default.createFile(atPath: file.path, contents: nil)
                return try FileHandle(forWritingTo: file)
            case .discarded: return FileHandle.nullDevice
            case .full: return try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
            case .closed: return nil
            }
        }
        process.standardOutput = try attach(stdout, outFile)
        process.standardError = try attach(stderr, errFile)
        if let input {
            try Data(input.utf8).write(to: inFile)
            process.standardInput = try FileHandle(forReadingFrom: inFile)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        // A closed stream: Foundation cannot start a child with a closed descriptor, so the shell does it.
        if stdout == .closed || stderr == .closed {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let redirections = (stdout == .closed ? " >&-" : "") + (stderr == .closed ? " 2>&-" : "")
            process.arguments = ["-c", "exec \"$0\" \"$@\"" + redirections, binary.path] + arguments
        }
        try process.run()
        process.waitUntilExit()
        let out = (try? Data(contentsOf: outFile)) ?? Data(), err = (try? Data(contentsOf: errFile)) ?? Data()
        return Result(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
