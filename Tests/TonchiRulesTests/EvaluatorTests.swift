import TonchiCore
import TonchiExtract
import TonchiEvaluate
import TonchiRules
import XCTest

final class EvaluatorTests: XCTestCase {
    func testTermsIgnoreCaseToneFormAndNFD() throws {
        let rules = try compile(rule("  terms $a = \"tòa soạn\", \"thủy lợi\"\n  when $a"))
        // Upper case, old tone placement (toà), and decomposed (NFD) text all match.
        let nfd = "Ban quản lý thuỷ lợi".decomposedStringWithCanonicalMapping
        for text in ["TÒA SOẠN báo", "Địa chỉ toà soạn: 12", nfd] {
            let result = check(rules, text)
            XCTAssertEqual(result.findings.count, 1, text)
        }
        // Word boundaries: "soạn" inside a longer word or a different word does not match.
        XCTAssertTrue(check(rules, "tòa soạnx").findings.isEmpty)
        XCTAssertTrue(check(rules, "Đà soạn").findings.isEmpty)
    }

    func testSpanPointsAtOriginalBytesOfNFDText() throws {
        let rules = try compile(rule("  terms $a = \"phóng viên\"\n  when $a"))
        let text = "Nhóm " + "PHÓNG VIÊN".decomposedStringWithCanonicalMapping + " ảnh"
        let span = try XCTUnwrap(check(rules, text).findings.first?.spans.first)
        let bytes = Array(text.utf8)
        XCTAssertEqual(String(decoding: bytes[span.start..<span.end], as: UTF8.self), "PHÓNG VIÊN".decomposedStringWithCanonicalMapping)
        XCTAssertEqual(span.line, 1)
        XCTAssertEqual(span.column, 6)
    }

    func testDiacriticFreeSelectionLowersConfidence() throws {
        let rules = try compile(rule("  terms $a = \"phóng viên\"\n  terms $b nodiacritics = \"phong vien\"\n  when $a or $b"))
        XCTAssertEqual(check(rules, "nhóm phóng viên").findings.first?.confidence, 0.8)
        let plain = try XCTUnwrap(check(rules, "nhom phong vien").findings.first)
        XCTAssertEqual(plain.confidence, 0.8 * 0.7, accuracy: 1e-9)
        XCTAssertTrue(plain.spans[0].diacriticFree)
        // Đ stays distinct from D in the normal view: "đặc" is not "dac".
        let d = try compile(rule("  terms $a = \"dac san\"\n  when $a"))
        XCTAssertTrue(check(d, "đặc sản").findings.isEmpty)
    }

    func testCountsNearPositionAndNOf() throws {
        let rules = try compile("""
        \(rule("t.count", "  terms $a = \"pv\"\n  when #$a >= 3"))
        \(rule("t.near", "  terms $a = \"đường dây nóng\"\n  terms $b = \"phản ánh\"\n  when $a near $b within 3 words"))
        \(rule("t.first", "  terms $a = \"hà nội\"\n  when $a in first 4 words"))
        \(rule("t.nof", "  terms $a = \"một\"\n  terms $b = \"hai\"\n  terms $c = \"ba\"\n  when 2 of ($a, $b, $c)"))
        """)
        func fired(_ text: String) -> [String] { check(rules, text).findings.map(\.ruleID).sorted() }
        XCTAssertEqual(fired("pv pv"), [])
        XCTAssertEqual(fired("pv, pv và PV"), ["t.count"])
        XCTAssertEqual(fired("đường dây nóng để bạn đọc phản ánh"), ["t.near"])      // 3 words between
        XCTAssertEqual(fired("đường dây nóng để cho bạn đọc phản ánh"), [])          // 4 words between
        XCTAssertEqual(fired("Sáng nay tại Hà Nội"), ["t.first"])
        XCTAssertEqual(fired("Sáng nay tại thủ đô Hà Nội"), [])
        XCTAssertEqual(fired("một và ba"), ["t.nof"])
        XCTAssertEqual(fired("chỉ một"), [])
    }

    func testScoreDensityAndUnless() throws {
        let rules = try compile("""
        lexicon l { "giảm giá" 2
          "mua ngay" 3 }
        \(rule("t.score", "  lexicon $p = @l\n  terms $label = \"quảng cáo\"\n  when score($p) >= 5\n  unless $label"))
        \(rule("t.density", "  terms $a = \"tin nóng\"\n  when density($a) >= 50"))
        """)
        func fired(_ text: String) -> [String] { check(rules, text).findings.map(\.ruleID).sorted() }
        XCTAssertEqual(fired("giảm giá, mua ngay"), ["t.score"])
        XCTAssertEqual(fired("Quảng cáo: giảm giá, mua ngay"), [])
        XCTAssertEqual(fired("giảm giá giảm giá"), [])                               // score 4
        XCTAssertEqual(fired("tin nóng: " + String(repeating: "chữ ", count: 10)), ["t.density"])   // 1 in 12 words
        XCTAssertEqual(fired("tin nóng: " + String(repeating: "chữ ", count: 30)), [])              // 1 in 32 words
    }

    func testCitationChosenByDate() throws {
        let rules = try compile(rule(kinds: "trang-ttdt-tong-hop", cites: "ND15-2020/D99/K1, ND174-2026/D93/K1",
                                     "  terms $a = \"chịu trách nhiệm\"\n  when not $a"))
        let before = try XCTUnwrap(check(rules, "trang chủ", kind: .trangTTDTTongHop, date: Day("2026-06-30")).findings.first)
        XCTAssertEqual(before.citations.map(\.id), ["ND15-2020/D99/K1"])
        XCTAssertEqual(before.citationDateSource, .given)
        let after = try XCTUnwrap(check(rules, "trang chủ", kind: .trangTTDTTongHop, date: Day("2026-07-01")).findings.first)
        XCTAssertEqual(after.citations.map(\.id), ["ND174-2026/D93/K1"])
        // Without a date the scan date is used, and the finding says so.
        XCTAssertEqual(check(rules, "trang chủ", kind: .trangTTDTTongHop).findings.first?.citationDateSource, .scan)
    }

    func testKindsAndHTMLScopes() throws {
        let rules = try compile(rule(kinds: "trang-ttdt-tong-hop", "  terms $a in footer = \"tòa soạn\"\n  when $a"))
        let page = "<html><body><article><p>Bài viết nhắc tòa soạn báo bạn.</p></article><footer>Tòa soạn: 1 Lê Lợi</footer></body></html>"
        let result = check(rules, page, format: .html, kind: .trangTTDTTongHop)
        XCTAssertEqual(result.findings.count, 1)
        let span = try XCTUnwrap(result.findings.first?.spans.first)
        XCTAssertEqual(span.scope, "footer")
        XCTAssertEqual(String(decoding: Array(page.utf8)[span.start..<span.end], as: UTF8.self), "Tòa soạn")
        // A newspaper may have a newsroom: the rule does not apply to bao-dien-tu.
        XCTAssertTrue(check(rules, page, format: .html, kind: .baoDienTu).findings.isEmpty)
    }

    func testRegexLimitMakesTheItemIncomplete() throws {
        let rules = try compile(rule("  regex $r = `(a+)+$`\n  when $r"))
        let result = check(rules, String(repeating: "a", count: 20_000) + "b")
        XCTAssertEqual(result.incomplete.map(\.ruleID), ["t.rule"])
    }

    func testSiteRuleCountsPages() throws {
        let rules = try compile("""
        \(rule("t.page", "  terms $a = \"tin nóng\"\n  when $a"))
        site rule t.site {
          title "Tỷ lệ"
          message "{pages} trang"
          severity medium
          criterion "c"
          cites ND119-2020/D20
          applies tap-chi-dien-tu
          when pages >= 3 and share(fired(t.page)) >= 0.5
        }
        """)
        XCTAssertEqual(rules.errors.map(\.description), [])
        let evaluator = Evaluator(ruleSet: rules)
        let context = CheckContext(kind: .tapChiDienTu, scanDate: Day("2026-11-24")!)
        func site(_ texts: [String]) -> DocumentResult {
            let accumulator = SiteAccumulator(ruleSet: rules)
            for (i, text) in texts.enumerated() {
                let doc = PreparedDocument(name: "p\(i)", extracted: .init(plainText: text), database: rules.database)
                accumulator.add(doc, result: evaluator.evaluate(doc, context: context), context: context)
            }
            let home = PreparedDocument(name: "site", extracted: .init(plainText: ""), database: rules.database)
            return accumulator.finish(site: home, context: context)
        }
        let hot = site(["tin nóng", "tin nóng nữa", "bình thường"])
        XCTAssertEqual(hot.findings.map(\.message), ["2 trang"])
        XCTAssertEqual(hot.findings.first?.pages, ["p0", "p1"])
        XCTAssertTrue(site(["tin nóng", "bình thường", "bình thường"]).findings.isEmpty)
    }

    func testBundledRulesLoadCleanAndTheirExamplesPass() throws {
        let rules = try RuleLoader.load(directory: repositoryRoot.appendingPathComponent("Rules"))
        XCTAssertEqual(rules.errors.map(\.description), [])
        XCTAssertGreaterThanOrEqual(rules.rules.count, 8)
        let (passed, failures) = ExampleRunner(ruleSet: rules).run(today: Day("2026-11-24")!)
        XCTAssertEqual(failures.map(\.description), [])
        XCTAssertGreaterThanOrEqual(passed, 4 * rules.documentRules.count)
    }
}

extension ExtractedDocument {
    init(plainText: String) {
        self = Extractor.extract(Array(plainText.utf8), format: .plainText)
    }
}
