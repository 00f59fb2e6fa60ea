import Foundation

/// A file to ingest: where it is, how the user will see its path, and how to read it.
public struct SourceFile: Equatable, Sendable {
    /// Absolute, standardised: the document's identity in the index.
    public var absolutePath: String
    /// Relative to the working directory when inside it (as in `Corpus/09-pretraining.md`), else absolute.
    public var displayPath: String
    public var format: DocumentFormat
}

/// A file that was not ingested, and why (one line).
public struct SkippedFile: Equatable, Sendable, Codable {
    public var path: String
    public var reason: String
}

/// Expands the paths on the command line into the files to ingest: folders recursively (hidden entries
/// skipped, other extensions ignored), explicit files of an unknown type reported as skipped.
public enum SourceFiles {
    public static func collect(_ paths: [String], workingDirectory: URL) throws -> (files: [SourceFile], skipped: [SkippedFile]) {
        var files: [SourceFile] = [], skipped: [SkippedFile] = []
        var seen = Set<String>()
        for argument in paths {
            let url = (argument.hasPrefix("/") ? URL(fileURLWithPath: argument)
                                                : workingDirectory.appendingPathComponent(argument)).standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw IngestError.unreadablePath(argument, reason: "no such file or folder")
            }
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw IngestError.unreadablePath(argument, reason: "permission denied")
            }
            let candidates = isDirectory.boolValue ? try contents(of: url, argument: argument) : [url]
            for file in candidates where seen.insert(file.path).inserted {
                let display = displayPath(file, workingDirectory: workingDirectory)
                if let format = DocumentFormat(fileExtension: file.pathExtension) {
                    files.append(SourceFile(absolutePath: file.path, displayPath: display, format: format))
                } else if !isDirectory.boolValue {
                    skipped.append(SkippedFile(path: display, reason: "unsupported file type (rag reads \(DocumentFormat.extensionList))"))
                }
            }
        }
        return (files, skipped)
    }

    /// Regular files under `folder`, sorted by path, without hidden files or hidden folders.
    static func contents(of folder: URL, argument: String) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw IngestError.unreadablePath(argument, reason: "cannot list the folder")
        }
        var result: [URL] = []
        for case let url as URL in enumerator {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { result.append(url.standardizedFileURL) }
        }
        return result.sorted { $0.path < $1.path }
    }

    static func displayPath(_ file: URL, workingDirectory: URL) -> String {
        let base = workingDirectory.standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : file.path
    }
}
