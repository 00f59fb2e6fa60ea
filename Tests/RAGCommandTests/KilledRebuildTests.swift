import Foundation
import Store
import XCTest

/// Issue 9: `--rebuild` deleted the old index first, so a kill part-way left a partial one (4 of 14
/// documents). It now builds beside the old index and swaps it in only when done.
final class KilledRebuildTests: XCTestCase {
    func testAKilledRebuildLeavesTheOldIndexWholeAndTheNextOneReplacesIt() throws {
        try RagProcess.skipUnlessBuilt()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-rebuild-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = folder.appendingPathComponent("old"), new = folder.appendingPathComponent("new")
        for (dir, count) in [(old, 3), (new, 80)] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for i in 0..<count {
                try "第\(i)篇文档讲\(dir.lastPathComponent)的预训练和微调。".write(
                    to: dir.appendingPathComponent(String(format: "doc%03d.txt", i)), atomically: false, encoding: .utf8)
            }
        }
        let index = folder.appendingPathComponent("index.sqlite").path
        XCTAssertEqual(try RagProcess.run(["ingest", old.path, "--index", index, "--quiet"]).status, 0)

        let victim = Process()
        victim.executableURL = RagProcess.binary
        victim.arguments = ["ingest", new.path, "--rebuild", "--index", index, "--quiet"]
        victim.standardOutput = FileHandle.nullDevice
        victim.standardError = FileHandle.nullDevice
        try victim.run()
        let staging = PassageStore.stagingPath(forRebuildOf: index)
        let deadline = Date().addingTimeInterval(30)
        while victim.isRunning, Date() < deadline {
            if FileManager.default.fileExists(atPath: staging),
               let store = try? PassageStore.open(at: staging, create: false, access: .read), (try? store.statistics().documents) ?? 0 >= 5 { break }
            usleep(2_000)
        }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        if victim.terminationReason != .uncaughtSignal { throw XCTSkip("the rebuild finished before it could be killed") }

        let store = try PassageStore.open(at: index, create: false, access: .read)
        XCTAssertEqual(try store.allDocuments().map(\.path).filter { $0.contains("/old/") }.count, 3, "the old index is whole")
        XCTAssertEqual(try store.statistics().documents, 3)
        XCTAssertEqual(try store.integrityCheck(), "ok")

        let rerun = try RagProcess.run(["ingest", new.path, "--rebuild", "--index", index, "--json", "--quiet"])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        let rebuilt = try PassageStore.open(at: index, create: false, access: .read)
        XCTAssertEqual(try rebuilt.statistics().documents, 80)
        XCTAssertEqual(try rebuilt.allDocuments().filter { $0.path.contains("/old/") }.count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging), "the staging file is moved into place")
    }
}
