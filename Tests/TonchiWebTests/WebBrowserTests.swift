import Foundation
import TonchiTestSupport
import XCTest

/// The inspectors' web app as a person uses it: `tonchi serve` started on a free loopback port,
/// forms posted as a browser posts them (curl: multipart upload, url-encoded forms, a cookie jar),
/// pages rendered in headless Chromium (`--dump-dom`, `--screenshot`). Screenshots are written
/// under .build/test-output/web/ and their paths printed.
final class WebBrowserTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var folder: URL!
    var servers: [Server] = []

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        for server in servers { server.stop() }
        try? FileManager.default.removeItem(at: folder)
    }

    static var outputFolder: URL {
        let url = root.appendingPathComponent(".build/test-output/web")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static var binary: URL { ToolRunner.tonchi(near: WebBrowserTests.self) }

    // MARK: The server

    final class Server {
        let process = Process()
        let port: Int
        let base: String
        private let log: URL

        init(arguments: [String], folder: URL) throws {
            log = folder.appendingPathComponent("server-\(UUID().uuidString).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.executableURL = WebBrowserTests.binary
            process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"] + arguments
            process.standardError = handle
            process.standardOutput = handle
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            var found: Int?
            while found == nil && Date() < deadline && process.isRunning {
                Thread.sleep(forTimeInterval: 0.1)
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: #"listening on http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                    found = Int(text[range].split(separator: ":").last!.dropLast())
                }
            }
            guard let found else {
                process.terminate()
                throw XCTSkip("tonchi serve did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
            }
            port = found
            base = "http://127.0.0.1:\(found)"
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func stop() {
            if process.isRunning { process.terminate(); process.waitUntilExit() }
        }

        /// SIGKILL: the server gets no chance to tidy up.
        func kill() {
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        }
    }

    // MARK: HTTP through curl (a browser's form posts, with a cookie jar)

    struct HTTPResult { let status: Int; let headers: String; let body: String }

    func curl(_ arguments: [String], jar: URL) throws -> HTTPResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let headerFile = folder.appendingPathComponent("h-\(UUID().uuidString)")
        process.arguments = ["curl", "--noproxy", "*", "-s", "-S", "-b", jar.path, "-c", jar.path, "-D", headerFile.path,
                             "-H", "Expect:", "--max-time", "60"] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let headers = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        let status = headers.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return HTTPResult(status: status, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    func get(_ server: Server, _ path: String, jar: URL) throws -> HTTPResult { try curl([server.base + path], jar: jar) }

    func csrf(_ page: String) -> String? {
        guard let r = page.range(of: #"name="csrf" value="[0-9a-f]+""#, options: .regularExpression) else { return nil }
        return String(page[r].split(separator: "\"")[3])
    }

    func upload(_ server: Server, file: URL, charter: String, jar: URL) throws -> HTTPResult {
        let home = try get(server, "/", jar: jar)
        let token = try XCTUnwrap(csrf(home.body), "no CSRF token on the home page")
        return try curl(["-F", "csrf=\(token)", "-F", "charter=\(charter)", "-F", "kind=", "-F", "file=@\(file.path)", server.base + "/scans"], jar: jar)
    }

    func location(_ r: HTTPResult) -> String? {
        r.headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("location:") }.map { String($0.dropFirst(9)).trimmingCharacters(in: .whitespaces) }
    }

    func waitForScan(_ server: Server, _ path: String, jar: URL, until states: Set<String> = ["done", "failed"], timeout: TimeInterval = 90) throws -> HTTPResult {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let page = try get(server, path, jar: jar)
            if let r = page.body.range(of: #"data-status="[a-z]+""#, options: .regularExpression) {
                let state = String(page.body[r].split(separator: "\"")[1])
                if states.contains(state) { return page }
            }
            if Date() > deadline { XCTFail("scan \(path) did not reach \(states): \(page.body.suffix(500))"); return page }
            Thread.sleep(forTimeInterval: 0.3)
        }
    }

    func fingerprints(_ page: String) -> [(String, String)] {
        let regex = try! NSRegularExpression(pattern: #"data-fingerprint="([0-9a-f]{64})" data-review="([a-z-]+)""#)
        return regex.matches(in: page, range: NSRange(page.startIndex..., in: page)).map {
            (String(page[Range($0.range(at: 1), in: page)!]), String(page[Range($0.range(at: 2), in: page)!]))
        }
    }

    // MARK: Chromium

    var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @discardableResult
    func browser(_ arguments: [String], url: String) throws -> String {
        guard let chromium else { throw XCTSkip("Chromium is missing (apt-get install chromium): browser checks skipped") }
        let profile = folder.appendingPathComponent("chromium-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-proxy-server", "--disable-extensions",
                             "--user-data-dir=\(profile.path)"] + arguments + [url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func screenshot(_ url: String, name: String) throws {
        let file = Self.outputFolder.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: file)
        try browser(["--screenshot=\(file.path)", "--window-size=1280,2000", "--hide-scrollbars"], url: url)
        XCTAssertTrue(FileManager.default.fileExists(atPath: file.path), "no screenshot \(file.path)")
        print("screenshot: \(file.path)")
    }

    // MARK: Tests

    /// Upload a sample dump, wait for the scan, read the report, mark findings, re-scan: the marks carry over.
    func testUploadScanReviewRescan() throws {
        let server = try Server(arguments: ["--store", folder.appendingPathComponent("store.sqlite").path,
                                            "--uploads", folder.appendingPathComponent("uploads").path,
                                            "--charters", Self.root.appendingPathComponent("Samples/charters").path], folder: folder)
        servers.append(server)
        let jar = folder.appendingPathComponent("cookies")
        let dump = Self.root.appendingPathComponent("Samples/dumps/bao-hoa-tong-hop.warc.gz")

        // A home page with a strict CSP and a session cookie.
        let home = try get(server, "/", jar: jar)
        XCTAssertEqual(home.status, 200)
        XCTAssertTrue(home.headers.contains("Content-Security-Policy: default-src 'none'"), home.headers)
        XCTAssertTrue(home.headers.contains("SameSite=Strict") && home.headers.contains("HttpOnly"), home.headers)

        // A state change without the CSRF token is refused.
        let forged = try curl(["-F", "charter=s-trang-tong-hop-phuong-nam", "-F", "file=@\(dump.path)", server.base + "/scans"], jar: jar)
        XCTAssertEqual(forged.status, 403)

        // Upload → 303 to the job page → progress → done.
        let posted = try upload(server, file: dump, charter: "s-trang-tong-hop-phuong-nam", jar: jar)
        XCTAssertEqual(posted.status, 303, posted.body)
        let job1 = try XCTUnwrap(location(posted))
        let done1 = try waitForScan(server, job1, jar: jar)
        XCTAssertTrue(done1.body.contains(#"data-status="done""#), done1.body)
        let found1 = fingerprints(done1.body)
        XCTAssertEqual(found1.count, 23, "the sample dump has 23 findings (docs/history.md)")
        XCTAssertTrue(found1.allSatisfy { $0.1 == "pending" })

        // Rendered in Chromium: the findings are on the page, and no script is there to run.
        let dom = try browser(["--dump-dom"], url: server.base + job1)
        XCTAssertTrue(dom.contains("Tuyển phóng viên, cấp thẻ phóng viên"), String(dom.prefix(2000)))
        XCTAssertTrue(dom.contains(#"id="finding-count">23<"#))
        XCTAssertFalse(dom.lowercased().contains("<script"))
        try screenshot(server.base + job1, name: "1-scan-result.png")

        // The evidence report: its own CSP, every finding, no script; the downloads.
        let report = try get(server, job1 + "/report", jar: jar)
        XCTAssertEqual(report.status, 200)
        XCTAssertTrue(report.headers.contains("script-src 'none'"), report.headers)
        XCTAssertFalse(report.body.lowercased().contains("<script"))
        try screenshot(server.base + job1 + "/report", name: "2-evidence-report.png")
        let json = try get(server, job1 + "/download/json", jar: jar)
        XCTAssertTrue(json.headers.lowercased().contains("content-disposition: attachment"), json.headers)
        let scan = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])
        XCTAssertEqual(scan["schema"] as? String, "tonchi.scan/1")
        let sarif = try get(server, job1 + "/download/sarif", jar: jar)
        XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(sarif.body.utf8)))
        let pdf = try get(server, job1 + "/download/pdf", jar: jar)
        XCTAssertTrue(pdf.body.hasPrefix("%PDF"), "the PDF download: \(pdf.headers)")
        let html = try get(server, job1 + "/download/html", jar: jar)
        XCTAssertTrue(html.body.contains("Content-Security-Policy"))
        // No finding lost between the store (the page) and the report (the evidence JSON's findings).
        let evidence = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("uploads/jobs").appendingPathComponent(job1.split(separator: "/").last.map(String.init)!)
                .appendingPathComponent("out/evidence.json"))) as? [String: Any])
        XCTAssertEqual((evidence["findings"] as? [Any])?.count, found1.count)

        // Mark one finding confirmed and one a false positive (its reason holds markup: shown escaped).
        let page = try get(server, job1, jar: jar).body
        let token = try XCTUnwrap(csrf(page))
        let jobID = String(job1.split(separator: "/").last!)
        let confirmed = found1[0].0, falsePositive = found1[1].0
        let r1 = try curl(["--data-urlencode", "csrf=\(token)", "--data-urlencode", "fingerprint=\(confirmed)", "--data-urlencode", "status=confirmed",
                           "--data-urlencode", "job=\(jobID)", server.base + "/findings/review"], jar: jar)
        XCTAssertEqual(r1.status, 303, r1.body)
        let noReason = try curl(["--data-urlencode", "csrf=\(token)", "--data-urlencode", "fingerprint=\(falsePositive)",
                                 "--data-urlencode", "status=false-positive", "--data-urlencode", "job=\(jobID)", server.base + "/findings/review"], jar: jar)
        XCTAssertEqual(noReason.status, 400, "a false positive needs a reason")
        let r2 = try curl(["--data-urlencode", "csrf=\(token)", "--data-urlencode", "fingerprint=\(falsePositive)", "--data-urlencode", "status=false-positive",
                           "--data-urlencode", "reason=<script>alert(1)</script> trang đã gỡ", "--data-urlencode", "job=\(jobID)",
                           server.base + "/findings/review"], jar: jar)
        XCTAssertEqual(r2.status, 303, r2.body)
        let marked = try get(server, job1, jar: jar).body
        XCTAssertTrue(marked.contains(#"data-fingerprint="\#(confirmed)" data-review="confirmed""#))
        XCTAssertTrue(marked.contains(#"data-fingerprint="\#(falsePositive)" data-review="false-positive""#))
        XCTAssertFalse(marked.contains("<script>alert(1)"))
        XCTAssertTrue(marked.contains("&lt;script&gt;alert(1)&lt;/script&gt; trang đã gỡ"))

        // Re-scan the same site: the decisions carry over by fingerprint.
        Thread.sleep(forTimeInterval: 1.1)  // a later scan date than the first
        let posted2 = try upload(server, file: dump, charter: "s-trang-tong-hop-phuong-nam", jar: jar)
        let job2 = try XCTUnwrap(location(posted2))
        XCTAssertNotEqual(job1, job2)
        let done2 = try waitForScan(server, job2, jar: jar)
        let found2 = Dictionary(uniqueKeysWithValues: fingerprints(done2.body))
        XCTAssertEqual(found2.count, 23)
        XCTAssertEqual(found2[confirmed], "confirmed")
        XCTAssertEqual(found2[falsePositive], "false-positive")
        let dom2 = try browser(["--dump-dom"], url: server.base + job2)
        XCTAssertTrue(dom2.contains("đã xác nhận vi phạm"))
        XCTAssertTrue(dom2.contains("đã thấy từ lần quét"))
        XCTAssertFalse(dom2.lowercased().contains("<script"))
        try screenshot(server.base + job2, name: "3-rescan-carried-over.png")

        // Compare with the previous scan, and the review list.
        let compare = try get(server, job2 + "/compare", jar: jar).body
        XCTAssertTrue(compare.contains(#"id="n-new">0<"#), compare)
        XCTAssertTrue(compare.contains(#"id="n-persisting">23<"#), compare)
        let list = try browser(["--dump-dom"], url: server.base + "/review-list")
        XCTAssertTrue(list.contains("phuongnamtimes.example.vn"))
        try screenshot(server.base + "/review-list", name: "4-review-list.png")
    }

    /// Paste-an-article check, the charter form's validation, and what uploads are refused.
    func testQuickCheckCharterFormAndRefusedUploads() throws {
        let server = try Server(arguments: ["--store", folder.appendingPathComponent("store.sqlite").path,
                                            "--uploads", folder.appendingPathComponent("uploads").path,
                                            "--max-upload-bytes", "20000"], folder: folder)
        servers.append(server)
        let jar = folder.appendingPathComponent("cookies")
        let token = try XCTUnwrap(csrf(try get(server, "/check", jar: jar).body))

        let draft = try String(contentsOf: Self.root.appendingPathComponent("Samples/drafts/tuyen-phong-vien.txt"), encoding: .utf8)
        let checked = try curl(["--data-urlencode", "csrf=\(token)", "--data-urlencode", "kind=trang-ttdt-tong-hop",
                                "--data-urlencode", "format=text", "--data-urlencode", "text=\(draft)<img src=x onerror=alert(1)>",
                                server.base + "/check"], jar: jar)
        XCTAssertEqual(checked.status, 200)
        XCTAssertTrue(checked.body.contains("phát hiện"), checked.body)
        XCTAssertFalse(checked.body.contains("<img src=x"), "pasted text is escaped")
        XCTAssertTrue(checked.body.contains("&lt;img src=x onerror=alert(1)&gt;"))

        // The charter form: errors are named, a valid charter is saved and offered on the home page.
        let bad = try curl(["--data-urlencode", "csrf=\(token)", "--data-urlencode", "slug=Bad Slug", "--data-urlencode", "name=",
                            "--data-urlencode", "kind=bao-giay", "--data-urlencode", "licence_date=31/02/2023", "--data-urlencode", "licence_number=1/GP",
                            "--data-urlencode", "domains=not a domain!", server.base + "/charters"], jar: jar)
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(bad.body.contains("Mã tệp"), bad.body)
        XCTAssertTrue(bad.body.contains("Tên được cấp phép: bắt buộc"))
        XCTAssertTrue(bad.body.contains("Tên miền không hợp lệ"))
        let good = try curl(["--data-urlencode", "csrf=\(token)", "--data-urlencode", "slug=tap-chi-thu", "--data-urlencode", "name=Tạp chí \"Thử\": số 1",
                             "--data-urlencode", "kind=tap-chi-dien-tu", "--data-urlencode", "licence_number=9/GP-BVHTTDL",
                             "--data-urlencode", "licence_date=2024-01-02", "--data-urlencode", "domains=thu.example.vn",
                             "--data-urlencode", "topics=y-te-suc-khoe", server.base + "/charters"], jar: jar)
        XCTAssertEqual(good.status, 303, good.body)
        XCTAssertTrue(try get(server, "/", jar: jar).body.contains(#"value="u-tap-chi-thu">Tạp chí &quot;Thử&quot;: số 1"#))
        try screenshot(server.base + "/charters/new", name: "5-charter-form.png")

        // Too large, wrong type, zip-slip.
        let big = folder.appendingPathComponent("big.warc.gz")
        try Data(repeating: 0x1F, count: 50_000).write(to: big)
        XCTAssertEqual(try upload(server, file: big, charter: "u-tap-chi-thu", jar: jar).status, 413)
        let text = folder.appendingPathComponent("notes.txt")
        try Data("hello".utf8).write(to: text)
        let wrong = try upload(server, file: text, charter: "u-tap-chi-thu", jar: jar)
        XCTAssertEqual(wrong.status, 400)
        XCTAssertTrue(wrong.body.contains("Chỉ nhận tệp"))
        let slip = folder.appendingPathComponent("slip.zip")
        try python("""
            import zipfile, sys
            with zipfile.ZipFile(sys.argv[1], 'w') as z:
                z.writestr('site.example.vn/index.html', '<html><body>ok</body></html>')
                z.writestr('../../evil.html', 'pwned')
            """, slip.path)
        let posted = try upload(server, file: slip, charter: "u-tap-chi-thu", jar: jar)
        XCTAssertEqual(posted.status, 303, posted.body)
        let failed = try waitForScan(server, try XCTUnwrap(location(posted)), jar: jar)
        XCTAssertTrue(failed.body.contains(#"data-status="failed""#), failed.body)
        XCTAssertTrue(failed.body.contains("đường dẫn không an toàn"), failed.body)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("uploads/evil.html").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("evil.html").path))
    }

    /// The server killed mid-scan: after a restart the scan is marked failed, and the store holds no half-written scan.
    func testRestartMidScanMarksTheScanFailed() throws {
        // A mirror of ~2,000 pages (the sample site's pages, numbered), zipped.
        let site = folder.appendingPathComponent("mirror/phuongnamtimes.example.vn")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        let sources = Self.root.appendingPathComponent("Samples/warc-sources/phuongnamtimes.example.vn")
        let pages = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }.filter { $0.pathExtension == "html" }
        let texts = try pages.map { try String(contentsOf: $0, encoding: .utf8) }
        for i in 0..<2000 {
            let text = texts[i % texts.count].replacingOccurrences(of: "</h1>", with: " số \(i)</h1>")
            try Data(text.utf8).write(to: site.appendingPathComponent("bai-\(i).html"))
        }
        let zip = folder.appendingPathComponent("mirror.zip")
        try python("""
            import zipfile, os, sys
            root = sys.argv[2]
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                for d, _, files in os.walk(root):
                    for f in files:
                        p = os.path.join(d, f)
                        z.write(p, os.path.relpath(p, root))
            """, zip.path, folder.appendingPathComponent("mirror").path)
        let store = folder.appendingPathComponent("store.sqlite").path
        let arguments = ["--store", store, "--uploads", folder.appendingPathComponent("uploads").path,
                         "--charters", Self.root.appendingPathComponent("Samples/charters").path]
        let server = try Server(arguments: arguments, folder: folder)
        servers.append(server)
        let jar = folder.appendingPathComponent("cookies")
        let posted = try upload(server, file: zip, charter: "s-trang-tong-hop-phuong-nam", jar: jar)
        XCTAssertEqual(posted.status, 303, posted.body)
        let job = try XCTUnwrap(location(posted))
        // Wait until pages are being checked, then kill the server outright.
        let deadline = Date().addingTimeInterval(60)
        var running = ""
        while Date() < deadline {
            running = try get(server, job, jar: jar).body
            if running.contains(#"data-status="running""#), running.range(of: #"bản ghi, [1-9][0-9]* trang"#, options: .regularExpression) != nil { break }
            XCTAssertFalse(running.contains(#"data-status="done""#), "the scan finished before the server could be killed")
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTAssertTrue(running.contains(#"data-status="running""#), "the scan was not seen running: \(running.suffix(800))")
        XCTAssertTrue(running.contains("meta http-equiv=\"refresh\""), "the progress page refreshes itself")
        try screenshot(server.base + job, name: "6-scan-in-progress.png")
        server.kill()

        let restarted = try Server(arguments: arguments, folder: folder)
        servers.append(restarted)
        let after = try get(restarted, job, jar: jar).body
        XCTAssertTrue(after.contains(#"data-status="failed""#), after)
        XCTAssertTrue(after.contains("Máy chủ đã dừng trong lúc quét"), after)
        try screenshot(restarted.base + job, name: "7-failed-after-restart.png")
        let jobFolder = folder.appendingPathComponent("uploads/jobs").appendingPathComponent(String(job.split(separator: "/").last!))
        XCTAssertFalse(FileManager.default.fileExists(atPath: jobFolder.appendingPathComponent("out").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: jobFolder.appendingPathComponent("out.tmp").path))
        // The store: no scan at all (nothing half-written), checked with the CLI.
        let history = try run(["history", "scans", "--store", store, "--format", "json"])
        XCTAssertFalse(history.contains("\"id\""), history)
    }

    // MARK: Helpers

    func python(_ script: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 failed")
    }

    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
