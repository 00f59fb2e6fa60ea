import Foundation
import XCTest

/// Issue 9's catalogue of bad input, through the real `rag` binary: each case checks the exit status, the
/// one-line message on stderr, and that the index still opens with every document it held before.
final class BadInputCatalogueTests: XCTestCase {
    var folder: URL!
    var index: String { folder.appendingPathComponent("index.sqlite").path }
    var docs: String { folder.appendingPathComponent("docs").path }

    override func setUpWithError() throws {
        try RagProcess.skipUnlessBuilt()
        let models = ProcessInfo.processInfo.environment["RAG_MODELS"] ?? NSHomeDirectory() + "/.cache/rag/models"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: models + "/e5-small-q4.bin"), "the encoder is not fetched")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-catalogue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: docs, withIntermediateDirectories: true)
        try "# 预训练\n\n预训练让模型在海量文本上学习预测下一个词元。".write(toFile: docs + "/pre.md", atomically: true, encoding: .utf8)
        try "监督微调用人工写的问答对继续训练模型。".write(toFile: docs + "/sft.txt", atomically: true, encoding: .utf8)
        try "<h1>RLHF</h1><p>奖励模型学习人类偏好。</p>".write(toFile: docs + "/rlhf.html", atomically: true, encoding: .utf8)
        let first = try RagProcess.run(["ingest", docs, "--index", index, "--quiet"])
        XCTAssertEqual(first.status, 0, first.stderr)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// The index opens and holds the three documents of `setUp`.
    func assertIndexIntact(_ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let stats = try RagProcess.run(["stats", "--index", index, "--json"])
        XCTAssertEqual(stats.status, 0, "\(label): \(stats.stderr)", file: file, line: line)
        let documents = (try? JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])?["documents"] as? Int
        XCTAssertEqual(documents, 3, label, file: file, line: line)
    }

    struct Case {
        var name: String
        var arguments: [String]
        var stdout: RagProcess.Stream = .captured
        var stderr: RagProcess.Stream = .captured
        /// nil: must succeed; else the one line stderr must contain (after "Error: ").
        var error: String?
    }

    func testEachBadInputGetsOneLineAndLosesNothing() throws {
        let foreign = folder.appendingPathComponent("foreign.db").path
        try sqlite(foreign, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        let notes = folder.appendingPathComponent("notes.md").path
        try "# my notes\n".write(toFile: notes, atomically: true, encoding: .utf8)
        let untouched = [foreign: try Data(contentsOf: URL(fileURLWithPath: foreign)), notes: try Data(contentsOf: URL(fileURLWithPath: notes))]
        let empty = folder.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let i = ["--index", index]

        let cases: [Case] = [
            Case(name: "ingest with stderr closed", arguments: ["ingest", docs] + i, stderr: .closed),
            Case(name: "ingest with stderr full", arguments: ["ingest", docs, "--rebuild"] + i, stderr: .full),
            Case(name: "search with stderr closed", arguments: ["search", "预训练", "--json"] + i, stderr: .closed),
            Case(name: "search with stdout full", arguments: ["search", "预训练", "--json"] + i, stdout: .full,
                 error: "cannot write the output to stdout (No space left on device)"),
            Case(name: "list with stdout full", arguments: ["list", "--json"] + i, stdout: .full, error: "cannot write the output to stdout"),
            Case(name: "negative k", arguments: ["search", "预训练", "-k", "-1"] + i, error: "-k must be at least 1"),
            Case(name: "NaN temperature", arguments: ["ask", "预训练", "--temperature", "nan"] + i, error: "--temperature must be a number, 0 or more"),
            Case(name: "infinite temperature", arguments: ["generate", "hi", "--temperature", "inf"], error: "--temperature must be a number, 0 or more"),
            Case(name: "negative top-p", arguments: ["ask", "预训练", "--top-p", "-0.5"] + i, error: "--top-p must be in (0, 1]"),
            Case(name: "negative max-tokens", arguments: ["generate", "hi", "--max-tokens", "-5"], error: "--max-tokens must be at least 1"),
            Case(name: "negative seed", arguments: ["generate", "hi", "--seed", "-1"], error: "The value '-1' is invalid for '--seed <seed>'"),
            Case(name: "negative chunk size", arguments: ["ingest", docs, "--chunk-size", "-5"] + i, error: "--chunk-size -5 is too small"),
            Case(name: "negative overlap", arguments: ["ingest", docs, "--overlap", "-1"] + i, error: "--overlap -1 must be at least 0"),
            Case(name: "chunk size beyond the encoder", arguments: ["ingest", docs, "--chunk-size", "100000"] + i,
                 error: "--chunk-size 100000 is more than the encoder reads at once (508 tokens)"),
            Case(name: "bad file size", arguments: ["ingest", docs, "--max-file-size", "lots"] + i, error: "--max-file-size lots is not a size"),
            Case(name: "empty index path", arguments: ["stats", "--index", ""], error: "the index path is empty: pass --index PATH"),
            Case(name: "index path is a folder", arguments: ["search", "预训练", "--index", docs], error: "\(docs) is a folder, not an index file"),
            Case(name: "another application's SQLite file", arguments: ["search", "预训练", "--index", foreign], error: "\(foreign) is not a rag index"),
            Case(name: "rebuild over a Markdown file", arguments: ["ingest", docs, "--rebuild", "--index", notes], error: "\(notes) is not a rag index"),
            Case(name: "control characters as a question", arguments: ["ask", "\u{1}\u{2}\u{3}"] + i,
                 error: "the query has no letters, digits or Chinese characters to search for"),
            Case(name: "punctuation as a question", arguments: ["ask", "???", "--mode", "retrieve"] + i, error: "the query has no letters"),
            Case(name: "a 100 kB question", arguments: ["ask", String(repeating: "what is pre-training? ", count: 4_500), "--mode", "retrieve"] + i,
                 error: "the query is 99000 characters long; the limit is 2000"),
            Case(name: "a device as a document", arguments: ["ingest", "/dev/null"] + i),
            Case(name: "an empty folder", arguments: ["ingest", empty] + i),
            Case(name: "a prompt over the context", arguments: ["generate", String(repeating: "预训练。", count: 200), "--ctx", "64"],
                 error: "do not fit in --ctx 64; shorten the prompt, lower --max-tokens or raise --ctx"),
        ]
        for test in cases {
            let result = try RagProcess.run(test.arguments, stdout: test.stdout, stderr: test.stderr)
            XCTAssertFalse(result.signalled, "\(test.name): killed by a signal")
            if let error = test.error {
                XCTAssertNotEqual(result.status, 0, test.name)
                let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
                XCTAssertTrue(firstLine.hasPrefix("Error: ") && firstLine.contains(error), "\(test.name): \(result.stderr)")
                XCTAssertFalse(result.stderr.contains("Fatal error") || result.stderr.contains("Stack dump"), test.name)
            } else {
                XCTAssertEqual(result.status, 0, "\(test.name): \(result.stderr)")
            }
            try assertIndexIntact(test.name)
        }
        for (path, bytes) in untouched {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), bytes, "\(path) is left as it was")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"), "\(path) was not switched to WAL")
        }
    }

    func testSkipsAndNotesAreOneLineEachOnStderr() throws {
        let weird = docs + "/new\nline.txt"
        try "换行的文件名。".write(toFile: weird, atomically: true, encoding: .utf8)
        let empty = folder.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let result = try RagProcess.run(["ingest", docs, "/dev/null", "--index", index])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("skipped /dev/null: a device, not a regular file\n"), result.stderr)
        XCTAssertTrue(result.stderr.contains("added \(docs)/new\\u{a}line.txt (1 passages)\n"), result.stderr)
        let nothing = try RagProcess.run(["ingest", empty, "--index", index])
        XCTAssertTrue(nothing.stderr.contains("note: no .txt, .md, .html, .htm, .pdf, .docx and .epub files found in \(empty)"), nothing.stderr)
    }

    func testANonsenseQuestionIsNotCovered() throws {
        let result = try RagProcess.run(["ask", "qwertyuiop", "--mode", "retrieve", "--json", "--index", index])
        XCTAssertEqual(result.status, 0, result.stderr)
        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(answer["covered"] as? Bool, false)
        XCTAssertEqual(answer["shares_term"] as? Bool, false)
        let real = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try RagProcess.run(
            ["ask", "预训练让模型学习什么", "--mode", "retrieve", "--json", "--index", index]).stdout.utf8)) as? [String: Any])
        XCTAssertEqual(real["shares_term"] as? Bool, true)
    }

    func testReadCommandsWorkWhileAnotherProcessHoldsTheWriteLock() throws {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute('BEGIN EXCLUSIVE'); c.execute("INSERT INTO index_metadata VALUES ('held', 'yes')")
            print('locked', flush=True); time.sleep(20)
            """, index]
        let pipe = Pipe()
        holder.standardOutput = pipe
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        XCTAssertTrue(String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("locked"))
        for arguments in [["stats"], ["search", "预训练"], ["ask", "什么是预训练", "--mode", "retrieve"], ["list"]] {
            let started = Date()
            let result = try RagProcess.run(arguments + ["--index", index])
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 2.5, "\(arguments) did not wait for the lock")
        }
        let write = try RagProcess.run(["ingest", docs, "--index", index, "--rebuild"])
        XCTAssertEqual(write.status, 0, "a rebuild writes beside the locked index: \(write.stderr)")
    }

    func testAnImmutableIndexCanBeSearchedButNotWritten() throws {
        let chattr = Process()
        chattr.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        chattr.arguments = ["chattr", "+i", index]
        chattr.standardError = FileHandle.nullDevice
        try chattr.run(); chattr.waitUntilExit()
        try XCTSkipUnless(chattr.terminationStatus == 0, "chattr +i is not available here")
        defer {
            let undo = Process()
            undo.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            undo.arguments = ["chattr", "-i", index]
            try? undo.run(); undo.waitUntilExit()
        }
        let search = try RagProcess.run(["search", "预训练", "--index", index, "--json"])
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertTrue(search.stdout.contains("pre.md"))
        try "新的文件。".write(toFile: docs + "/new.txt", atomically: true, encoding: .utf8)
        let ingest = try RagProcess.run(["ingest", docs, "--index", index])
        XCTAssertNotEqual(ingest.status, 0)
        XCTAssertTrue(ingest.stderr.hasPrefix("Error: cannot write to the index \(index): it, or its folder, is read-only"), ingest.stderr)
    }

    /// A disk that fills up mid-ingest: the document being written is rolled back, the error says how much
    /// is stored, the index stays valid, and a rerun with room finishes the job.
    func testAFullDiskMidIngestRollsBackOneDocumentAndSaysWhatIsStored() throws {
        let mount = folder.appendingPathComponent("small-disk").path
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        guard (try? runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=400k", "tmpfs", mount])) == 0 else {
            throw XCTSkip("cannot mount a small tmpfs here (needs root)")
        }
        defer { _ = try? runTool("/bin/umount", [mount]) }
        let many = folder.appendingPathComponent("many").path
        try FileManager.default.createDirectory(atPath: many, withIntermediateDirectories: true)
        for n in 0..<60 {
            let text = (0..<12).map { "第\(n)篇第\($0)段讲预训练、微调和人类反馈强化学习的不同做法。" }.joined(separator: "\n\n")
            try text.write(toFile: many + String(format: "/doc%02d.txt", n), atomically: true, encoding: .utf8)
        }
        let small = mount + "/index.sqlite"
        let full = try RagProcess.run(["ingest", many, "--index", small, "--quiet"])
        XCTAssertNotEqual(full.status, 0, "60 documents with vectors do not fit in 400 kB")
        XCTAssertTrue(full.stderr.hasPrefix("Error: the disk holding \(small) is full: the document being written was rolled back"), full.stderr)
        XCTAssertTrue(full.stderr.contains("(the index holds "), full.stderr)
        let stats = try RagProcess.run(["stats", "--index", small, "--json"])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        let stored = (try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])?["documents"] as? Int ?? -1
        XCTAssertGreaterThan(stored, 0)
        XCTAssertLessThan(stored, 60)
        XCTAssertTrue(full.stderr.contains("(the index holds \(stored) documents)"), full.stderr)
    }

    @discardableResult
    func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run(); process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs SQL with python3's sqlite3, as another application would write its own database.
    func sqlite(_ path: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()", path, sql]
        try process.run(); process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
