import AgentKit
import ContactDiscovery
import Escalation
import Outreach
import PromiseVerification
import Queue
import ReplyTriage

/// Every task handler this binary has, by kind. An agent joins the worker by adding its handler here.
enum WorkerHandlers {
    static func registry(environment: AgentEnvironment) -> HandlerRegistry {
        HandlerRegistry(DiagnosticHandlers.all + [
            OutreachAgent(environment: environment), ReplyTriageAgent(environment: environment),
            ContactDiscoveryAgent(environment: environment), PromiseVerificationAgent(environment: environment),
            EscalationAgent(environment: environment), OwnerNoticeAgent(environment: environment),
        ])
    }

    /// The kinds, for help texts, without reading the agents' environment.
    static var kinds: [String] {
        (DiagnosticHandlers.all.flatMap(\.kinds) + [
            OutreachAgent.kind, ReplyTriageAgent.kind, ContactDiscoveryAgent.kind, PromiseVerificationAgent.kind,
            EscalationAgent.kind, OwnerNoticeAgent.kind,
        ]).sorted()
    }
}
