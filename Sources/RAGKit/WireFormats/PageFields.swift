/// How the JSON names a passage's pages: `page` for one, `pages` [first, last] for several. Both are absent
/// (not null) for documents without pages, so the JSON of txt, md, html, docx and EPUB sources is unchanged.
struct PageFields {
    var page: Int?
    var pages: [Int]?

    init(_ range: ClosedRange<Int>?) {
        guard let range else { return }
        if range.count == 1 { page = range.lowerBound } else { pages = [range.lowerBound, range.upperBound] }
    }
}
