import Foundation
import TonchiTestSupport
import TonchiCharter
import TonchiCore
@testable import TonchiEvaluate
import TonchiIngest
import XCTest
import ZIPFoundation

/// Suppression semantics, allowlists, DOCX drafts, and the `check`/`scan` wiring.
final class PrePublicationTests: XCTestCase {
    func span(_ start: Int, _ end: Int) -> Span {
        Span(start: start, end: end, line: 1, column: 1, excerpt: "", before: "", after: "", scope: "body", selection: "", diacriticFree: false)
    }

    func finding(_ rule: String, _ spans: [Span], total: Int? = nil) -> Finding {
        Finding(ruleID: rule, title: "t", message: "m", severity: .high, confidence: 0.9, criterion: "c", citations: [],
                citationDate: Day("2025-01-01")!, citationDateSource: .given, citationWarning: nil, spans: spans,
                totalSpans: total ?? spans.count, pages: [])
    }

    func offset(_ needle: String, _ text: String) -> Int {
        text.utf8.distance(from: text.startIndex, to: text.range(of: needle)!.lowerBound)
    }

    func testRegionRunsFromDisableToEnableOrToTheEnd() {
        let text = "a\n<!-- tonchi-disable x.one, y.*: lý do một -->\nb\n<!-- tonchi-enable -->\nc\n<!-- tonchi-disable x.two: hai -->\nd\n"
        let s = Suppressions.parse(Array(text.utf8), format: .html)
        XCTAssertEqual(s.problems, [])
        XCTAssertEqual(s.items.count, 2)
        let first = s.items[0], second = s.items[1]
        XCTAssertEqual(first.rules, ["x.one", "y.*"])
        XCTAssertEqual(first.reason, "lý do một")
        XCTAssertEqual(first.line, 2)
        XCTAssertEqual(first.start, offset("\nb\n", text))
        XCTAssertEqual(first.end, offset("<!-- tonchi-enable", text))
        XCTAssertTrue(first.closed)
        XCTAssertEqual(second.end, text.utf8.count)
        XCTAssertFalse(second.closed)
        XCTAssertTrue(first.matches("y.anything"))
        XCTAssertFalse(first.matches("x.two"))

        let b = offset("b\n<!-- tonchi-enable", text), c = offset("c\n", text), d = offset("d\n", text)
        let result = DocumentResult(name: "t", findings: [finding("x.one", [span(b, b + 1)]), finding("x.one", [span(c, c + 1)]),
                                                          finding("x.one", [span(b, b + 1), span(c, c + 1)]),
                                                          finding("x.two", [span(d, d + 1)]), finding("y.z", [span(b, b + 1)])],
                                    incomplete: [], notes: [])
        let applied = s.apply(to: result, textStart: 0)
        // Suppressed: x.one inside, x.two in the open region, y.z by prefix. Kept: x.one outside, and
        // x.one with one span outside (all evidence must lie inside).
        XCTAssertEqual(applied.findings.count, 2)
        XCTAssertEqual(applied.suppressed?.map(\.finding.ruleID), ["x.one", "x.two", "y.z"])
        XCTAssertEqual(applied.suppressed?.first?.reason, "lý do một")
    }

    func testFindingsWithoutListedEvidenceNeedAWholeDocumentRegion() {
        let text = "<!-- tonchi-disable x.one: cả bài -->\nnội dung\n"
        let s = Suppressions.parse(Array(text.utf8), format: .markdown)
        let textStart = offset("nội", text)
        let docLevel = finding("x.one", [])
        let truncated = finding("x.one", [span(textStart, textStart + 2)], total: 30)
        XCTAssertNotNil(s.suppression(for: docLevel, textStart: textStart))
        XCTAssertNotNil(s.suppression(for: truncated, textStart: textStart))
        // The same directive after the text starts covers only what follows it.
        XCTAssertNil(s.suppression(for: docLevel, textStart: 0))
        XCTAssertNil(s.suppression(for: truncated, textStart: 0))
        // Closed regions never cover a finding whose evidence is not all listed.
        let closed = Suppressions.parse(Array("<!-- tonchi-disable x.one: r -->\na\n<!-- tonchi-enable -->\n".utf8), format: .html)
        XCTAssertNil(closed.suppression(for: docLevel, textStart: 40))
    }

    func testPlainTextLineFormAndProblems() {
        let text = "tonchi-disable tts.interview: phỏng vấn được phép\nx\ntonchi-disable tts.interview\ntonchi-enable khong.mo\n  tonchi-enable tts.interview\n"
        let s = Suppressions.parse(Array(text.utf8), format: .plainText, knownRules: ["tts.interview"])
        XCTAssertEqual(s.items.count, 1)
        XCTAssertEqual(s.items[0].end, offset("  tonchi-enable tts.interview", text))
        XCTAssertEqual(s.problems.map(\.kind), [.missingReason, .unmatchedEnable])
        // The line form is not read in HTML (only comments are directives there).
        XCTAssertTrue(Suppressions.parse(Array(text.utf8), format: .html).items.isEmpty)
        let unknown = Suppressions.parse(Array("<!-- tonchi-disable khong.co, tts.*: r -->".utf8), format: .html, knownRules: ["tts.interview"])
        XCTAssertEqual(unknown.problems.map(\.kind), [.unknownRule])
        XCTAssertEqual(unknown.problems.first?.line, 1)
    }

    func testScanIgnoresSuppressionsButSaysSo() {
        let text = "<!-- tonchi-disable x.one: r -->\nabc\n"
        let s = Suppressions.parse(Array(text.utf8), format: .html)
        let a = offset("abc", text)
        let result = DocumentResult(name: "p", findings: [finding("x.one", [span(a, a + 3)])], incomplete: [], notes: [])
        let scanned = s.ignore(in: result, textStart: a)
        XCTAssertEqual(scanned.findings.count, 1)
        XCTAssertNil(scanned.suppressed)
        XCTAssertTrue(scanned.notes.contains { $0.hasPrefix("suppression ignored") && $0.contains("x.one") }, "\(scanned.notes)")
    }

    func testAllowlist() throws {
        let yaml = """
        - rule: tts.interview
          url: https://binhminh.example.vn/phong-van/*
          reason: Phỏng vấn được Sở cho phép
          author: Thanh tra Sở
          expires: 2026-12-31
        - rule: tts.*
          url: re:https://binhminh\\.example\\.vn/cu/[0-9]+
          reason: Cũ
          author: A
          expires: 2024-01-01
        - rule: quy-tac.da-bo
          url: "*"
          reason: r
          author: a
          expires: 2030-01-01
        """
        let allowlist = try AllowlistFile.parse(yaml, file: "a.yaml")
        XCTAssertEqual(allowlist.entries.count, 3)
        XCTAssertEqual(allowlist.unknownRules(["tts.interview"]).map(\.rule), ["quy-tac.da-bo"])
        let today = Day("2025-06-01")!
        XCTAssertEqual(allowlist.expired(on: today).map(\.rule), ["tts.*"])
        let result = DocumentResult(name: "p", findings: [finding("tts.interview", []), finding("tts.reporter-byline", [])], incomplete: [], notes: [])
        let live = allowlist.apply(to: result, url: "https://binhminh.example.vn/phong-van/ong-a.html", today: today)
        XCTAssertEqual(live.findings.map(\.ruleID), ["tts.reporter-byline"])
        XCTAssertEqual(live.allowlisted?.first?.entry.author, "Thanh tra Sở")
        let old = allowlist.apply(to: result, url: "https://binhminh.example.vn/cu/12", today: today)
        XCTAssertEqual(old.findings.count, 2, "an expired entry is not applied")
        XCTAssertEqual(old.expiredAllowlist?.map(\.rule), ["tts.*"])
        XCTAssertNil(allowlist.apply(to: result, url: "https://binhminh.example.vn/cu/12x", today: today).expiredAllowlist)

        XCTAssertThrowsError(try AllowlistFile.parse("- rule: x\n  url: a\n  reason: r\n  author: a\n", file: "b.yaml")) { error in
            XCTAssertTrue("\(error)".contains("entries[0].expires"), "\(error)")
        }
        XCTAssertThrowsError(try AllowlistFile.parse("- rule: x\n  url: 're:('\n  reason: r\n  author: a\n  expires: 2030-01-01\n", file: "b.yaml")) { error in
            XCTAssertTrue("\(error)".contains("entries[0].url"), "\(error)")
        }
    }

    /// A minimal Word document: two paragraphs, one split across runs.
    static func makeDOCX(_ paragraphs: [[String]]) throws -> Data {
        let body = paragraphs.map { runs in "<w:p>" + runs.map { "<w:r><w:t xml:space=\"preserve\">\($0)</w:t></w:r>" }.joined() + "</w:p>" }.joined()
        let xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
            + body + "</w:body></w:document>"
        let archive = try Archive(accessMode: .create)
        let data = Data(xml.utf8)
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        return try XCTUnwrap(archive.data)
    }

    func testDOCXText() throws {
        let docx = try Self.makeDOCX([["Tin từ ", "Tòa soạn"], ["Đoạn &amp; hai"]])
        XCTAssertTrue(DOCX.looksLikeDOCX(Array(docx)))
        XCTAssertEqual(String(decoding: try DOCX.text(Array(docx)), as: UTF8.self), "Tin từ Tòa soạn\n\nĐoạn & hai\n")
        XCTAssertThrowsError(try DOCX.text(Array("PK\u{3}\u{4}not a zip".utf8)))
    }

    // MARK: - The command line

    func run(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, out: String, err: String) {
        let run = try ToolRunner.run(ServerProcess.binary, arguments, stdin: stdin, directory: ServerProcess.root)
        return (run.status, run.stdout, run.stderr)
    }

    func temp(_ name: String, _ data: Data) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-prepub-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    func testCheckHonoursSuppressionsAndListsThem() throws {
        let draft = "<!-- tonchi-disable tts.newsroom-titles: được phép -->\nThông tin từ Tòa soạn của trang.\n"
        let path = try temp("bai.md", Data(draft.utf8))
        let text = try run(["check", "--kind", "trang-ttdt-tong-hop", path])
        XCTAssertEqual(text.status, 0, text.out + text.err)
        XCTAssertTrue(text.out.contains("suppressed [tts.newsroom-titles]"), text.out)
        XCTAssertTrue(text.out.contains("được phép"), text.out)
        let json = try run(["check", "--kind", "trang-ttdt-tong-hop", "--format", "json", path])
        XCTAssertTrue(json.out.contains("\"suppressed\""), json.out)
        // Unknown rule: a warning, and exit 2 under --strict.
        let unknown = try temp("bai.txt", Data("tonchi-disable khong.co: r\nThông tin từ Tòa soạn.\n".utf8))
        let loose = try run(["check", "--kind", "trang-ttdt-tong-hop", unknown])
        XCTAssertEqual(loose.status, 1)
        XCTAssertTrue(loose.err.contains("unknown rule 'khong.co'"), loose.err)
        XCTAssertEqual(try run(["check", "--strict", "--kind", "trang-ttdt-tong-hop", unknown]).status, 2)
    }

    func testScanKeepsSuppressedFindings() throws {
        let page = "<html><head><title>Trang</title></head><body><!-- tonchi-disable tts.newsroom-titles: được phép --><p>Bài.</p><footer>Tòa soạn: 12 Lê Lợi</footer></body></html>"
        let path = try temp("trang.html", Data(page.utf8))
        let scan = try run(["scan", "--kind", "trang-ttdt-tong-hop", path])
        XCTAssertEqual(scan.status, 1, scan.out + scan.err)
        XCTAssertTrue(scan.out.contains("[tts.newsroom-titles]"), scan.out)
        XCTAssertTrue(scan.out.contains("suppression ignored"), scan.out)
        let check = try run(["check", "--kind", "trang-ttdt-tong-hop", path])
        XCTAssertEqual(check.status, 0, check.out)
    }

    func testCheckAllowlistAndDOCX() throws {
        let docx = try temp("ban-thao.docx", try Self.makeDOCX([["Thông tin từ ", "Tòa soạn"], ["của trang."]]))
        let plain = try run(["check", "--kind", "trang-ttdt-tong-hop", docx])
        XCTAssertEqual(plain.status, 1, plain.out + plain.err)
        XCTAssertTrue(plain.out.contains("[tts.newsroom-titles]"), plain.out)
        let stdin = try run(["check", "--kind", "trang-ttdt-tong-hop", "-"], stdin: try Self.makeDOCX([["Tòa soạn"]]))
        XCTAssertTrue(stdin.out.contains("[tts.newsroom-titles]"), stdin.out + stdin.err)
        let allow = try temp("allow.yaml", Data("""
            - rule: tts.newsroom-titles
              url: "*/ban-thao.docx"
              reason: Tên bộ phận được phép
              author: Ban biên tập
              expires: 2099-12-31
            """.utf8))
        let allowed = try run(["check", "--kind", "trang-ttdt-tong-hop", "--allowlist", allow, docx])
        XCTAssertEqual(allowed.status, 0, allowed.out + allowed.err)
        XCTAssertTrue(allowed.out.contains("allowlisted [tts.newsroom-titles]"), allowed.out)
        let bad = try temp("bad.yaml", Data("- rule: x\n".utf8))
        let refused = try run(["check", "--kind", "trang-ttdt-tong-hop", "--allowlist", bad, docx])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.err.contains("entries[0].url"), refused.err)
    }
}
