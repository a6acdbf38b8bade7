import Foundation
import TonchiRules
import XCTest

final class DiagnosticsTests: XCTestCase {
    /// Every diagnostic for a file of broken rules, rendered, against a golden file.
    /// Set TONCHI_UPDATE_GOLDEN=1 to rewrite the golden file after a deliberate change.
    func testGoldenDiagnostics() throws {
        let fixtures = repositoryRoot.appendingPathComponent("Tests/TonchiRulesTests/Fixtures")
        let text = try String(contentsOf: fixtures.appendingPathComponent("broken.rules"), encoding: .utf8)
        let ruleSet = try compile(text, file: "broken.rules")
        let rendered = ruleSet.diagnostics.map(\.description).joined(separator: "\n") + "\n"
        let golden = fixtures.appendingPathComponent("broken.expected")
        if ProcessInfo.processInfo.environment["TONCHI_UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: golden, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(rendered, try String(contentsOf: golden, encoding: .utf8))
        // The one healthy rule still loads although everything around it is broken.
        XCTAssertEqual(ruleSet.rules.map(\.id), ["lint.only-warnings"])
    }

    func testEveryErrorNamesFileLineColumnAndCode() throws {
        let ruleSet = try compile("rule a {\n  title \"x\"\n  severity\n}\n", file: "a.rules")
        let error = try XCTUnwrap(ruleSet.errors.first)
        XCTAssertEqual(error.code, .expectedToken)
        XCTAssertEqual(error.location, SourceLocation(file: "a.rules", line: 3, column: 11))
        XCTAssertEqual(error.description, """
            a.rules:3:11: error[TR103]: expected a severity value, found end of line
                severity
                        ^
            """)
    }

    func testUnknownCitationRefusesTheRule() throws {
        let ruleSet = try compile(rule(cites: "ND119-2020/D99/K9", "  terms $a = \"x\"\n  when $a"))
        XCTAssertEqual(ruleSet.errors.map(\.code), [.unknownCitation])
        XCTAssertTrue(ruleSet.rules.isEmpty)
    }

    func testRegexErrorPointsIntoThePattern() throws {
        let ruleSet = try compile(rule("  regex $r = `phóng (viên`\n  when $r"))
        let error = try XCTUnwrap(ruleSet.errors.first)
        XCTAssertEqual(error.code, .invalidRegex)
        // Line 9 of the generated rule; the pattern starts after "  regex $r = `" (column 16).
        XCTAssertEqual(error.location.line, 9)
        XCTAssertGreaterThan(error.location.column, 16)
    }
}
