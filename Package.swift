// swift-tools-version:5.9
import PackageDescription

// The targets follow the pipeline: ingest → extract → normalize → match → evaluate → report.
// TonchiRules is the compiler (rules DSL → matcher database); TonchiCore holds the shared vocabulary.
let package = Package(
    name: "tonchi",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tonchi", targets: ["tonchi"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        // SHA-256/SHA-1 for evidence hashes and WARC digests (BoringSSL on Linux).
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        // `tonchi serve`: the HTTP API, its Prometheus metrics and the inspectors' web app.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .target(name: "TonchiCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .systemLibrary(name: "CTonchiZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "TonchiIngest", dependencies: ["TonchiCore", "CTonchiZlib", "ZIPFoundation"]),
        // The HTML reader is one object whose methods call each other per tag; its accesses are
        // checked statically, and dynamic checks were a tenth of the scan time.
        .target(name: "TonchiExtract", dependencies: ["TonchiCore"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "TonchiNormalize", dependencies: ["TonchiCore"]),
        .target(name: "TonchiMatch", dependencies: ["TonchiCore", "TonchiNormalize", "CPCRE2"]),
        .target(name: "TonchiRules", dependencies: ["TonchiCore", "TonchiNormalize", "TonchiMatch", "Yams"],
                resources: [.process("Bundled")]),
        .target(name: "TonchiCharter", dependencies: ["TonchiCore", "TonchiEvaluate", "Yams"]),
        .target(name: "TonchiEvaluate", dependencies: ["TonchiCore", "TonchiExtract", "TonchiNormalize", "TonchiMatch", "TonchiRules"]),
        .target(name: "TonchiScan", dependencies: ["TonchiCore", "TonchiIngest", "TonchiExtract", "TonchiNormalize", "TonchiRules", "TonchiEvaluate",
                                                   "TonchiCharter"]),
        .target(name: "TonchiReport", dependencies: ["TonchiCore", "TonchiEvaluate", "TonchiRules", "TonchiScan", "TonchiIngest", "TonchiCharter"]),
        // The scan history store (SQLite through GRDB), compare and review-list.
        .target(name: "TonchiHistory", dependencies: ["TonchiCore", "TonchiEvaluate", "TonchiNormalize", "TonchiScan",
                                                      .product(name: "GRDB", package: "GRDB.swift")]),
        // `tonchi serve`: /v1/check, the LanguageTool-compatible /v2/check, /healthz, /metrics.
        .target(name: "TonchiServer", dependencies: [
            "TonchiCore", "TonchiExtract", "TonchiRules", "TonchiEvaluate", "TonchiCharter",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        // The inspectors' web app (Vietnamese pages, plain HTML forms), also served by `tonchi serve`.
        .target(name: "TonchiWeb", dependencies: ["TonchiCore", "TonchiIngest", "TonchiExtract", "TonchiRules", "TonchiEvaluate", "TonchiScan", "TonchiCharter",
                                                  "TonchiReport", "TonchiHistory", "ZIPFoundation",
                                                  .product(name: "Hummingbird", package: "hummingbird")]),
        .executableTarget(name: "tonchi", dependencies: [
            "TonchiCore", "TonchiIngest", "TonchiExtract", "TonchiRules", "TonchiEvaluate", "TonchiReport", "TonchiScan", "TonchiCharter",
            "TonchiHistory", "TonchiServer", "TonchiWeb", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tonchi-bench", dependencies: [
            "TonchiCore", "TonchiExtract", "TonchiNormalize", "TonchiMatch", "TonchiRules", "TonchiEvaluate",
        ]),
        // Helpers the test targets share (the shared corpus, a seeded generator); XCTest and Foundation only.
        .target(name: "TonchiTestSupport", path: "Tests/TonchiTestSupport"),
        .testTarget(name: "TonchiNormalizeTests", dependencies: ["TonchiNormalize", "TonchiCore", "TonchiTestSupport"]),
        .testTarget(name: "TonchiMatchTests", dependencies: ["TonchiMatch", "TonchiTestSupport"]),
        .testTarget(name: "TonchiIngestTests", dependencies: ["TonchiIngest", "TonchiCore", "TonchiTestSupport", "ZIPFoundation"]),
        .testTarget(name: "TonchiCharterTests", dependencies: ["TonchiCharter", "TonchiCore"]),
        .testTarget(name: "TonchiExtractTests", dependencies: ["TonchiExtract", "TonchiIngest", "TonchiCore", "TonchiTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "TonchiRulesTests", dependencies: ["TonchiRules", "TonchiEvaluate", "TonchiExtract", "TonchiNormalize", "TonchiMatch", "TonchiCore",
                                                           "TonchiTestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "TonchiTopicsTests", dependencies: ["TonchiEvaluate", "TonchiRules", "TonchiCharter", "TonchiCore", "TonchiTestSupport"]),
        .testTarget(name: "TonchiHistoryTests", dependencies: ["TonchiHistory", "TonchiScan", "TonchiEvaluate", "TonchiRules", "TonchiCharter",
                                                          "TonchiCore", .product(name: "GRDB", package: "GRDB.swift")]),
        // Runs the built executable; depends on it so `swift test` builds it first.
        .testTarget(name: "TonchiCLITests", dependencies: ["tonchi", "TonchiTestSupport"], exclude: ["Fixtures"]),
        // Browser tests: start `tonchi serve`, post the forms, render pages in headless Chromium.
        .testTarget(name: "TonchiWebTests", dependencies: ["tonchi", "TonchiTestSupport"]),
        .testTarget(name: "TonchiReportTests", dependencies: ["TonchiReport", "TonchiScan", "TonchiIngest", "TonchiEvaluate", "TonchiRules",
                                                            "TonchiCharter", "TonchiCore", "TonchiTestSupport"]),
        // Starts `tonchi serve` on a free loopback port and drives every endpoint over HTTP.
        .testTarget(name: "TonchiServerTests", dependencies: ["tonchi", "TonchiServer", "TonchiEvaluate", "TonchiCharter",
                                                            "TonchiIngest", "TonchiCore", "TonchiTestSupport", "ZIPFoundation"]),
    ]
)
