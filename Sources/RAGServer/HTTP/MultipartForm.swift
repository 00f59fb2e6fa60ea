import Foundation

/// A `multipart/form-data` body (RFC 7578): parts separated by `--boundary` lines, each with its own
/// headers. Only what an upload needs: each part's field name, file name and bytes.
enum MultipartForm {
    struct Part {
        var name: String?
        var filename: String?
        var content: Data
    }

    /// The boundary of a `multipart/form-data; boundary=...` content type.
    static func boundary(contentType: String) -> String? {
        let fields = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.first?.lowercased() == "multipart/form-data" else { return nil }
        for field in fields.dropFirst() where field.lowercased().hasPrefix("boundary=") {
            let value = field.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    static func parse(_ body: Data, boundary: String) throws -> [Part] {
        let delimiter = Data("--\(boundary)".utf8), separator = Data("\r\n\r\n".utf8)
        guard var cursor = body.range(of: delimiter)?.upperBound else { throw malformed("no part starts with the boundary") }
        var parts: [Part] = []
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[cursor...].starts(with: Data("--".utf8)) { return parts }
            guard body[cursor...].starts(with: Data("\r\n".utf8)) else { throw malformed("a boundary is not followed by a line break") }
            cursor += 2
            guard let headersEnd = body.range(of: separator, in: cursor..<body.endIndex) else { throw malformed("a part's headers never end") }
            let headers = String(decoding: body[cursor..<headersEnd.lowerBound], as: UTF8.self)
            let contentStart = headersEnd.upperBound
            guard let next = body.range(of: Data("\r\n".utf8) + delimiter, in: contentStart..<body.endIndex) else {
                throw malformed("the last part is not closed by the boundary")
            }
            var part = Part(content: body[contentStart..<next.lowerBound])
            for line in headers.components(separatedBy: "\r\n") {
                let pieces = line.split(separator: ":", maxSplits: 1)
                guard pieces.count == 2, pieces[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition" else { continue }
                part.name = parameter("name", in: String(pieces[1]))
                part.filename = parameter("filename", in: String(pieces[1]))
            }
            parts.append(part)
            cursor = next.upperBound
        }
    }

    /// A `key="value"` (or unquoted) parameter of a Content-Disposition header; browsers escape `"` as %22.
    static func parameter(_ key: String, in header: String) -> String? {
        for field in header.split(separator: ";") {
            let pair = field.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.replacingOccurrences(of: "%22", with: "\"")
        }
        return nil
    }

    static func malformed(_ why: String) -> APIError { APIError.badRequest("the multipart body is malformed: \(why)", code: "bad_upload") }
}
