import Foundation
import Retrieval

/// Shows an ingest as it runs, on stderr: a redrawn progress bar (files, passages, rate, ETA) on a
/// terminal, one plain line per added, replaced or skipped file otherwise, nothing with --quiet.
final class IngestProgressDisplay {
    enum Style { case bar, lines, silent }

    let style: Style
    private var total = 0, done = 0, chunks = 0
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var finished = false

    init(quiet: Bool) {
        style = quiet ? .silent : (isatty(STDERR_FILENO) != 0 ? .bar : .lines)
    }

    func handle(_ event: IngestEvent) {
        switch event {
        case .started(let files):
            total = files
        case .passedOver(let file):
            if style != .silent { write("skipped \(file.path.oneLine): \(file.reason)\n") }
        case .embedding(let index, let path, let done, let total):
            // A long document: the bar shows its share; plain lines report every ~10 s.
            guard style != .silent, Date().timeIntervalSince(lastDraw) > (style == .bar ? 0.1 : 10) else { return }
            lastDraw = Date()
            let line = "[\(index)/\(self.total)] embedding \(path.oneLine): \(done)/\(total) passages and sentences"
            write(style == .bar ? "\r\u{1B}[K" + line : line + "\n")
        case .file(let index, let rawPath, let outcome):
            let path = rawPath.oneLine
            done = index
            var message: String? = nil
            switch outcome {
            case .added(let n): chunks += n; message = style == .lines ? "added \(path) (\(n) passages)" : nil
            case .replaced(let n): chunks += n; message = style == .lines ? "replaced \(path) (\(n) passages)" : nil
            case .unchanged: break
            case .skipped(let reason): message = "skipped \(path): \(reason)"
            }
            if let message, style != .silent {
                write((style == .bar ? "\r\u{1B}[K" : "") + "[\(index)/\(total)] " + message + "\n")
            }
            if style == .bar, Date().timeIntervalSince(lastDraw) > 0.1 || index == total { drawBar() }
        }
    }

    /// Ends the bar's line so the summary (or an error) starts on a fresh one; later calls do nothing.
    func finish() {
        if style == .bar, total > 0, !finished { write("\r\u{1B}[K") }
        finished = true
    }

    private func drawBar() {
        lastDraw = Date()
        let width = 24
        let filled = total == 0 ? width : width * done / total
        let elapsed = max(Date().timeIntervalSince(started), 1e-3)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        write("\r\u{1B}[K\(bar) \(done)/\(total) files · \(chunks) passages · "
              + String(format: "%.1f files/s · %.0f passages/s", rate, Double(chunks) / elapsed) + " · ETA \(Self.clock(eta))")
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }

    private func write(_ text: String) { StandardStreams.writeError(text) }
}
