import Foundation

/// A file to ingest: where it is, how the user will see its path, and how to read it.
public struct SourceFile: Equatable, Sendable {
    /// Absolute, with symbolic links resolved: the document's identity in the index, so one file reached
    /// through two links (or a linked folder) is one document.
    public var absolutePath: String
    /// Relative to the working directory when inside it (as in `Corpus/09-pretraining.md`), else absolute;
    /// the path as the user reached it, links unresolved.
    public var displayPath: String
    public var format: DocumentFormat
}

/// A file that was not ingested, and why (one line).
public struct SkippedFile: Equatable, Sendable, Codable {
    public var path: String
    public var reason: String
}

/// Expands the paths on the command line into the files to ingest: folders recursively (hidden entries
/// skipped, other extensions ignored, linked files followed, linked folders not entered), explicit files
/// of an unknown type, and anything that is not a regular file, reported as skipped.
public enum SourceFiles {
    public static func collect(_ paths: [String], workingDirectory: URL) throws -> (files: [SourceFile], skipped: [SkippedFile]) {
        var files: [SourceFile] = [], skipped: [SkippedFile] = []
        var seen = Set<String>()
        func add(_ url: URL, explicit: Bool) {
            let display = displayPath(url, workingDirectory: workingDirectory)
            switch FileKind(of: url.path) {
            case .regular(let resolved):
                guard let format = DocumentFormat(fileExtension: url.pathExtension)
                        ?? DocumentFormat(fileExtension: (resolved as NSString).pathExtension) else {
                    if explicit { skipped.append(SkippedFile(path: display, reason: "unsupported file type (rag reads \(DocumentFormat.extensionList))")) }
                    return
                }
                guard seen.insert(resolved).inserted else { return }
                files.append(SourceFile(absolutePath: resolved, displayPath: display, format: format))
            case .folder:
                if !explicit { skipped.append(SkippedFile(path: display, reason: "a link to a folder (not followed: pass the folder itself)")) }
            case .other(let reason):
                if explicit || DocumentFormat(fileExtension: url.pathExtension) != nil {
                    skipped.append(SkippedFile(path: display, reason: reason))
                }
            }
        }
        for argument in paths {
            guard !argument.isEmpty else { throw IngestError.unreadablePath(argument, reason: "the path is empty") }
            let url = (argument.hasPrefix("/") ? URL(fileURLWithPath: argument)
                                                : workingDirectory.appendingPathComponent(argument)).standardizedFileURL
            switch FileKind(of: url.path) {
            case .folder:
                guard FileManager.default.isReadableFile(atPath: url.path) else {
                    throw IngestError.unreadablePath(argument, reason: "permission denied")
                }
                for entry in try contents(of: url, argument: argument) { add(entry, explicit: false) }
            case .regular:
                add(url, explicit: true)
            case .other(let reason):
                if FileKind.exists(url.path) { add(url, explicit: true) } else { throw IngestError.unreadablePath(argument, reason: reason) }
            }
        }
        return (files, skipped)
    }

    /// Files and links under `folder`, sorted by path, without hidden files or hidden folders. Linked
    /// folders are listed but not entered (a link loop cannot make the walk endless).
    static func contents(of folder: URL, argument: String) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey], options: [.skipsHiddenFiles]) else {
            throw IngestError.unreadablePath(argument, reason: "cannot list the folder")
        }
        var result: [URL] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            if values?.isRegularFile == true || values?.isSymbolicLink == true { result.append(url.standardizedFileURL) }
        }
        return result.sorted { $0.path < $1.path }
    }

    static func displayPath(_ file: URL, workingDirectory: URL) -> String {
        let base = workingDirectory.standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return file.path.hasPrefix(prefix) ? String(file.path.dropFirst(prefix.count)) : file.path
    }
}

/// What a path is once links are followed, in words a person can act on.
enum FileKind: Equatable {
    /// A regular file, at this absolute path with links resolved.
    case regular(resolved: String)
    case folder
    /// Anything else, and why it is not read: missing, a broken link or a link loop, a device, a FIFO, a socket.
    case other(reason: String)

    init(of path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            var link = stat()
            if code == ELOOP { self = .other(reason: "a loop of symbolic links"); return }
            if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK { self = .other(reason: "a broken symbolic link"); return }
            self = .other(reason: code == ENOENT || code == ENOTDIR ? "no such file or folder" : String(cString: strerror(code)))
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: self = .regular(resolved: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        case S_IFDIR: self = .folder
        case S_IFCHR, S_IFBLK: self = .other(reason: "a device, not a regular file")
        case S_IFIFO: self = .other(reason: "a FIFO (named pipe), not a regular file")
        case S_IFSOCK: self = .other(reason: "a socket, not a regular file")
        default: self = .other(reason: "not a regular file")
        }
    }

    /// True when something (even a broken link) is at `path`.
    static func exists(_ path: String) -> Bool {
        var link = stat()
        return lstat(path, &link) == 0
    }
}
