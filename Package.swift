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
    ],
    targets: [
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .target(name: "TonchiCore"),
        .target(name: "TonchiIngest", dependencies: ["TonchiCore"]),
        .target(name: "TonchiExtract", dependencies: ["TonchiCore"]),
        .target(name: "TonchiNormalize", dependencies: ["TonchiCore"]),
        .target(name: "TonchiMatch", dependencies: ["TonchiCore", "TonchiNormalize", "CPCRE2"]),
        .target(name: "TonchiRules", dependencies: ["TonchiCore", "TonchiNormalize", "TonchiMatch", "Yams"],
                resources: [.process("Bundled")]),
        .target(name: "TonchiEvaluate", dependencies: ["TonchiCore", "TonchiExtract", "TonchiNormalize", "TonchiMatch", "TonchiRules"]),
        .target(name: "TonchiReport", dependencies: ["TonchiCore", "TonchiEvaluate"]),
        .executableTarget(name: "tonchi", dependencies: [
            "TonchiCore", "TonchiIngest", "TonchiExtract", "TonchiRules", "TonchiEvaluate", "TonchiReport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "tonchi-bench", dependencies: [
            "TonchiCore", "TonchiExtract", "TonchiNormalize", "TonchiMatch", "TonchiRules", "TonchiEvaluate",
        ]),
        .testTarget(name: "TonchiNormalizeTests", dependencies: ["TonchiNormalize", "TonchiCore"]),
        .testTarget(name: "TonchiMatchTests", dependencies: ["TonchiMatch"]),
        .testTarget(name: "TonchiExtractTests", dependencies: ["TonchiExtract", "TonchiIngest", "TonchiCore"]),
        .testTarget(name: "TonchiRulesTests", dependencies: ["TonchiRules", "TonchiEvaluate", "TonchiExtract", "TonchiNormalize", "TonchiMatch", "TonchiCore"],
                    exclude: ["Fixtures"]),
        // Runs the built executable; depends on it so `swift test` builds it first.
        .testTarget(name: "TonchiCLITests", dependencies: ["tonchi"]),
    ]
)
