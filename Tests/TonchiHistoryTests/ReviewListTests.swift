import Foundation
import TonchiHistory
import TonchiScan
import XCTest

final class ReviewListTests: TemporaryFolderTestCase {
    func testRanksTheBaoHoaSiteAboveTheCompliantOne() throws {
        let compliant = try Samples.scan([Samples.path("Samples/dumps/tong-hop-dung-quy-dinh.warc.gz")], charter: "trang-tong-hop-lam-vien")
        let baoHoa = try Samples.scan([Samples.path("Samples/dumps/bao-hoa-tong-hop.warc.gz")], charter: "trang-tong-hop-phuong-nam")
        let list = ReviewList.rank(SiteFindings.of(report: compliant, source: "lam-vien") + SiteFindings.of(report: baoHoa, source: "bao-hoa"))
        XCTAssertEqual(list.sites.map(\.site), ["phuongnamtimes.example.vn", "lamvien.example.vn"])
        XCTAssertEqual(list.sites.map(\.rank), [1, 2])
        let top = list.sites[0]
        XCTAssertEqual(top.findings, 23, "repeated findings count once")
        XCTAssertEqual(list.sites[1].weight, 0)
        XCTAssertEqual(list.sites[1].findings, 0)
        // Weight: by hand from the findings' severity, confidence and placement.
        let expected = Fingerprint.all(in: baoHoa).reduce(0.0) { sum, t in
            let weights: [String: Double] = ["low": 1, "medium": 3, "high": 6, "critical": 10]
            let severity = weights[t.finding.severity.rawValue] ?? 0
            return sum + severity * t.finding.confidence * (t.placement == .site ? 2 : 1)
        }
        XCTAssertEqual(top.weight, (expected * 100).rounded() / 100, accuracy: 0.001)
        let codes = Dictionary(uniqueKeysWithValues: top.codes.map { ($0.criterion, $0.count) })
        XCTAssertEqual(codes["S7"], 14)   // bylines ×6, quotes without source ×4, the interview, hotlines ×3
        XCTAssertEqual(codes["S1"], 1)
        XCTAssertEqual(codes["T3"], 1)
        XCTAssertEqual(codes["S4"], 1)
        XCTAssertEqual(top.criteria.reduce(0) { $0 + $1.count }, top.findings, "each finding under its one criterion field")
        XCTAssertEqual(ReviewList.criterionCodes("QĐ1418 III.1 (S4 — áp dụng tương tự cho trang tổng hợp); II.1 (T3)"), ["S4", "T3"])
        XCTAssertEqual(ReviewList.criterionCodes("QĐ1418 IV (P1, P2 — giao chuyên trang)"), ["P1", "P2"])
        XCTAssertEqual(ReviewList.criterionCodes("Quảng cáo lẫn vào tin, bài"), [])
    }

    func testStoreRankingLeavesFalsePositivesOut() throws {
        let store = try HistoryStore(path: file("store.sqlite"))
        let baoHoa = try Samples.scan([Samples.path("Samples/dumps/bao-hoa-tong-hop.warc.gz")], charter: "trang-tong-hop-phuong-nam")
        let compliant = try Samples.scan([Samples.path("Samples/dumps/tong-hop-dung-quy-dinh.warc.gz")], charter: "trang-tong-hop-lam-vien")
        let a = try store.record(scan: baoHoa, scannedAt: .day("2026-03-01"))
        try store.record(scan: compliant, scannedAt: .day("2026-03-02"))
        let before = ReviewList.rank(try store.latestSites())
        XCTAssertEqual(before.sites.map(\.site), ["phuongnamtimes.example.vn", "lamvien.example.vn"])
        let name = try XCTUnwrap(try store.findings(scan: a).first { $0.finding.ruleID == "tts.press-like-name" })
        try store.setReview(fingerprint: name.fingerprint.value, status: .falsePositive, reason: "tên riêng của công ty", by: "t")
        let after = ReviewList.rank(try store.latestSites())
        XCTAssertEqual(after.sites[0].falsePositives, 1)
        XCTAssertEqual(after.sites[0].findings, before.sites[0].findings - 1)
        XCTAssertEqual(after.sites[0].weight, before.sites[0].weight - 3 * 0.7 * 2, accuracy: 0.011)
        XCTAssertEqual(after.sites[0].source, "store scan \(a)")
    }
}
