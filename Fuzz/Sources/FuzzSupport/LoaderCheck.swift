import Foundation
import Retrieval

/// Runs `DocumentLoader.load` as ingest does: it either returns a document with text or throws an
/// `UnreadableFile` (the one kind of error a loader may give: the file is skipped with that reason).
public func checkedLoad(_ data: Data, format: DocumentFormat) {
    let loaded: LoadedDocument
    do {
        loaded = try DocumentLoader.load(data, format: format, fileName: "input.\(format.rawValue)")
    } catch let error as UnreadableFile {
        if error.description.isEmpty || error.description.contains("\n") { invariantFailed("a skip reason is not one line: \(error)") }
        return
    } catch {
        invariantFailed("DocumentLoader threw \(type(of: error)), not an UnreadableFile: \(error)")
    }
    let document = loaded.document
    if document.text.isEmpty { invariantFailed("a loaded document has no text") }
    let length = document.text.unicodeScalars.count
    var previous = -1
    for heading in document.headings {
        guard heading.offset > previous, heading.offset < length else {
            invariantFailed("heading '\(heading.title)' at \(heading.offset) is out of order or outside \(length) scalars")
        }
        previous = heading.offset
    }
}
