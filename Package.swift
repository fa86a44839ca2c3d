// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: arrears → Coordinator/Workers → AgentKit/Store/Queue
// → Dunning, Triage, Mail, Postgres, Curl → C targets. See README "Architecture".

/// What every agent target builds on.
let agentDependencies: [Target.Dependency] = [
    "AgentKit", "Store", "Queue", "Dunning", "Triage", "Mail", "Curl", "Postgres",
    .product(name: "Logging", package: "swift-log"),
]

let package = Package(
    name: "arrears",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "arrears", targets: ["arrears"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // C libraries, found through pkg-config.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // Pure domain: exposure, policy, decisions. Foundation only, no I/O.
        .target(name: "Dunning", exclude: ["README.md"]),
        .target(name: "Mail"),
        .target(name: "Triage", dependencies: ["Mail", "Dunning"]),

        // I/O modules.
        .target(name: "Postgres", dependencies: [
            "CLibPQ",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),

        .target(name: "Curl", dependencies: ["CCurl"]),

        // What the agents share: reminder composition, guardrails, LLM, webhooks, mail, secrets.
        .target(name: "AgentKit", dependencies: [
            "Dunning", "Mail", "Triage", "Curl", "Store", "Queue", "Postgres",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["README.md"]),

        // The agents: one target per task kind family, each a handler of AgentKit's contract.
        .target(name: "Outreach", dependencies: agentDependencies, path: "Workers/Outreach"),
        .target(name: "ReplyTriage", dependencies: agentDependencies, path: "Workers/ReplyTriage"),
        .target(name: "ContactDiscovery", dependencies: agentDependencies, path: "Workers/ContactDiscovery"),
        .target(name: "PromiseVerification", dependencies: agentDependencies, path: "Workers/PromiseVerification"),
        .target(name: "Escalation", dependencies: agentDependencies, path: "Workers/Escalation"),

        // `arrears demo`'s world: a generated book, scripted customers and a local mail sink.
        .target(name: "Demo", dependencies: ["Store", "Dunning", "Mail", "Curl", "Postgres"]),

        // `arrears bench chaos`: its world, its customers' replies and the checks after the faults.
        .target(name: "Chaos", dependencies: ["Demo", "Store", "Dunning", "Mail", "Postgres"]),

        // The task queue and the worker runtime: knows tasks, nothing of invoices.
        .target(name: "Queue", dependencies: [
            "Postgres", "Dunning",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "LocalPostgres", dependencies: ["CLibPQ"]),

        // The contracts in Schema/, compiled in.
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedSchemaPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"], path: "Sources/EmbedSchemaPlugin"),
        .target(name: "SchemaFiles", plugins: ["EmbedSchemaPlugin"]),
        .target(name: "Migrations", dependencies: [
            "Postgres", "SchemaFiles",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "Observability", dependencies: [
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Tenant-scoped persistence of the domain: all of its SQL lives here.
        .target(name: "Store", dependencies: [
            "Postgres", "Dunning",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The scheduler: one leader among the coordinators reviews customers as they fall due and
        // dispatches agent tasks; also the dry run behind `arrears plan` and `arrears bench scheduler`.
        .target(name: "Scheduler", dependencies: [
            "Store", "Queue", "Dunning", "Postgres",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The dashboard's pages and charts, rendered from records; no I/O.
        .target(name: "Dashboard", dependencies: ["Dunning", "Mail", "Store", "Queue"]),

        // The coordinator: the admin API, the dashboard's routes and webhooks.
        .target(name: "Coordinator", dependencies: [
            "Store", "Queue", "AgentKit", "Dashboard", "Mail", "Curl", "Postgres", "Dunning", "Migrations", "Observability", "SchemaFiles",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The command-line interface: wiring only.
        .executableTarget(name: "arrears", dependencies: [
            "Postgres", "LocalPostgres", "Migrations", "Observability", "Queue", "Store", "Scheduler", "Coordinator", "Dashboard",
            "Dunning", "Mail", "Triage", "AgentKit", "Demo", "Chaos", "Outreach", "ReplyTriage", "ContactDiscovery", "PromiseVerification", "Escalation", "Curl",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Shared by the test targets: fresh databases, child processes, local servers.
        .target(name: "TestSupport", dependencies: ["Postgres", "Curl"], path: "Tests/TestSupport"),

        .testTarget(name: "CurlTests", dependencies: ["Curl", "TestSupport"]),
        .testTarget(name: "AgentKitTests", dependencies: [
            "AgentKit", "Dunning", "Mail", "Triage", "Curl", "TestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "WorkersTests", dependencies: [
            "Queue", "Postgres", "Store", "Dunning", "Mail", "AgentKit", "TestSupport", "Curl",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "DemoTests", dependencies: ["TestSupport"]),
        .testTarget(name: "ChaosTests", dependencies: ["Chaos", "Postgres", "TestSupport"]),
        .testTarget(name: "DunningTests", dependencies: ["Dunning"]),
        .testTarget(name: "MailTests", dependencies: ["Mail"]),
        .testTarget(name: "TriageTests", dependencies: ["Triage", "Mail", "Dunning"], exclude: ["Fixtures"]),
        .testTarget(name: "TriageCLITests", dependencies: ["TestSupport"]),
        .testTarget(name: "MigrationsTests", dependencies: ["Migrations", "Postgres", "TestSupport",
                                                            .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "SchedulerTests", dependencies: [
            "Scheduler", "Store", "Queue", "Dunning", "Postgres", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "QueueTests", dependencies: [
            "Queue", "Postgres", "LocalPostgres", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "StoreTests", dependencies: [
            "Store", "Postgres", "Dunning", "TestSupport",
        ]),
        .testTarget(name: "CoordinatorTests", dependencies: [
            "Coordinator", "Store", "Queue", "AgentKit", "Mail", "Postgres", "Migrations", "SchemaFiles", "TestSupport", "Curl",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The real binary as it is deployed: replicas and failover, schema checks at start,
        // direct connections past a pooler, the worker's metrics endpoint.
        .testTarget(name: "DeployTests", dependencies: [
            "Postgres", "Queue", "TestSupport", "Curl",
        ]),
        .testTarget(name: "PostgresTests", dependencies: [
            "Postgres", "LocalPostgres", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
