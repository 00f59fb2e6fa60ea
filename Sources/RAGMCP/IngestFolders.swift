import Foundation
import Retrieval

/// The folders `rag mcp --allow-ingest DIR` lets the ingest tool read. A path is inside when its real
/// path (links and `..` resolved, as realpath(3) gives it) is one of them or below one; so is every file a
/// folder expands to, since a folder may hold links to files elsewhere (ingest follows linked files).
public struct IngestFolders: Sendable {
    /// Real paths of the allowed folders.
    public let roots: [String]

    /// Resolves each folder; a folder that does not exist or is not a folder is an error.
    public init(_ folders: [String], workingDirectory: String = FileManager.default.currentDirectoryPath) throws {
        roots = try folders.map { folder in
            guard let real = Self.realPath(folder, workingDirectory: workingDirectory) else { throw IngestPermissionError.noFolder(folder) }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: real, isDirectory: &isFolder), isFolder.boolValue else {
                throw IngestPermissionError.noFolder(folder)
            }
            return real
        }
    }

    public var isEmpty: Bool { roots.isEmpty }

    /// Checks that every path, and every file it expands to, lies inside an allowed folder.
    func check(_ paths: [String], workingDirectory: String) throws {
        guard !roots.isEmpty else { throw IngestPermissionError.notAllowed }
        for path in paths {
            guard let real = Self.realPath(path, workingDirectory: workingDirectory) else { throw IngestPermissionError.missing(path) }
            guard contains(real) else { throw IngestPermissionError.outside(path, resolved: real, roots: roots) }
        }
        let (files, _) = try SourceFiles.collect(paths, workingDirectory: URL(fileURLWithPath: workingDirectory))
        for file in files {
            let real = Self.realPath(file.absolutePath, workingDirectory: workingDirectory) ?? file.absolutePath
            guard contains(real) else { throw IngestPermissionError.outside(file.displayPath, resolved: real, roots: roots) }
        }
    }

    func contains(_ real: String) -> Bool {
        roots.contains { root in real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") }
    }

    static func realPath(_ path: String, workingDirectory: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path)
        guard let resolved = realpath(absolute, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// An ingest the server may not run, in one line.
public enum IngestPermissionError: Error, Equatable, CustomStringConvertible {
    case notAllowed
    case noFolder(String)
    case missing(String)
    case outside(String, resolved: String, roots: [String])

    public var description: String {
        switch self {
        case .notAllowed:
            "ingest is off: this server was started without --allow-ingest DIR, so it only reads the index"
        case .noFolder(let folder):
            "--allow-ingest \(folder): no such folder"
        case .missing(let path):
            "ingest: \(path): no such file or folder"
        case .outside(let path, let resolved, let roots):
            "ingest: \(path) (\(resolved)) is outside the folders this server may ingest from: \(roots.joined(separator: ", "))"
        }
    }
}
