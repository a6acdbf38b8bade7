import Foundation
import TonchiHistory
import TonchiScan
import XCTest

final class FingerprintTests: TemporaryFolderTestCase {
    func testURLNormalization() {
        let n = Fingerprint.normalizeURL
        XCTAssertEqual(n("HTTPS://WWW.PhuongNamTimes.Example.VN:443/Thoi-Su/bai.html?utm_source=fb&b=2&a=1#binh-luan"),
                       "//phuongnamtimes.example.vn/Thoi-Su/bai.html?a=1&b=2")
        XCTAssertEqual(n("http://phuongnamtimes.example.vn"), "//phuongnamtimes.example.vn/")
        XCTAssertEqual(n("http://phuongnamtimes.example.vn:80/?fbclid=x&gclid=y"), "//phuongnamtimes.example.vn/")
        XCTAssertEqual(n("https://a.vn:8443/x"), "//a.vn:8443/x")
        XCTAssertEqual(n("https://a.vn/th%E1%BB%9Di-s%E1%BB%B1"), n("https://a.vn/thời-sự"))
        XCTAssertEqual(n("https://a.vn/thời-sự".decomposedStringWithCanonicalMapping), n("https://a.vn/thời-sự"))
        XCTAssertEqual(n("ftp://a.vn/x"), "ftp://a.vn/x")
        XCTAssertEqual(Fingerprint.siteKey("WWW.Lamvien.Example.VN."), "lamvien.example.vn")
    }

    func testTextIsInsensitiveToNormalizationFormCaseAndSpaces() throws {
        let report = try Samples.scan([Samples.path("Samples/dumps/bao-hoa-tong-hop.warc.gz")], charter: "trang-tong-hop-phuong-nam")
        let finding = try XCTUnwrap(report.findings.first { $0.spans.first?.excerpt == "Nhóm phóng viên" })
        let key = Fingerprint.key(finding: finding, site: "phuongnamtimes.example.vn", url: "https://phuongnamtimes.example.vn/a.html")
        XCTAssertEqual(key.text, "nhóm phóng viên")
        for variant in ["Nhóm phóng viên".decomposedStringWithCanonicalMapping, "NHÓM PHÓNG VIÊN", "  nhóm\n phóng\tviên ", "Nho\u{301}m pho\u{301}ng viên"] {
            let other = Fingerprint.Key(ruleID: key.ruleID, site: "WWW.phuongnamtimes.example.vn", url: "", scope: key.scope,
                                        text: Fingerprint.normalizeText(variant), occurrence: 0)
            XCTAssertEqual(other.text, key.text, variant)
        }
        XCTAssertEqual(Fingerprint.normalizeText("hoá"), Fingerprint.normalizeText("hóa"), "one tone placement")
        XCTAssertEqual(Fingerprint.of(finding: finding, site: "WWW.PhuongNamTimes.example.vn", url: "http://phuongnamtimes.example.vn/a.html#x"),
                       Fingerprint.of(finding: finding, site: "phuongnamtimes.example.vn", url: "https://phuongnamtimes.example.vn/a.html"))
        XCTAssertNotEqual(Fingerprint.of(finding: finding, site: "a.vn", url: nil, occurrence: 0),
                          Fingerprint.of(finding: finding, site: "a.vn", url: nil, occurrence: 1))
        XCTAssertEqual(Fingerprint.of(finding: finding, site: "a.vn", url: nil).value.count, 64)
    }

    func testStableAcrossRunsAndCaptures() throws {
        let dump = Samples.path("Samples/dumps/bao-hoa-tong-hop.warc.gz")
        let a = Fingerprint.all(in: try Samples.scan([dump], charter: "trang-tong-hop-phuong-nam"))
        let b = Fingerprint.all(in: try Samples.scan([dump], charter: "trang-tong-hop-phuong-nam"))
        XCTAssertEqual(a.map(\.fingerprint), b.map(\.fingerprint))
        XCTAssertEqual(Set(a.map(\.fingerprint)).count, a.count, "every finding has its own fingerprint")
        XCTAssertEqual(a.count, 23)
        // The same site captured by wget (http, index.html) instead of a crawler's WARC (https).
        let (root, _) = try mirror("wget")
        let c = Fingerprint.all(in: try Samples.scan([root], charter: "trang-tong-hop-phuong-nam"))
        XCTAssertEqual(Set(c.map(\.fingerprint)), Set(a.map(\.fingerprint)))
        // Repeated findings are keyed per site: one fingerprint, not one per page.
        let repeated = a.filter { $0.placement == .repeated }
        XCTAssertEqual(Set(repeated.map(\.finding.ruleID)), ["tts.newsroom-titles", "tts.press-sections"])
        XCTAssertTrue(repeated.allSatisfy { $0.key.url.isEmpty && $0.finding.pages.count > 1 })
        // A pinned value: changing the definition must be deliberate (Fingerprint.version).
        let key = Fingerprint.Key(ruleID: "tts.reporter-byline", site: "a.vn", url: "//a.vn/", scope: "byline", text: "pv", occurrence: 0)
        XCTAssertEqual(Fingerprint.of(key: key).value, Fingerprint.of(key: key).value)
        XCTAssertEqual(Fingerprint.of(key: key).value, pinned)
    }

    /// SHA-256 of "tonchi.fp/1␞tts.reporter-byline␟a.vn␟//a.vn/␟byline␟pv␞0", computed with Python's hashlib.
    let pinned = "3f7caa535dbc758c93e4132a4e094e98657b842c1a3440338f91df12f7a96cbe"
}
