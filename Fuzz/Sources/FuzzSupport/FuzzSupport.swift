import Foundation

/// The fuzzer's input as `Data` (a copy: libFuzzer's buffer is only valid during the call).
public func fuzzInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Data {
    guard let bytes, count > 0 else { return Data() }
    return Data(bytes: bytes, count: count)
}

/// A broken invariant: printed, then abort, which libFuzzer reports as a crash and saves the input for.
/// (`fatalError` would do too, but its trap reads as "illegal instruction" rather than a failed check.)
public func invariantFailed(_ message: @autoclosure () -> String) -> Never {
    FileHandle.standardError.write(Data("invariant failed: \(message())\n".utf8))
    abort()
}

/// Keeps values alive so the optimiser cannot drop the reads that produced them.
@inline(never)
public func blackHole<each T>(_ values: repeat each T) {
    repeat _ = each values
}
