import Foundation
import ZIPFoundation

/// The ZIP container of a docx or EPUB file: parts by path, each inflated with its CRC checked and its
/// size bounded, every failure an `UnreadableDocument` naming the format.
struct ZipContainer {
    let archive: Archive
    let format: DocumentFormat

    init(_ data: Data, format: DocumentFormat) throws {
        guard data.starts(with: DocumentFormat.zipMagic) else {
            throw UnreadableDocument.damaged(format, detail: "not a ZIP container: the file does not start with PK")
        }
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw UnreadableDocument.damaged(format, detail: "not a complete ZIP archive: no central directory")
        }
        self.format = format
    }

    func contains(_ path: String) -> Bool { archive[path] != nil }

    /// The inflated bytes of the part at `path`.
    func data(_ path: String) throws -> Data {
        guard let entry = archive[path] else { throw UnreadableDocument.missingPart(format, part: path) }
        guard entry.uncompressedSize <= PartLimits.maximumBytes else {
            throw UnreadableDocument.partTooLarge(format, part: path, bytes: entry.uncompressedSize)
        }
        var bytes = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                bytes.append(chunk)
                if UInt64(bytes.count) > PartLimits.maximumBytes {
                    throw UnreadableDocument.partTooLarge(self.format, part: path, bytes: UInt64(bytes.count))
                }
            }
        } catch let error as UnreadableDocument {
            throw error
        } catch {
            throw UnreadableDocument.damaged(format, detail: "\(path) cannot be inflated: \(Self.describe(error))")
        }
        return bytes
    }

    /// The part at `path` parsed as XML.
    func xml(_ path: String) throws -> XMLTree {
        let bytes = try data(path)
        do {
            return try XMLTree(bytes)
        } catch let error as XMLTreeError {
            throw UnreadableDocument.damaged(format, detail: "\(path): \(error.description)")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case Archive.ArchiveError.invalidCRC32: return "checksum mismatch"
        case Archive.ArchiveError.unreadableArchive: return "unreadable data"
        default: return String(describing: error)
        }
    }
}
