import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiReport
import TonchiRules
import TonchiScan
import XCTest

/// `JSONFormat.write` streams a scan page by page; it must give the very bytes one encode gives.
final class StreamingJSONTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func scan(_ dump: String, charter: String) throws -> ScanReport {
        let ruleSet = try RuleLoader.loadBundled()
        let loaded = try Charter.load(path: Self.repository.appendingPathComponent("Samples/charters/\(charter).yaml").path)
        let classifier = try XCTUnwrap(TopicClassifier(ruleSet: ruleSet))
        let offCharter = try OffCharterCheck(classifier: classifier, allowedTopics: loaded.topics, catalog: ruleSet.catalog)
        let scanner = Scanner(ruleSet: ruleSet, options: .init(kind: loaded.kind, date: nil, scanDate: Day(year: 2026, month: 11, day: 24)!, jobs: 2))
        return scanner.scan([Self.repository.appendingPathComponent(dump).path],
                            tool: ToolInfo(version: "test", rulesHash: ruleSet.sourceHash, ruleCount: ruleSet.rules.count),
                            charter: loaded, offCharter: offCharter)
    }

    func streamed(_ report: ScanReport) -> String {
        var out = ""
        JSONFormat.write(report) { out += $0 }
        return out
    }

    func testStreamedScanEqualsOneEncode() throws {
        let cases = [("Samples/dumps/bao-hoa-tong-hop.warc.gz", "trang-tong-hop-phuong-nam"),
                     ("Samples/dumps/tong-hop-dung-quy-dinh.warc.gz", "trang-tong-hop-lam-vien"),
                     ("Samples/dumps/tap-chi-khoa-hoc-su-kien.warc.gz", "tap-chi-khoa-hoc-nong-nghiep"),
                     ("Samples/sites", "trang-tong-hop-binh-minh")]
        for (dump, charter) in cases {
            let report = try scan(dump, charter: charter)
            XCTAssertEqual(streamed(report), JSONFormat.render(report), dump)
        }
    }

    func testSitesWithoutPagesAndReportsWithoutSites() throws {
        let report = try scan("Samples/dumps/tong-hop-dung-quy-dinh.warc.gz", charter: "trang-tong-hop-lam-vien")
        XCTAssertTrue(report.sites.allSatisfy { $0.pages.isEmpty }, "the compliant sample has no page findings")
        XCTAssertEqual(streamed(report), JSONFormat.render(report))
        let empty = report.withSites([])
        XCTAssertEqual(streamed(empty), JSONFormat.render(empty))
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(streamed(report).utf8)))
    }
}
