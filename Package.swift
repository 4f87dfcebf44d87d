// swift-tools-version: 6.1
//
// vertrouwd — aggregated, anonymous alerts about online sexual exploitation
// for school networks. Layout: ../shared/DESIGN.md §10 (mirrored in README).
import Foundation
import PackageDescription

// Fuzz targets have no `main` of their own: libFuzzer provides it. They are
// declared only when the Makefile's `fuzz` target asks for them, so that a
// plain `swift build` / `swift test` never tries to link them.
let fuzzing = ProcessInfo.processInfo.environment["VERTROUWD_FUZZ"] == "1"

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

var targets: [Target] = [
    .systemLibrary(
        name: "CSystemd",
        pkgConfig: "libsystemd",
        providers: [.apt(["libsystemd-dev"])]
    ),
    // sqlite3_config, which is variadic (SignalStore.prepareSQLite).
    .target(
        name: "CSQLiteSettings",
        linkerSettings: [.linkedLibrary("sqlite3")]
    ),
    .target(
        name: "VertrouwdCore",
        swiftSettings: swift6
    ),
    .target(
        name: "VertrouwdConfig",
        dependencies: ["VertrouwdCore"],
        swiftSettings: swift6
    ),
    .target(
        name: "VertrouwdStore",
        dependencies: [
            "VertrouwdCore",
            "CSQLiteSettings",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's C API (GRDB's own system library) for the ingest hot path.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: swift6
    ),
    .target(
        name: "VertrouwdSpool",
        dependencies: [
            "VertrouwdCore",
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: swift6
    ),
    .target(
        name: "VertrouwdSystemd",
        dependencies: [
            "CSystemd",
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: swift6
    ),
    .target(
        name: "VertrouwdDelivery",
        dependencies: [
            "VertrouwdCore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "NIOTLS", package: "swift-nio"),
        ],
        swiftSettings: swift6
    ),
    .target(
        name: "VertrouwdDaemon",
        dependencies: [
            "VertrouwdCore",
            "VertrouwdConfig",
            "VertrouwdStore",
            "VertrouwdSpool",
            "VertrouwdSystemd",
            "VertrouwdDelivery",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swift6
    ),
    // Issue 14 part 2: the anonymous help page (h14-help).
    .target(
        name: "VertrouwdHelpPage",
        dependencies: [
            "VertrouwdCore",
            "VertrouwdSpool",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ],
        swiftSettings: swift6
    ),
    // `vertrouwd adapt`: filter logs → signals; parsing is pure (issue 14).
    .target(
        name: "VertrouwdAdapters",
        dependencies: [
            "VertrouwdCore",
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: swift6
    ),
    .executableTarget(
        name: "vertrouwd",
        dependencies: [
            "VertrouwdAdapters",
            "VertrouwdCore",
            "VertrouwdConfig",
            "VertrouwdDaemon",
            "VertrouwdDelivery",
            "VertrouwdSpool",
            "VertrouwdStore",
            "VertrouwdSystemd",
            "VertrouwdHelpPage",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdCoreTests",
        dependencies: [
            "VertrouwdCore",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ],
        exclude: ["Golden"],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdConfigTests",
        dependencies: [
            "VertrouwdConfig",
            "VertrouwdCore",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ],
        exclude: ["Golden"],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdAdaptersTests",
        dependencies: [
            "VertrouwdAdapters", "VertrouwdCore",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ],
        exclude: ["Fixtures"],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdStoreTests",
        // Crypto: the de-duplication key tests compute HMAC tags themselves.
        dependencies: ["VertrouwdStore", "VertrouwdCore", .product(name: "GRDB", package: "GRDB.swift"),
                       .product(name: "Crypto", package: "swift-crypto")],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdSpoolTests",
        // Core and Crypto: the keyed-id tests compare with plain SHA-256
        // and feed the quarantine from SignalFile (issue 13, s5-h13f).
        dependencies: ["VertrouwdSpool", "VertrouwdCore", .product(name: "Crypto", package: "swift-crypto"),
                       .product(name: "PropertyBased", package: "swift-property-based")],
        exclude: ["Golden"],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdSystemdTests",
        dependencies: ["VertrouwdSystemd", .product(name: "Logging", package: "swift-log")],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdDeliveryTests",
        dependencies: [
            "VertrouwdDelivery", "VertrouwdCore",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ],
        exclude: ["Servers", "Golden"],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "VertrouwdDaemonTests",
        dependencies: [
            "VertrouwdDaemon", "VertrouwdConfig", "VertrouwdCore", "VertrouwdSpool", "VertrouwdStore",
            "VertrouwdDelivery", // DeliveryServiceTests: RecordingTransport
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: swift6
    ),
    // Issue 14 part 2: the anonymous help page (h14-help).
    .testTarget(
        name: "VertrouwdHelpPageTests",
        dependencies: [
            "VertrouwdHelpPage", "VertrouwdCore",
            .product(name: "PropertyBased", package: "swift-property-based"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ],
        exclude: ["Golden"],
        swiftSettings: swift6
    ),
    .testTarget(
        name: "IntegrationTests",
        dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
        swiftSettings: swift6
    ),
]

var products: [Product] = [
    .executable(name: "vertrouwd", targets: ["vertrouwd"]),
]

if fuzzing {
    targets.append(.executableTarget(
        name: "ConfigFuzz",
        dependencies: ["VertrouwdConfig"],
        swiftSettings: swift6
    ))
    products.append(.executable(name: "ConfigFuzz", targets: ["ConfigFuzz"]))
    targets.append(.executableTarget(
        name: "SignalFuzz",
        dependencies: ["VertrouwdCore"],
        swiftSettings: swift6
    ))
    products.append(.executable(name: "SignalFuzz", targets: ["SignalFuzz"]))
}

let package = Package(
    name: "vertrouwd",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Issue 14 part 2: the help page's HTTP server (h14-help).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: targets
)
