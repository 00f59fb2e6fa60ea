/// The files `rag serve` hands out as they are, embedded in the binary at build time so the server works
/// offline and from any folder: the page at `/` and the OpenAPI description at `/openapi.json`.
enum WebPage {
    static let html: [UInt8] = PackageResources.index_html
    static let openAPI: [UInt8] = PackageResources.openapi_json
}
