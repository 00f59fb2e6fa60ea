import Foundation
import Store
import XCTest

/// Kills a real `rag ingest` process with SIGKILL half-way and checks the index still opens and the rerun
/// finishes the job. Needs the built `rag` binary next to the test bundle (swift build / swift test build it).
final class KilledIngestTests: XCTestCase {
    var ragBinary: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rag") }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = ragBinary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testKilledIngestLeavesAnIndexTheRerunCompletes() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: ragBinary.path),
                          "the rag binary is not built next to the tests (\(ragBinary.path))")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let docs = folder.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        let fileCount = 400
        for i in 0..<fileCount {
            // Short documents: every passage goes through the real encoder, so keep the whole run to seconds.
            let text = "第\(i)篇文档讲预训练和微调。"
            try text.write(to: docs.appendingPathComponent(String(format: "doc%03d.txt", i)), atomically: false, encoding: .utf8)
        }
        let index = folder.appendingPathComponent("index.sqlite").path

        let victim = Process()
        victim.executableURL = ragBinary
        victim.arguments = ["ingest", docs.path, "--index", index, "--quiet"]
        victim.standardOutput = FileHandle.nullDevice
        victim.standardError = FileHandle.nullDevice
        try victim.run()
        // Kill it once a few documents are committed, while it is still going.
        let deadline = Date().addingTimeInterval(30)
        // Look only once the victim has its WAL (its schema is made), and only read: a reader that opened the
        // file while the victim was still creating it could make the victim's own set-up fail as locked.
        while victim.isRunning, Date() < deadline {
            if FileManager.default.fileExists(atPath: index + "-wal"),
               let store = try? PassageStore.open(at: index, create: false, access: .read),
               (try? store.statistics().documents) ?? 0 >= 5 { break }
            usleep(20_000)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        XCTAssertEqual(victim.terminationReason, .uncaughtSignal)

        let stats = try run(["stats", "--index", index, "--json"])
        XCTAssertEqual(stats.status, 0, "the index opens after SIGKILL")
        let before = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])["documents"] as? Int
        let rerun = try run(["ingest", docs.path, "--index", index, "--json", "--quiet"])
        XCTAssertEqual(rerun.status, 0)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])
        if before == fileCount { throw XCTSkip("the ingest finished before it could be killed") }
        XCTAssertGreaterThanOrEqual(before ?? 0, 5)
        XCTAssertEqual(summary["unchanged"] as? Int, before, "documents committed before the kill are kept")
        XCTAssertEqual((summary["added"] as? Int ?? 0) + (summary["unchanged"] as? Int ?? 0), fileCount)
        let after = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try run(["stats", "--index", index, "--json"]).stdout.utf8)) as? [String: Any])
        XCTAssertEqual(after["documents"] as? Int, fileCount)
    }
}
