import TonchiCore
import TonchiRules
import XCTest

final class ParserTests: XCTestCase {
    func testEveryConstructCompiles() throws {
        let source = """
        # comment line
        lexicon y-te "Y tế" {
          "bệnh viện" 2
          "bác sĩ"
        }

        rule demo.all-constructs {
          title      "Đủ cú pháp"
          message    "Thấy {match} ({count}); {$a} x{#$b}"
          severity   high
          confidence 0.9
          status     stable
          criterion  "QĐ1418 III.1 (S5)"
          cites      ND15-2020/D99/K1 until 2026-06-30, ND174-2026/D93/K1 from 2026-07-01
          applies    trang-ttdt-tong-hop, tap-chi-dien-tu from 2022-07-22 until 2030-12-31
          fp         "ghi chú"
          terms   $a in footer, menu = "tòa soạn",
                                       "ban biên tập"
          terms   $b in body nodiacritics = "phong vien"
          regex   $c in lead = `\\bpv\\b`
          lexicon $d = @y-te
          when (2 of ($a, $b, $c) or score($d) >= 3.5) and not #$a > 10
               and density($b) < 50 and $a near $b within 10 words or $c in first 20 words
          unless words < 5

          hit  "Địa chỉ [[tòa soạn]] và [[phong vien]]"
          hit  "Liên hệ [[ban biên tập]] cùng phong vien"
          miss "không có gì"
          miss "một câu khác"
        }
        """
        let ruleSet = try compile(source)
        XCTAssertEqual(ruleSet.errors.map(\.description), [])
        let rule = try XCTUnwrap(ruleSet.rule("demo.all-constructs"))
        XCTAssertEqual(rule.severity, .high)
        XCTAssertEqual(rule.confidence, 0.9)
        XCTAssertEqual(rule.status, .stable)
        XCTAssertEqual(rule.kinds, [.trangTTDTTongHop, .tapChiDienTu])
        XCTAssertEqual(rule.appliesFrom, Day("2022-07-22"))
        XCTAssertEqual(rule.citations.map(\.id), ["ND15-2020/D99/K1", "ND174-2026/D93/K1"])
        XCTAssertEqual(rule.citations[0].until, Day("2026-06-30"))
        XCTAssertEqual(rule.selections.map(\.name), ["a", "b", "c", "d"])
        XCTAssertEqual(rule.selections[0].scopes, [.footer, .menu])
        XCTAssertTrue(rule.selections[1].ignoreDiacritics)
        XCTAssertEqual(rule.examples.count, 4)
        let first = rule.examples[0]
        XCTAssertEqual(first.text, "Địa chỉ tòa soạn và phong vien")
        XCTAssertEqual(first.expectedSpans.map { String(decoding: Array(first.text.utf8)[$0], as: UTF8.self) }, ["tòa soạn", "phong vien"])
        // `or` binds looser than `and`: the top of the condition is an `any` of two branches.
        guard case .any(let branches) = rule.when else { return XCTFail("expected or at the top, got \(rule.when)") }
        XCTAssertEqual(branches.count, 2)
        XCTAssertNotNil(rule.unless)
    }

    func testABrokenRuleDoesNotHideTheNextOne() throws {
        let source = "rule bad {\n  title \"x\n  severity high\n}\n" + rule("good", "  terms $a = \"x\"\n  when $a")
        let ruleSet = try compile(source)
        XCTAssertEqual(ruleSet.rules.map(\.id), ["good"])
        XCTAssertEqual(ruleSet.errors.first?.code, .unterminatedString)
    }

    func testSiteOnlyConstructsAreRejectedInDocumentRules() throws {
        let ruleSet = try compile(rule("  terms $a = \"x\"\n  when share(fired(other)) > 0.5"))
        XCTAssertTrue(ruleSet.errors.map(\.code).contains(.siteOnlyConstruct))
    }
}
