import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiHistory
import TonchiRules
import TonchiScan
import XCTest

/// The repository root, the samples, and scans of them with the bundled rules (as `tonchi scan` does).
enum Samples {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    nonisolated(unsafe) static var cachedRules: RuleSet?
    static let lock = NSLock()

    static func rules() throws -> RuleSet {
        lock.lock(); defer { lock.unlock() }
        if let cachedRules { return cachedRules }
        let loaded = try RuleLoader.loadBundled()
        cachedRules = loaded
        return loaded
    }

    /// Scans dumps with a sample charter (Samples/charters/NAME.yaml), with the off-charter check.
    static func scan(_ paths: [String], charter name: String) throws -> ScanReport {
        let ruleSet = try rules()
        let charter = try Charter.load(path: path("Samples/charters/\(name).yaml"))
        let offCharter = try TopicClassifier(ruleSet: ruleSet).flatMap {
            try OffCharterCheck(classifier: $0, allowedTopics: charter.topics, catalog: ruleSet.catalog)
        }
        let scanner = Scanner(ruleSet: ruleSet, options: .init(kind: charter.kind, date: nil, scanDate: Day("2026-10-01")!, jobs: 2))
        return scanner.scan(paths, tool: .init(version: "test", rulesHash: ruleSet.sourceHash, ruleCount: ruleSet.rules.count),
                            charter: charter, offCharter: offCharter)
    }
}

/// A fresh temporary folder per test, removed afterwards.
class TemporaryFolderTestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    func file(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A copy of the báo-hóa sample site as a wget mirror folder (host folder inside `name`).
    func mirror(_ name: String) throws -> (root: String, site: URL) {
        let root = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let site = root.appendingPathComponent("phuongnamtimes.example.vn")
        try FileManager.default.copyItem(at: Samples.root.appendingPathComponent("Samples/warc-sources/phuongnamtimes.example.vn"), to: site)
        return (root.path, site)
    }

    /// Replaces text in a file of a mirror; fails the test when the text is not there.
    func edit(_ file: URL, replacing old: String, with new: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(file.lastPathComponent) has no '\(old)'")
        try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
    }
}

extension Date {
    static func day(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: text + "T08:00:00Z")!
    }
}
