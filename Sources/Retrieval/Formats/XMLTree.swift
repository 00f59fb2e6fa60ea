import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML part (docx's document.xml, an EPUB's package document): elements by namespace and local
/// name, attributes by local name, text kept in document order. Built with Foundation's `XMLParser`, whole,
/// because the parts we read are small enough and the loaders walk them more than once.
struct XMLTree {
    /// An element and what it holds, in order.
    struct Element {
        var namespace: String
        var name: String
        /// Keyed by local name (`w:val` → `val`): prefixes vary between the programs that write these files.
        var attributes: [String: String]
        var children: [Node]

        func attribute(_ localName: String) -> String? { attributes[localName] }

        /// Child elements, in order.
        var elements: [Element] { children.compactMap { if case .element(let e) = $0 { return e } else { return nil } } }

        func first(_ name: String) -> Element? { elements.first { $0.name == name } }

        /// Every descendant element named `name`, in document order (not below a match).
        func all(_ name: String) -> [Element] {
            elements.flatMap { $0.name == name ? [$0] : $0.all(name) }
        }

        /// The concatenated text below this element.
        var text: String {
            children.map { node -> String in
                switch node {
                case .text(let t): return t
                case .element(let e): return e.text
                }
            }.joined()
        }
    }

    enum Node {
        case element(Element)
        case text(String)
    }

    let root: Element

    /// Parses `data`; malformed XML throws `XMLTreeError` naming the line.
    init(_ data: Data) throws {
        // FoundationXML traps (illegal instruction) on an element or attribute name that is not UTF-8 (found by
        // Fuzz/fuzz-epub), so bytes that are not UTF-8 never reach it. docx and EPUB parts are UTF-8 in practice.
        let body = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        guard String(validating: body, as: UTF8.self) != nil else {
            throw XMLTreeError(line: 1, message: "not UTF-8 text")
        }
        let parser = XMLParser(data: data)
        let builder = Builder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let root = builder.root else {
            throw XMLTreeError(line: parser.lineNumber, message: parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element")
        }
        self.root = root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            var attributes: [String: String] = [:]
            for (key, value) in attributeDict {
                attributes[key.split(separator: ":").last.map(String.init) ?? key] = value
            }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(Element(namespace: namespaceURI ?? "", name: local, attributes: attributes, children: []))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let done = stack.popLast() else { return }
            if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(.element(done)) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            if case .text(let previous) = stack[stack.count - 1].children.last {
                stack[stack.count - 1].children[stack[stack.count - 1].children.count - 1] = .text(previous + string)
            } else {
                stack[stack.count - 1].children.append(.text(string))
            }
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
        }
    }
}

/// Malformed XML inside a container.
struct XMLTreeError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "malformed XML at line \(line): \(message)" }
}
