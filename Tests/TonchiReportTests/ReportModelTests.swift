import Foundation
import TonchiCharter
import TonchiCore
import TonchiReport
import TonchiRules
import TonchiScan
import XCTest

final class ReportModelTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dump = root.appendingPathComponent("Samples/dumps/bao-hoa-tong-hop.warc.gz").path
    static let charter = root.appendingPathComponent("Samples/charters/trang-tong-hop-phuong-nam.yaml").path

    func scan(retainsPages: Bool = true, onPage: ((String, PageReport, PageEvidence?) -> Void)? = nil) throws -> ScanReport {
        let rules = try RuleLoader.loadBundled()
        let charter = try Charter.load(path: Self.charter)
        let scanner = Scanner(ruleSet: rules, options: .init(kind: charter.kind, date: nil, scanDate: Day("2026-10-01")!, jobs: 2))
        scanner.retainsPages = retainsPages
        scanner.onPage = onPage
        return scanner.scan([Self.dump], tool: ToolInfo(version: "test", rulesHash: rules.sourceHash, ruleCount: rules.rules.count), charter: charter)
    }

    func context() -> ReportContext {
        ReportContext(command: ["tonchi", "scan", "x"], inputs: [FileHashing.describe(Self.dump)],
                      catalog: try! RuleLoader.loadBundled().catalog)
    }

    func testModelNumbersFindingsAndEvidenceAndFoldsRepeats() throws {
        let report = EvidenceReport.make(try scan(), context: context())
        XCTAssertEqual(report.authority, "Sở Văn hóa, Thể thao và Du lịch tỉnh Hòa Giang")
        XCTAssertEqual(report.publication?.licence?.number, "57/GP-TTĐT")
        XCTAssertEqual(report.findings.map(\.id), (1...report.findings.count).map { "F\($0)" })
        XCTAssertEqual(report.evidence.map(\.id), (1...report.evidence.count).map { "E\($0)" })
        // The press-like menu is on all 11 pages: one finding, 11 locations, each with its own evidence item.
        let menu = try XCTUnwrap(report.findings.first { $0.ruleID == "tts.press-sections" })
        XCTAssertEqual(menu.placement, "repeated")
        XCTAssertEqual(menu.locations.count, 11)
        XCTAssertEqual(Set(menu.locations.compactMap(\.evidence)).count, 11)
        for item in report.evidence {
            XCTAssertEqual(item.page.sha256.count, 64)
            XCTAssertEqual(item.page.digest.verdict, .ok, "\(item.page.name): \(item.page.digest.detail)")
            XCTAssertNotNil(item.page.captureDate)
        }
        let inputs = try XCTUnwrap(report.inputs.first)
        XCTAssertEqual(inputs.sha256, SHA256Digest.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.dump)))))
        XCTAssertNotNil(report.period?.capturedFrom)
        // Every cited provision is summarised with the findings citing it and what the catalog says.
        let cited = Set(report.findings.flatMap { $0.citations.map(\.id) })
        XCTAssertEqual(Set(report.provisions.map(\.id)), cited)
        let withFine = report.provisions.filter { !$0.fineOrganisation.isEmpty }
        XCTAssertFalse(withFine.isEmpty, "the catalog gives fines for some cited provisions")
        for p in report.provisions { XCTAssertFalse(p.findings.isEmpty) }
        // Fingerprints are stable across runs and distinct between findings.
        let again = EvidenceReport.make(try scan(), context: context())
        XCTAssertEqual(report.findings.map(\.fingerprint), again.findings.map(\.fingerprint))
        XCTAssertEqual(Set(report.findings.map(\.fingerprint)).count, report.findings.count)
    }

    /// Streaming: each page reaches the sink during the scan, and the scanner keeps none of them.
    func testScannerStreamsPagesWithoutKeepingThem() throws {
        var lines: [String] = []
        let stream = NDJSONStream { lines.append($0) }
        var pagesSeen = 0
        let report = try scan(retainsPages: false) { host, page, evidence in
            pagesSeen += 1
            stream.page(host: host, page: page, evidence: evidence)
        }
        XCTAssertEqual(pagesSeen, 11)
        XCTAssertTrue(report.sites.allSatisfy { $0.pages.isEmpty && $0.repeatedFindings.isEmpty && $0.evidence.isEmpty })
        stream.finish(scan: report)
        let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertTrue(lines.allSatisfy { $0.hasSuffix("\n") && $0.dropLast().firstIndex(of: "\n") == nil })
        XCTAssertEqual(objects.last?["type"] as? String, "summary")
        let findings = objects.filter { $0["type"] as? String == "finding" }
        let occurrences = objects.filter { $0["type"] as? String == "occurrence" }
        // Menu and footer findings are written once; their other pages are occurrences.
        XCTAssertEqual(findings.filter { ($0["finding"] as? [String: Any])?["ruleID"] as? String == "tts.press-sections" }.count, 1)
        XCTAssertEqual(occurrences.filter { $0["ruleID"] as? String == "tts.press-sections" }.count, 10)
        XCTAssertEqual(objects.last?["findings"] as? Int, findings.count)
        // The same findings as the non-streamed scan, once the repeated ones are counted once.
        XCTAssertEqual(findings.count, try scan().findings.count)
    }

    func testEscapingAndLinks() {
        XCTAssertEqual(esc("<script>alert('x')</script> & \"q\""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        XCTAssertEqual(esc("a\u{1B}[31mb"), "a\u{FFFD}[31mb")
        let html = HTMLEvidenceFormat()
        XCTAssertFalse(html.pageRef("javascript:alert(1)").contains("href"))
        XCTAssertFalse(html.pageRef("JaVaScRiPt:alert(1)").contains("<a"))
        XCTAssertFalse(html.pageRef("data:text/html,<script>1</script>").contains("<script"))
        XCTAssertTrue(html.pageRef("https://a.example.vn/x?y=1&z=2").contains("href=\"https://a.example.vn/x?y=1&amp;z=2\" rel=\"noopener noreferrer\""))
        XCTAssertFalse(html.pageRef("https://a.example.vn/\"><script>x</script>").contains("<script"))
        XCTAssertTrue(HTMLEvidenceFormat.contentSecurityPolicy.contains("script-src 'none'"))
    }
}
