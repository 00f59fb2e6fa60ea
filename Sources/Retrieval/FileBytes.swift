import Foundation

/// Reads a whole regular file with POSIX calls, so a failure says what the system said ("Input/output
/// error", "Permission denied") instead of Foundation's numbered domain errors, and so a file over the
/// size limit is refused from its size alone, before any of it is read.
enum FileBytes {
    enum Failure: Error, Equatable {
        case unreadable(String)
        case tooLarge(bytes: Int64, limit: Int64)
    }

    static func read(_ path: String, limit: Int64) throws -> (data: Data, modified: Double) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure.unreadable(String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Failure.unreadable("not a regular file") }
        let size = Int64(info.st_size)
        if size > limit { throw Failure.tooLarge(bytes: size, limit: limit) }
        var data = Data(capacity: Int(size))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.unreadable(String(cString: strerror(errno)))
            }
            data.append(contentsOf: buffer[..<n])
            // A file that grows while it is read (a log, /dev/zero behind a regular name) stops at the limit.
            if Int64(data.count) > limit { throw Failure.tooLarge(bytes: Int64(data.count), limit: limit) }
        }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) * 1e-9
        return (data, modified)
    }
}

/// Byte counts as people read them: "812 B", "3.4 MB" (decimal units, as file managers show them).
public func formattedByteCount(_ bytes: Int64) -> String {
    if bytes < 1000 { return "\(bytes) B" }
    let units = ["kB", "MB", "GB", "TB"]
    var value = Double(bytes) / 1000, unit = 0
    while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
    return String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[unit])
}
