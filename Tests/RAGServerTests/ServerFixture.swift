import Foundation
import Hummingbird
import HummingbirdTesting
import ModelFiles
import RAGKit
@testable import RAGServer
import XCTest

/// A small index of real documents embedded by the real encoder, and a service over it.
final class ServerFixture {
    let folder: URL
    var indexPath: String { folder.appendingPathComponent("index.sqlite").path }

    static var modelsPresent: Bool {
        FileManager.default.fileExists(atPath: ModelDirectory.default.url(for: .encoder).path)
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rag-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try write("docs/pretraining.md", """
            # 预训练

            预训练是在海量无标注文本上训练语言模型的阶段。模型通过预测下一个词元来学习语言的规律和世界知识。预训练之后的模型称为基础模型。
            """)
        try write("docs/finetuning.md", """
            # 微调

            监督微调用人工写的问答对继续训练基础模型，让它学会按指令回答问题。微调需要的数据比预训练少得多。
            """)
        var job = IngestJob(paths: ["docs"], indexPath: indexPath, threads: 2)
        job.workingDirectory = folder
        _ = try job.run()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func write(_ name: String, _ text: String) throws {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func settings(_ change: (inout ServeSettings) -> Void = { _ in }) -> ServeSettings {
        var settings = ServeSettings(indexPath: indexPath, uploadsFolder: folder.appendingPathComponent("uploads").path, threads: 2)
        change(&settings)
        return settings
    }

    func application(_ change: (inout ServeSettings) -> Void = { _ in }) throws -> some ApplicationProtocol {
        Application(router: RAGServer.router(for: try RAGService(settings: settings(change))))
    }
}

extension TestResponse {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:] }
    var text: String { String(buffer: body) }
    /// The message of a JSON error body (nil when the body is not one).
    var errorMessage: String? { (json["error"] as? [String: Any])?["message"] as? String }
}

func jsonBody(_ object: Any) -> ByteBuffer { ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object)) }
let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// The events of a Server-Sent Events body, in order.
func serverSentEvents(_ text: String) -> [(name: String?, data: String)] {
    text.components(separatedBy: "\n\n").compactMap { block in
        var name: String?, data: [String] = []
        for line in block.split(separator: "\n") {
            if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        return data.isEmpty ? nil : (name, data.joined(separator: "\n"))
    }
}
