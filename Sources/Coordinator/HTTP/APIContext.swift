import Hummingbird
import Logging
import Store

/// The request context of the admin API: Hummingbird's core storage plus the request ID and,
/// once a tenant key is authenticated, who the request acts for.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From the client's X-Request-ID when it sent a usable one, else made here.
    public var requestID: String
    public var principal: TenantPrincipal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = ""
        principal = nil
    }
}
