import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory, so multi-megabyte weights are read where they lie instead of copied.
/// The mapping lives as long as this object; views into it (weight matrices, vectors) must not outlive it.
public final class MappedFile: @unchecked Sendable {
    /// The file that was mapped.
    public let url: URL
    /// All bytes of the file.
    public let bytes: UnsafeRawBufferPointer

    /// Maps `url`. Throws `E5ModelFileError.unreadable` when the file cannot be opened or mapped.
    public init(url: URL) throws {
        self.url = url
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw E5ModelFileError.unreadable(file: url.path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw E5ModelFileError.unreadable(file: url.path, reason: String(cString: strerror(errno)))
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw E5ModelFileError.unreadable(file: url.path, reason: String(cString: strerror(errno)))
        }
        // Weights are streamed many times per batch: huge pages save TLB misses (shared PERF.md §2).
        _ = madvise(address, size, 14 /* MADV_HUGEPAGE */)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
