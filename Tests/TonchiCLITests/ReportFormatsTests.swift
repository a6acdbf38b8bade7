import Foundation
import TonchiTestSupport
import XCTest

/// The machine outputs and the evidence report, through the built binary: JSON and NDJSON
/// against docs/report-schema.json, SARIF against the official SARIF 2.1.0 schema, the HTML
/// report in headless Chromium (no script runs), its PDF, and the manifest with `tonchi verify`.
final class ReportFormatsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/TonchiCLITests/Fixtures")
    static let reportSchema = root.appendingPathComponent("docs/report-schema.json").path
    static let sampleDump = root.appendingPathComponent("Samples/dumps/bao-hoa-tong-hop.warc.gz").path
    static let sampleCharter = root.appendingPathComponent("Samples/charters/trang-tong-hop-phuong-nam.yaml").path

    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    // MARK: - Running things

    var binary: URL { ToolRunner.tonchi(near: ReportFormatsTests.self) }

    typealias Run = ToolRunner.Run

    @discardableResult
    func run(_ executable: URL, _ arguments: [String], directory: URL? = nil) throws -> Run {
        try ToolRunner.run(executable, arguments, directory: directory ?? scratch)
    }

    func tonchi(_ arguments: [String]) throws -> Run { try run(binary, arguments) }

    func which(_ name: String) -> URL? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Validates a file against a JSON schema (or one of its definitions) with Python's jsonschema.
    func validate(_ file: URL, schema: String, definition: String = "-", ndjson: Bool = false) throws -> Run {
        guard let python = which("python3") else { throw XCTSkip("python3 is not installed: schema validation skipped") }
        let result = try run(python, [Self.fixtures.appendingPathComponent("validate.py").path, schema, definition, file.path] + (ndjson ? ["--ndjson"] : []))
        if result.status == 3 { throw XCTSkip("python3 has no jsonschema module (pip install jsonschema): schema validation skipped") }
        return result
    }

    /// Findings in the sample scan's JSON report (page, repeated and site findings) and the first cited provision.
    func sampleFindings() throws -> (count: Int, citation: String) {
        let scan = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "json", Self.sampleDump])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        var findings: [[String: Any]] = []
        for site in json["sites"] as? [[String: Any]] ?? [] {
            for page in site["pages"] as? [[String: Any]] ?? [] { findings += page["findings"] as? [[String: Any]] ?? [] }
            findings += site["repeatedFindings"] as? [[String: Any]] ?? []
            findings += site["siteFindings"] as? [[String: Any]] ?? []
        }
        let citation = ((findings.first?["citations"] as? [[String: Any]])?.first?["id"] as? String) ?? "?"
        return (findings.count, citation)
    }

    func write(_ text: String, _ name: String) throws -> URL {
        let url = scratch.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    // MARK: - JSON, NDJSON, SARIF

    func testJSONOutputsMatchTheDocumentedSchema() throws {
        let scan = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "json", Self.sampleDump])
        XCTAssertEqual(scan.status, 1, scan.stderr)
        let scanFile = try write(scan.stdout, "scan.json")
        let valid = try validate(scanFile, schema: Self.reportSchema, definition: "scan")
        XCTAssertEqual(valid.status, 0, valid.stdout)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scan.stdout.utf8)) as? [String: Any])
        let evidence = try XCTUnwrap(((json["sites"] as? [[String: Any]])?.first?["evidence"]) as? [[String: Any]])
        XCTAssertEqual(evidence.count, 11)
        XCTAssertTrue(evidence.allSatisfy { ($0["digest"] as? [String: Any])?["verdict"] as? String == "ok" })

        let check = try tonchi(["check", "--kind", "trang-ttdt-tong-hop", "--format", "json",
                                Self.root.appendingPathComponent("Samples/drafts/bao-hoa-tong-hop.html").path])
        let checkFile = try write(check.stdout, "check.json")
        XCTAssertEqual(try validate(checkFile, schema: Self.reportSchema, definition: "check").status, 0)

        // The schema is not vacuous: an evidence item without its hash is refused.
        let broken = scan.stdout.replacingOccurrences(of: "\"sha256\" :", with: "\"sha-256\" :")
        XCTAssertNotEqual(broken, scan.stdout)
        XCTAssertEqual(try validate(try write(broken, "broken.json"), schema: Self.reportSchema, definition: "scan").status, 1)
    }

    func testNDJSONIsOneValidObjectPerLine() throws {
        let result = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "ndjson", Self.sampleDump])
        XCTAssertEqual(result.status, 1, result.stderr)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(result.stdout.last, "\n")
        let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], String($0)) }
        XCTAssertEqual(objects.first?["type"] as? String, "start")
        XCTAssertEqual(objects.first?["schema"] as? String, "tonchi.ndjson/1")
        XCTAssertEqual(objects.last?["type"] as? String, "summary")
        let findings = objects.filter { $0["type"] as? String == "finding" }
        XCTAssertEqual(objects.last?["findings"] as? Int, findings.count)
        // The same findings as the JSON report (menu and footer findings once).
        XCTAssertEqual(findings.count, try sampleFindings().count)
        XCTAssertGreaterThan(objects.filter { $0["type"] as? String == "occurrence" }.count, 0)
        XCTAssertTrue(findings.allSatisfy { ($0["evidence"] as? [String: Any])?["sha256"] != nil || $0["placement"] as? String == "site" })
        XCTAssertEqual(try validate(try write(result.stdout, "out.ndjson"), schema: Self.reportSchema, definition: "ndjsonLine", ndjson: true).status, 0)
        // Check runs write the same kinds of lines.
        let check = try tonchi(["check", "--kind", "trang-ttdt-tong-hop", "--format", "ndjson",
                                Self.root.appendingPathComponent("Samples/drafts/bao-hoa-tong-hop.html").path])
        XCTAssertEqual(try validate(try write(check.stdout, "check.ndjson"), schema: Self.reportSchema, definition: "ndjsonLine", ndjson: true).status, 0)
    }

    func testSARIFValidatesAgainstTheOfficialSchema() throws {
        // A corrupt input beside the dump: it must show up as a tool notification.
        let corrupt = scratch.appendingPathComponent("broken.warc.gz")
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03]).write(to: corrupt)
        let output = scratch.appendingPathComponent("out.sarif")
        let result = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "sarif", "--output", output.path, Self.sampleDump, corrupt.path])
        XCTAssertEqual(result.status, 3, result.stderr)
        let schema = Self.fixtures.appendingPathComponent("sarif-schema-2.1.0.json").path
        let valid = try validate(output, schema: schema)
        XCTAssertEqual(valid.status, 0, valid.stdout)

        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let driver = try XCTUnwrap((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try XCTUnwrap(driver["rules"] as? [[String: Any]])
        XCTAssertTrue(rules.allSatisfy { ($0["help"] as? [String: Any])?["text"] as? String != nil })
        // The catalog is a taxonomy, referenced from results, not tags.
        let taxonomy = try XCTUnwrap((run["taxonomies"] as? [[String: Any]])?.first)
        let taxa = try XCTUnwrap(taxonomy["taxa"] as? [[String: Any]])
        XCTAssertFalse(taxa.isEmpty)
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, try sampleFindings().count)
        let taxonIDs = Set(taxa.compactMap { $0["id"] as? String })
        for result in results {
            let refs = try XCTUnwrap(result["taxa"] as? [[String: Any]])
            XCTAssertFalse(refs.isEmpty)
            XCTAssertTrue(refs.allSatisfy { taxonIDs.contains($0["id"] as? String ?? "") })
            XCTAssertNotNil((result["partialFingerprints"] as? [String: Any])?["tonchiFinding/v1"])
            let region = try XCTUnwrap(((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
            XCTAssertNotNil(region["byteOffset"])
            XCTAssertNotNil(region["byteLength"])
            XCTAssertNil((result["properties"] as? [String: Any])?["tags"])
        }
        let flagged = taxa.filter { ($0["properties"] as? [String: Any])?["needsChecking"] as? Bool == true }
        XCTAssertTrue(flagged.allSatisfy { (($0["shortDescription"] as? [String: Any])?["text"] as? String ?? "").contains("cần đối chiếu văn bản gốc") })
        let notifications = try XCTUnwrap((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [[String: Any]])
        XCTAssertTrue(notifications.contains { (($0["message"] as? [String: Any])?["text"] as? String ?? "").contains("unreadable") }, "\(notifications)")
    }

    /// A draft's suppressed finding is a SARIF result with an in-source suppression (and the log still
    /// validates); the evidence report lists it apart with the author's reason.
    func testSuppressedFindingsAreSARIFSuppressionsAndListedInTheReport() throws {
        let draft = scratch.appendingPathComponent("ban-thao.md")
        try """
        # Tin tổng hợp

        <!-- tonchi-disable tts.newsroom-titles: bài giới thiệu lịch sử tờ báo đối tác, được trích nguyên văn -->
        Liên hệ Tòa soạn: 0912 345 678. Ban biên tập trân trọng cảm ơn bạn đọc.
        <!-- tonchi-enable -->
        """.write(to: draft, atomically: true, encoding: .utf8)
        let output = scratch.appendingPathComponent("draft.sarif")
        let result = try tonchi(["check", "--kind", "trang-ttdt-tong-hop", "--format", "sarif", "--output", output.path, draft.path])
        XCTAssertEqual(result.status, 0, result.stderr)   // nothing left that counts
        let valid = try validate(output, schema: Self.fixtures.appendingPathComponent("sarif-schema-2.1.0.json").path)
        XCTAssertEqual(valid.status, 0, valid.stdout)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        let results = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let suppressed = try XCTUnwrap(results.first { $0["ruleId"] as? String == "tts.newsroom-titles" }, "\(results)")
        let suppression = try XCTUnwrap((suppressed["suppressions"] as? [[String: Any]])?.first)
        XCTAssertEqual(suppression["kind"] as? String, "inSource")
        XCTAssertTrue((suppression["justification"] as? String ?? "").contains("trích nguyên văn"))

        let html = try tonchi(["check", "--kind", "trang-ttdt-tong-hop", "--format", "html", draft.path])
        XCTAssertTrue(html.stdout.contains("Phát hiện được loại trừ"), html.stdout)
        XCTAssertTrue(html.stdout.contains("X1"))
        XCTAssertTrue(html.stdout.contains("trích nguyên văn"))
    }

    // MARK: - The evidence report

    func testHTMLEvidenceReportHoldsWhatAnInspectorFiles() throws {
        let result = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "html", Self.sampleDump])
        XCTAssertEqual(result.status, 1, result.stderr)
        let html = result.stdout
        let sample = try sampleFindings()
        for expected in ["<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;", "script-src &#39;none&#39;", "Sở Văn hóa, Thể thao và Du lịch tỉnh Hòa Giang", "57/GP-TTĐT",
                         "tts.press-sections", sample.citation, "cần đối chiếu văn bản gốc", "Dự thảo nội dung vi phạm", "Phụ lục A", "F\(sample.count)", "E11",
                         "2026-09-21T01:30", "WARC-Payload-Digest", "@page{size:A4", "tonchi scan"] {
            XCTAssertTrue(html.contains(expected), "missing: \(expected)")
        }
        // Repeated menu: one finding with 11 locations.
        XCTAssertTrue(html.contains("(11 trang;"), "repeated finding with its 11 pages")
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.contains("http://") && html.contains("<link"), "no external resources")
        let english = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "html", "--lang", "en", Self.sampleDump]).stdout
        XCTAssertTrue(english.contains("Summary by provision"))
        XCTAssertTrue(english.contains("<html lang=\"en\">"))
    }

    /// Pages full of script, event handlers and javascript: URLs: the report escapes them all,
    /// and in headless Chromium nothing runs — not even a script slipped into the report by hand,
    /// which the Content-Security-Policy blocks.
    func testHostileContentRunsNoScriptInChromium() throws {
        let warc = scratch.appendingPathComponent("hostile.warc")
        try HostileWARC.make().write(to: warc)
        let report = scratch.appendingPathComponent("hostile.html")
        let result = try tonchi(["scan", "--kind", "trang-ttdt-tong-hop", "--format", "html", "--output", report.path, warc.path])
        XCTAssertEqual(result.status, 1, result.stderr)
        let html = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(html.contains("PWNED-EXCERPT"), "the hostile excerpt is in the report, as text")
        XCTAssertTrue(html.contains("PWNED-URL"), "the hostile URL is in the report, as text")
        let lower = html.lowercased()
        for forbidden in ["<script", "<img", "<svg", "<body onload", "href=\"javascript:", "<b id=pwned-marker", "<a href=\"javascript"] {
            XCTAssertFalse(lower.contains(forbidden), "unescaped \(forbidden)")
        }
        // No tag of the report carries an event handler (the page's own appear only as escaped text).
        let handler = try NSRegularExpression(pattern: "<[a-z][^>]*\\son[a-z]+\\s*=", options: [.caseInsensitive])
        XCTAssertEqual(handler.numberOfMatches(in: html, range: NSRange(html.startIndex..., in: html)), 0)
        // Excerpt context is the page's source, shown verbatim: its entities stay entities, as text.
        XCTAssertTrue(html.contains("&amp;lt;script&amp;gt;document.title=&#39;PWNED-EXCERPT&#39;"))
        XCTAssertTrue(html.contains("&lt;script&gt;document.title=&#39;PWNED-URL&#39;&lt;/script&gt;"))

        guard let chromium = which("chromium") ?? which("chromium-browser") ?? which("google-chrome") else {
            throw XCTSkip("chromium is not installed (Debian package 'chromium'): the browser half of the test is skipped")
        }
        func dumpDOM(_ file: URL) throws -> String {
            var args = ["--headless", "--disable-gpu", "--no-first-run", "--user-data-dir=\(scratch.appendingPathComponent("profile").path)",
                        "--virtual-time-budget=2000", "--dump-dom", file.absoluteString]
            if getuid() == 0 { args.insert("--no-sandbox", at: 0) }
            let dom = try run(chromium, args)
            XCTAssertEqual(dom.status, 0, dom.stderr)
            return dom.stdout
        }
        func title(_ dom: String) -> String {
            guard let open = dom.range(of: "<title>"), let close = dom.range(of: "</title>", range: open.upperBound..<dom.endIndex) else { return "" }
            return String(dom[open.upperBound..<close.lowerBound])
        }
        let dom = try dumpDOM(report)
        XCTAssertTrue(dom.contains("Content-Security-Policy"))
        XCTAssertFalse(title(dom).contains("PWNED"), title(dom))
        XCTAssertFalse(dom.contains("id=\"pwned-marker\""))
        XCTAssertFalse(dom.contains("injected-marker"))

        // The harness can see a script run: the same page without its policy, with a script added, changes its title…
        let probe = "<script>document.title='PWNED-PROBE';var e=document.createElement('p');e.id='injected-marker';document.body.appendChild(e)</script></body>"
        let unprotected = html.replacingOccurrences(of: "<meta http-equiv=\"Content-Security-Policy\"", with: "<meta name=\"x-removed\"")
            .replacingOccurrences(of: "</body>", with: probe)
        let control = try write(unprotected, "control.html")
        let controlDOM = try dumpDOM(control)
        XCTAssertTrue(title(controlDOM).contains("PWNED-PROBE"), "control: a script runs without the policy")
        // …and with the policy in place, the same injected script does not run.
        let guarded = try write(html.replacingOccurrences(of: "</body>", with: probe), "guarded.html")
        let guardedDOM = try dumpDOM(guarded)
        XCTAssertFalse(title(guardedDOM).contains("PWNED"), title(guardedDOM))
        XCTAssertFalse(guardedDOM.contains("injected-marker\"></p>"))
    }

    func testPDFHoldsTheFindings() throws {
        guard which("chromium") ?? which("chromium-browser") ?? which("google-chrome") != nil else {
            throw XCTSkip("chromium is not installed (Debian package 'chromium'): PDF test skipped")
        }
        guard let pdftotext = which("pdftotext") else { throw XCTSkip("pdftotext is not installed (Debian package 'poppler-utils'): PDF test skipped") }
        let pdf = scratch.appendingPathComponent("report.pdf")
        let result = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "html", "--output", scratch.appendingPathComponent("r.html").path,
                                 "--pdf", pdf.path, Self.sampleDump])
        XCTAssertEqual(result.status, 1, result.stderr)
        let text = try run(pdftotext, ["-enc", "UTF-8", pdf.path, "-"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let sample = try sampleFindings()
        for expected in ["tts.press-sections", sample.citation, "57/GP-TTĐT", "F\(sample.count)", "E11"] {
            XCTAssertTrue(text.stdout.contains(expected), "PDF text lacks \(expected)")
        }
    }

    // MARK: - Manifest and verify

    func testManifestVerifiesAndNamesWhatChanged() throws {
        // An uncompressed copy of the sample dump, so that one page's bytes can be altered in place.
        let warc = scratch.appendingPathComponent("site.warc")
        let unzipped = try run(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -dc \"$0\" > site.warc", Self.sampleDump])
        XCTAssertEqual(unzipped.status, 0, unzipped.stderr)
        let result = try tonchi(["scan", "--charter", Self.sampleCharter, "--format", "html", "--output", "report.html",
                                 "--manifest", "report.manifest.json", "site.warc"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let manifest = scratch.appendingPathComponent("report.manifest.json")
        XCTAssertEqual(try validate(manifest, schema: Self.reportSchema, definition: "manifest").status, 0)

        let clean = try tonchi(["verify", manifest.path])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        XCTAssertTrue(clean.stdout.contains("13 ok, 0 differ"), clean.stdout)

        // Alter one letter in one article's body (same length, so every other record stays put).
        var bytes = [UInt8](try Data(contentsOf: warc))
        let needle = Array("Nhóm PV".utf8)
        let at = try XCTUnwrap((0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle })
        bytes[at + needle.count - 1] = UInt8(ascii: "X")
        try Data(bytes).write(to: warc)
        var html = try String(contentsOf: scratch.appendingPathComponent("report.html"), encoding: .utf8)
        html += "<!-- edited -->"
        try Data(html.utf8).write(to: scratch.appendingPathComponent("report.html"))

        let dirty = try tonchi(["verify", "--quiet", manifest.path])
        XCTAssertEqual(dirty.status, 1)
        let lines = dirty.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("DIFFERS  report report.html: sha256 expected") }, dirty.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("DIFFERS  input site.warc: sha256 expected") }, dirty.stdout)
        let items = lines.filter { $0.hasPrefix("DIFFERS  E") }
        XCTAssertEqual(items.count, 1, dirty.stdout)
        XCTAssertTrue(items.first?.contains("offset") == true)
        XCTAssertTrue(dirty.stdout.contains("3 differ or missing"), dirty.stdout)

        XCTAssertEqual(try tonchi(["verify", scratch.appendingPathComponent("nope.json").path]).status, 2)
        XCTAssertEqual(try tonchi(["scan", "--kind", "trang-ttdt-tong-hop", "--manifest", "m.json", "site.warc"]).status, 2,
                       "--manifest without --output is a usage error")
    }
}

/// A WARC of pages written to attack a report: script in the head, event handlers, javascript:
/// links, and page text (HTML entities, so it survives extraction) that spells out more markup;
/// one URL carries a script too.
enum HostileWARC {
    static let page = """
    <html><head><title>Tin nóng</title><script>document.title='PWNED-HEAD'</script></head>
    <body onload="document.title='PWNED-ONLOAD'">
    <nav><ul><li><a href="javascript:document.title='PWNED-NAV'">Thời sự</a></li><li><a href="/tin-nong">Tin nóng</a></li><li><a href="/dieu-tra">Điều tra</a></li></ul></nav>
    <article><h1>Tuyển phóng viên &lt;script&gt;document.title='PWNED-EXCERPT'&lt;/script&gt;</h1>
    <p>Tòa soạn cần tuyển phóng viên &lt;img src=x onerror="document.title='PWNED-IMG'"&gt; gấp. &lt;b id=pwned-marker&gt;marker&lt;/b&gt;</p></article>
    <footer>Tòa soạn: 1 đường A. Tổng biên tập: Nguyễn Văn A &lt;svg onload=alert(1)&gt;</footer></body></html>
    """

    static func record(url: String, n: Int) -> [UInt8] {
        let body = Array(page.utf8)
        let http = Array("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        let head = "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: \(url)\r\nWARC-Date: 2026-09-21T01:30:0\(n)Z\r\n"
            + "WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-00000000000\(n)>\r\nContent-Type: application/http; msgtype=response\r\n"
            + "Content-Length: \(http.count)\r\n\r\n"
        return Array(head.utf8) + http + Array("\r\n\r\n".utf8)
    }

    static func make() -> Data {
        Data(record(url: "https://evil.example.vn/", n: 1)
            + record(url: "https://evil.example.vn/a?q=\"><script>document.title='PWNED-URL'</script>", n: 2)
            + record(url: "javascript:document.title='PWNED-JS'//evil.example.vn/", n: 3))
    }
}
