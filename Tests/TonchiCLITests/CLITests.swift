import Foundation
import TonchiTestSupport
import XCTest

/// Runs the built `tonchi` binary as a user would: exit codes, formats, standard input.
final class CLITests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    var binary: URL { ToolRunner.tonchi(near: CLITests.self) }

    typealias Run = ToolRunner.Run

    func tonchi(_ arguments: [String], stdin: String? = nil) throws -> Run {
        try ToolRunner.run(binary, arguments, stdin: stdin.map { Data($0.utf8) })   // from the temporary folder: works from any directory
    }

    func sample(_ name: String) -> String { root.appendingPathComponent("Samples/drafts/\(name)").path }

    func testExitCodes() throws {
        XCTAssertEqual(try tonchi(["check", "--kind", "tap-chi-khoa-hoc", sample("ban-thao-dat-chuan.md")]).status, 0)
        let dirty = try tonchi(["check", "--kind", "trang-ttdt-tong-hop", sample("bao-hoa-tong-hop.html")])
        XCTAssertEqual(dirty.status, 1)
        XCTAssertTrue(dirty.stdout.contains("[tts.newsroom-titles]"), dirty.stdout)
        // --fail-on above every finding's severity: nothing to fail on.
        XCTAssertEqual(try tonchi(["check", "--kind", "trang-ttdt-tong-hop", "--fail-on", "critical", sample("bao-hoa-tong-hop.html")]).status, 0)
        let usage = try tonchi(["check", "--kind", "bao-giay", sample("quang-cao.txt")])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("bao-giay"), usage.stderr)
        let missing = try tonchi(["check", "--kind", "tap-chi-dien-tu", sample("quang-cao.txt"), "/no/such/file.txt"])
        XCTAssertEqual(missing.status, 3)
        XCTAssertTrue(missing.stdout.contains("/no/such/file.txt: unreadable"), missing.stdout)
        XCTAssertTrue(missing.stdout.contains("[tmh.unlabelled-advertorial]"), "the readable input is still checked")
    }

    func testStandardInputAndJSON() throws {
        let run = try tonchi(["check", "--kind", "tap-chi-dien-tu", "--format", "json", "-"],
                             stdin: "Thông báo tuyển phóng viên khu vực phía Bắc.\n")
        XCTAssertEqual(run.status, 1)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["schema"] as? String, "tonchi.check/1")
        let documents = try XCTUnwrap(json["documents"] as? [[String: Any]])
        let finding = try XCTUnwrap((documents.first?["findings"] as? [[String: Any]])?.first)
        XCTAssertEqual(finding["ruleID"] as? String, "tmh.recruit-reporters")
        let span = try XCTUnwrap((finding["spans"] as? [[String: Any]])?.first)
        XCTAssertEqual(span["start"] as? Int, "Thông báo ".utf8.count)
        XCTAssertEqual(span["excerpt"] as? String, "tuyển phóng viên")
    }

    func testRulesCommands() throws {
        let check = try tonchi(["rules", "check"])
        XCTAssertEqual(check.status, 0, check.stdout)
        XCTAssertTrue(check.stdout.contains("0 error(s)"))
        XCTAssertEqual(try tonchi(["rules", "test"]).status, 0)
        let list = try tonchi(["rules", "list"])
        XCTAssertTrue(list.stdout.contains("tts.newsroom-titles"))
        // A broken rules tree: errors are reported with file:line:col, and --strict makes them fatal.
        let broken = root.appendingPathComponent("Tests/TonchiRulesTests/Fixtures")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("legal"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: broken.appendingPathComponent("broken.rules"), to: dir.appendingPathComponent("broken.rules"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("Rules/legal/catalog.yaml"), to: dir.appendingPathComponent("legal/catalog.yaml"))
        let diagnostics = try tonchi(["rules", "check", "--rules", dir.path])
        XCTAssertEqual(diagnostics.status, 2)
        XCTAssertTrue(diagnostics.stdout.contains("broken.rules:10:15: error[TR201]"), diagnostics.stdout)
        XCTAssertEqual(try tonchi(["check", "--kind", "tap-chi-dien-tu", "--rules", dir.path, "--strict", sample("quang-cao.txt")]).status, 2)
    }

    func testScanOfTheSampleSiteGroupsFindingsPerSite() throws {
        let run = try tonchi(["scan", "--charter", root.appendingPathComponent("Samples/charters/trang-tong-hop-binh-minh.yaml").path,
                              "--format", "json", root.appendingPathComponent("Samples/sites").path])
        XCTAssertEqual(run.status, 1, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["schema"] as? String, "tonchi.scan/1")
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["pagesScanned"] as? Int, 5)
        let site = try XCTUnwrap((json["sites"] as? [[String: Any]])?.first)
        let facts = try XCTUnwrap(site["facts"] as? [String: Any])
        XCTAssertEqual(facts["host"] as? String, "binhminh.example.vn")
        let licence = try XCTUnwrap(facts["licence"] as? [String: Any])
        XCTAssertEqual(licence["number"] as? String, "99/GP-TTĐT")
        XCTAssertEqual(licence["kind"] as? String, "gp-ttdt")
        XCTAssertEqual(licence["date"] as? String, "2021-09-01")
        // The footer names a newsroom on every page: one finding with five pages, not five findings.
        let repeated = try XCTUnwrap(site["repeatedFindings"] as? [[String: Any]])
        let newsroom = try XCTUnwrap(repeated.first { $0["ruleID"] as? String == "tts.newsroom-titles" })
        XCTAssertEqual((newsroom["pages"] as? [String])?.count, 5)
        let pages = try XCTUnwrap(site["pages"] as? [[String: Any]])
        let pageRules = pages.flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleID"] as? String } }
        XCTAssertFalse(pageRules.contains("tts.newsroom-titles"))
        XCTAssertTrue(pageRules.contains("tts.reporter-byline"))
    }

    func testScanReportsBadDumpsAndGoesOn() throws {
        let folder = try SharedCorpus.require().appendingPathComponent("warc")
        let warcs = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            .filter { $0.contains(".") && !$0.hasSuffix(".tsv") && !$0.hasSuffix(".jsonl") && !$0.hasSuffix(".cdx") && !$0.hasSuffix(".cdxj") }
            .map { folder.appendingPathComponent($0).path }
        XCTAssertGreaterThan(warcs.count, 20)
        let run = try tonchi(["scan", "--kind", "trang-ttdt-tong-hop", "--format", "json"] + warcs)
        XCTAssertEqual(run.status, 3, "bad and unsupported files must give exit code 3")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertGreaterThan(coverage["pagesScanned"] as? Int ?? 0, 10, "good files are still scanned")
        let unchecked = ((coverage["unreadable"] as? [[String: Any]]) ?? []) + ((coverage["unsupported"] as? [[String: Any]]) ?? [])
        let files = Set(unchecked.compactMap { ($0["location"] as? [String: Any])?["file"] as? String }.map { URL(fileURLWithPath: $0).lastPathComponent })
        XCTAssertTrue(files.contains("bad.arc"), "\(files)")
        XCTAssertTrue(files.contains("example-trunc.warc"), "\(files)")
    }

    func testCharterErrorStopsTheScan() throws {
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-bad-charter-\(UUID()).yaml")
        try "name: A\nkind: bao-giay\n".write(to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let run = try tonchi(["scan", "--charter", bad.path, root.appendingPathComponent("Samples/sites").path])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains(":2:7: charter field 'kind'"), run.stderr)
    }

    func testScanReadsADumpFromStandardInput() throws {
        let page = try String(contentsOf: root.appendingPathComponent("Samples/sites/binhminh.example.vn/thoi-su.html"), encoding: .utf8)
        let body = Array(page.utf8)
        let http = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.count)\r\n\r\n" + page
        let warc = "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://binhminh.example.vn/thoi-su.html\r\n"
            + "WARC-Date: 2025-03-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789abc>\r\n"
            + "Content-Type: application/http;msgtype=response\r\nContent-Length: \(http.utf8.count)\r\n\r\n" + http + "\r\n\r\n"
        let run = try tonchi(["scan", "--kind", "trang-ttdt-tong-hop", "--format", "json", "-"], stdin: warc)
        XCTAssertEqual(run.status, 1, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["coverage"] as? [String: Any])?["pagesScanned"] as? Int, 1)
        let page0 = try XCTUnwrap(((json["sites"] as? [[String: Any]])?.first?["pages"] as? [[String: Any]])?.first)
        XCTAssertEqual(page0["captureDate"] as? String, "2025-03-01T00:00:00Z")
        let rules = (page0["findings"] as? [[String: Any]] ?? []).compactMap { $0["ruleID"] as? String }
        XCTAssertTrue(rules.contains("tmh.recruit-reporters"), "\(rules)")
    }
}
