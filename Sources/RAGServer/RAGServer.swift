import Foundation
import Hummingbird
import Logging

/// `rag serve`: the HTTP API (rag's own routes and the OpenAI-compatible ones) and the web page, over one
/// `RAGService`. Every route answers JSON errors; /v1 routes need the API key when one is set.
public enum RAGServer {
    /// The routes, without a network: what tests drive, and what `application` serves.
    public static func router(for service: RAGService) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        if let origin = service.settings.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin), allowHeaders: [.authorization, .contentType],
                                                  allowMethods: [.get, .post, .delete, .options]))
        }
        if let key = service.settings.apiKey { router.add(middleware: BearerKeyMiddleware(key: key)) }
        InfoRoutes(service: service).add(to: router)
        DocumentRoutes(service: service).add(to: router)
        SearchRoutes(service: service).add(to: router)
        AskRoutes(service: service).add(to: router)
        OpenAIRoutes(service: service).add(to: router)
        return router
    }

    /// The server, listening where the settings say; `onListening` gets the bound port (useful with port 0).
    public static func application(for service: RAGService, logger: Logger,
                                   onListening: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        Application(router: router(for: service),
                    configuration: ApplicationConfiguration(address: .hostname(service.settings.host, port: service.settings.port),
                                                            serverName: "rag"),
                    onServerRunning: { channel in onListening(channel.localAddress?.port ?? service.settings.port) },
                    logger: logger)
    }
}
