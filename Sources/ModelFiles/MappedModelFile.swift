import Glibc

/// A whole model file mapped read-only into memory, so weights are used where they lie and only the pages a
/// forward pass touches are read. Unmapped when the last reference goes away.
final class MappedModelFile: @unchecked Sendable {
    /// Why a file could not be mapped (errno text).
    struct Failure: Error {
        let reason: String
    }

    /// The file's bytes; empty (nil base) for an empty file.
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(Failure) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
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
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw Failure(reason: String(cString: strerror(errno)))
        }
        // Transparent huge pages make streaming the weights ~20% faster here (PERF.md); a hint, so failure is fine.
        _ = madvise(base, size, MADV_HUGEPAGE)
        bytes = UnsafeRawBufferPointer(start: UnsafeRawPointer(base), count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
