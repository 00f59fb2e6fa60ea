import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory, so multi-megabyte weights are read where they lie instead of copied and
/// only the pages a forward pass touches are read. Shared by the e5 and GGUF readers; each maps `Failure` to its own
/// error type. The mapping lives as long as this object; views into it (weight matrices, vectors) must not outlive it.
public final class MappedFile: @unchecked Sendable {
    /// Why a file could not be mapped (errno text, or "not a regular file").
    public struct Failure: Error {
        public let reason: String
    }

    /// The file that was mapped.
    public let url: URL
    /// All bytes of the file; empty (nil base) for an empty file.
    public let bytes: UnsafeRawBufferPointer
    /// True when `bytes` is a heap copy made by `init(copying:url:)`, not a mapping.
    private let isCopy: Bool

    /// Maps `url` read-only.
    public init(url: URL) throws(Failure) {
        self.url = url
        isCopy = false
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Failure(reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw Failure(reason: String(cString: strerror(errno)))
        }
        // Weights are streamed many times per batch: transparent huge pages save TLB misses, ~20% here
        // (shared PERF.md §2). Only a hint, so failure is fine.
        _ = madvise(address, size, MADV_HUGEPAGE)
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(address), count: size)
    }

    /// Holds a copy of `data` as if it were the file `url` (which only names it in errors), for readers fed
    /// bytes that are not on disk: fuzzers and tests. Exactly `data.count` bytes are allocated, so a read past
    /// the end is caught by AddressSanitizer where a page-rounded mapping would hide it.
    public init(copying data: Data, url: URL) {
        self.url = url
        isCopy = true
        guard !data.isEmpty else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 64)
        copy.copyBytes(from: data)
        bytes = UnsafeRawBufferPointer(copy)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if isCopy {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        } else {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
