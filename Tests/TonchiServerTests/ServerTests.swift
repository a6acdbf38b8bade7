import Foundation
import XCTest

/// Drives `tonchi serve` over HTTP: every endpoint and every bad-request path.
final class ServerTests: XCTestCase {
    nonisolated(unsafe) static var main: ServerProcess!
    nonisolated(unsafe) static var guarded: ServerProcess!

    override class func setUp() {
        super.setUp()
        main = try? ServerProcess(["--charters", "Samples/charters", "--max-body-bytes", "65536"])
        guarded = try? ServerProcess(["--token", "bi-mat-123", "--kind", "trang-ttdt-tong-hop", "--time-budget-ms", "1",
                                      "--max-body-bytes", "8000000"])
    }

    override class func tearDown() {
        main?.stop()
        guarded?.stop()
        super.tearDown()
    }

    var server: ServerProcess { get throws { try XCTUnwrap(Self.main, "the server did not start") } }

    /// A draft whose "Tòa soạn" fires tts.newsroom-titles on an information site, after characters
    /// that take 4 bytes and 2 UTF-16 units (😀) and 2 bytes and 1 unit (ấ).
    let draft = "Tin 😀 nhất: thông tin từ Tòa soạn của trang.\n"

    func offsets(of needle: String, in text: String) -> (utf8: Int, utf16: Int) {
        let range = text.range(of: needle)!
        return (text.utf8.distance(from: text.startIndex, to: range.lowerBound),
                text.utf16.distance(from: text.startIndex, to: range.lowerBound))
    }

    func findings(_ reply: ServerProcess.Reply) -> [[String: Any]] { reply.json["findings"] as? [[String: Any]] ?? [] }

    // MARK: - Endpoints

    func testHealthz() throws {
        let reply = try server.request("GET", "/healthz")
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply.json["status"] as? String, "ok")
        XCTAssertGreaterThan(reply.json["rules"] as? Int ?? 0, 10)
        XCTAssertTrue((reply.json["charters"] as? [String] ?? []).contains("trang-tong-hop-binh-minh"), reply.text)
    }

    func testV1FindingsCarryByteAndUTF16Offsets() throws {
        let reply = try server.post("/v1/check", json: ["text": draft, "kind": "trang-ttdt-tong-hop", "date": "2025-03-01"])
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual(reply.json["verdict"] as? String, "findings")
        let finding = try XCTUnwrap(findings(reply).first { $0["rule"] as? String == "tts.newsroom-titles" }, reply.text)
        let span = try XCTUnwrap((finding["spans"] as? [[String: Any]])?.first)
        let expected = offsets(of: "Tòa soạn", in: draft)
        XCTAssertEqual(span["start"] as? Int, expected.utf8)
        XCTAssertEqual(span["end"] as? Int, expected.utf8 + "Tòa soạn".utf8.count)
        XCTAssertEqual(span["utf16Start"] as? Int, expected.utf16)
        XCTAssertEqual(span["utf16End"] as? Int, expected.utf16 + "Tòa soạn".utf16.count)
        XCTAssertNotEqual(expected.utf8, expected.utf16, "the draft must make the two counts differ")
        XCTAssertEqual(span["excerpt"] as? String, "Tòa soạn")
        XCTAssertFalse((finding["citations"] as? [Any] ?? []).isEmpty)
        XCTAssertNotNil(finding["message"] as? String)
        XCTAssertNotNil(finding["confidence"] as? Double)
        XCTAssertEqual(finding["citationDate"] as? String, "2025-03-01")
        // --fail-on above every finding: clean, findings still listed.
        let lenient = try server.post("/v1/check", json: ["text": draft, "kind": "trang-ttdt-tong-hop", "failOn": "critical"])
        XCTAssertEqual(lenient.json["verdict"] as? String, "clean")
        XCTAssertFalse(findings(lenient).isEmpty)
    }

    func testV1HTMLOffsetsPointIntoTheHTML() throws {
        let html = "<html><head><title>Trang ấy</title></head><body><p>😀 Bài viết.</p><footer>Liên hệ Tòa soạn: 0123</footer></body></html>"
        let reply = try server.post("/v1/check", json: ["html": html, "kind": "trang-ttdt-tong-hop"])
        XCTAssertEqual(reply.status, 200, reply.text)
        let span = try XCTUnwrap(findings(reply).compactMap { ($0["spans"] as? [[String: Any]])?.first }.first, reply.text)
        let expected = offsets(of: "Tòa soạn", in: html)
        XCTAssertEqual(span["start"] as? Int, expected.utf8)
        XCTAssertEqual(span["utf16Start"] as? Int, expected.utf16)
    }

    func testV1CleanDraftAndStoredAndInlineCharters() throws {
        let clean = try server.post("/v1/check", json: ["text": "Hội thảo khoa học về giống lúa chịu mặn.", "kind": "tap-chi-khoa-hoc"])
        XCTAssertEqual(clean.status, 200)
        XCTAssertEqual(clean.json["verdict"] as? String, "clean")
        XCTAssertTrue(findings(clean).isEmpty)
        let stored = try server.post("/v1/check", json: ["text": draft, "charter": "trang-tong-hop-binh-minh"])
        XCTAssertEqual(stored.status, 200, stored.text)
        XCTAssertEqual(stored.json["kind"] as? String, "trang-ttdt-tong-hop")
        XCTAssertNotNil(stored.json["charter"] as? String)
        let inline = try server.post("/v1/check", json: ["text": draft, "charter": ["name": "Trang A", "kind": "tap-chi-dien-tu", "topics": ["y-te-suc-khoe"]]])
        XCTAssertEqual(inline.status, 200, inline.text)
        XCTAssertEqual(inline.json["kind"] as? String, "tap-chi-dien-tu")
        XCTAssertEqual(inline.json["charter"] as? String, "Trang A")
    }

    func testV1SuppressionHidesTheFindingWithItsReason() throws {
        let text = "<!-- tonchi-disable tts.newsroom-titles: tên bộ phận được Sở cho phép -->\n" + draft + "<!-- tonchi-enable -->\n"
        let reply = try server.post("/v1/check", json: ["text": text, "kind": "trang-ttdt-tong-hop"])
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertFalse(findings(reply).contains { $0["rule"] as? String == "tts.newsroom-titles" }, reply.text)
        let suppressed = try XCTUnwrap((reply.json["suppressed"] as? [[String: Any]])?.first, reply.text)
        XCTAssertEqual(suppressed["reason"] as? String, "tên bộ phận được Sở cho phép")
        XCTAssertEqual((suppressed["finding"] as? [String: Any])?["rule"] as? String, "tts.newsroom-titles")
        XCTAssertEqual(suppressed["line"] as? Int, 1)
        // An unknown rule in a directive: a problem in the response, an error under strict.
        let unknown = "tonchi-disable tts.khong-co: lý do\n" + draft
        let loose = try server.post("/v1/check", json: ["text": unknown, "kind": "trang-ttdt-tong-hop"])
        XCTAssertEqual(loose.status, 200)
        XCTAssertEqual((loose.json["suppressionProblems"] as? [[String: Any]])?.first?["kind"] as? String, "unknown-rule")
        let strict = try server.post("/v1/check", json: ["text": unknown, "kind": "trang-ttdt-tong-hop", "strict": true])
        XCTAssertEqual(strict.status, 400)
        XCTAssertEqual(strict.errorCode, "unknown-rule-in-suppression")
    }

    func testMetrics() throws {
        _ = try server.post("/v1/check", json: ["text": draft, "kind": "trang-ttdt-tong-hop"])
        _ = try server.postRaw("/v1/check", "{bad")
        let reply = try server.request("GET", "/metrics")
        XCTAssertEqual(reply.status, 200)
        XCTAssertTrue(reply.text.contains("# TYPE tonchi_checks_total counter"), reply.text)
        XCTAssertTrue(reply.text.contains(#"tonchi_checks_total{endpoint="v1",verdict="findings"}"#), reply.text)
        XCTAssertTrue(reply.text.contains(#"tonchi_rejected_total{endpoint="v1",code="malformed-json"}"#), reply.text)
        XCTAssertTrue(reply.text.contains("tonchi_check_duration_seconds_bucket"), reply.text)
        XCTAssertTrue(reply.text.contains("hb_requests"), reply.text)
    }

    // MARK: - LanguageTool-compatible /v2/check

    func testV2TextMatchesInUTF16() throws {
        let reply = try server.form("/v2/check", [("text", draft), ("language", "vi-VN"), ("kind", "trang-ttdt-tong-hop")])
        XCTAssertEqual(reply.status, 200, reply.text)
        let matches = try XCTUnwrap(reply.json["matches"] as? [[String: Any]])
        let match = try XCTUnwrap(matches.first { ($0["rule"] as? [String: Any])?["id"] as? String == "tts.newsroom-titles" }, reply.text)
        XCTAssertEqual(match["offset"] as? Int, offsets(of: "Tòa soạn", in: draft).utf16)
        XCTAssertEqual(match["length"] as? Int, "Tòa soạn".utf16.count)
        let context = try XCTUnwrap(match["context"] as? [String: Any])
        let contextText = try XCTUnwrap(context["text"] as? String)
        let start = contextText.utf16.index(contextText.utf16.startIndex, offsetBy: context["offset"] as! Int)
        let end = contextText.utf16.index(start, offsetBy: context["length"] as! Int)
        XCTAssertEqual(String(contextText[start..<end]), "Tòa soạn")
        XCTAssertNotNil(match["message"] as? String)
        XCTAssertEqual((reply.json["language"] as? [String: Any])?["code"] as? String, "vi-VN")
        XCTAssertEqual(try server.request("GET", "/v2/languages").status, 200)
    }

    func testV2DataAnnotationOffsetsCountMarkup() throws {
        let annotation: [[String: String]] = [
            ["markup": "<p>"], ["text": "Tin 😀 từ "], ["markup": "<b>", "interpretAs": ""], ["text": "Tòa soạn"], ["markup": "</b>"],
            ["text": " của trang."], ["markup": "</p>"],
        ]
        let data = String(decoding: try JSONSerialization.data(withJSONObject: ["annotation": annotation]), as: UTF8.self)
        let reply = try server.form("/v2/check", [("data", data), ("language", "vi"), ("charter", "trang-tong-hop-binh-minh")])
        XCTAssertEqual(reply.status, 200, reply.text)
        let whole = annotation.map { $0["text"] ?? $0["markup"]! }.joined()
        let match = try XCTUnwrap((reply.json["matches"] as? [[String: Any]])?.first { ($0["rule"] as? [String: Any])?["id"] as? String == "tts.newsroom-titles" }, reply.text)
        XCTAssertEqual(match["offset"] as? Int, offsets(of: "Tòa soạn", in: whole).utf16)
        XCTAssertEqual(match["length"] as? Int, "Tòa soạn".utf16.count)
    }

    func testV2BadRequests() throws {
        let cases: [([(String, String)], String, String?)] = [
            ([("text", "x")], "missing-field", "language"),
            ([("text", "x"), ("language", "en-US")], "unsupported-language", "language"),
            ([("language", "vi")], "missing-field", "text"),
            ([("text", "x"), ("data", "{}"), ("language", "vi")], "conflicting-fields", "data"),
            ([("data", "{not json"), ("language", "vi")], "malformed-json", "data"),
            ([("data", #"{"annotation":[{"x":1}]}"#), ("language", "vi")], "malformed-json", "data"),
            ([("text", "x"), ("language", "vi")], "missing-kind", "kind"),
            ([("text", "x"), ("language", "vi"), ("kind", "bao-giay")], "unknown-kind", "kind"),
            ([("text", "x"), ("language", "vi"), ("charter", "khong-co")], "unknown-charter", "charter"),
            ([("text", "x"), ("language", "vi"), ("kind", "tap-chi-dien-tu"), ("date", "31/02/2025")], "invalid-field", "date"),
        ]
        for (fields, code, field) in cases {
            let reply = try server.form("/v2/check", fields)
            XCTAssertEqual(reply.status, 400, "\(fields): \(reply.text)")
            XCTAssertEqual(reply.errorCode, code, "\(fields): \(reply.text)")
            XCTAssertEqual(reply.error["field"] as? String, field, "\(fields): \(reply.text)")
        }
    }

    // MARK: - Bad requests to /v1/check

    func testV1BadRequests() throws {
        let cases: [(String, Int, String, String?)] = [
            ("{bad", 400, "malformed-json", nil),
            ("", 400, "malformed-json", nil),
            ("[1, 2]", 400, "malformed-json", nil),
            (#"{"kind": "tap-chi-dien-tu"}"#, 400, "missing-field", "text"),
            (#"{"text": 1}"#, 400, "invalid-field", "text"),
            (#"{"text": "a", "html": "b"}"#, 400, "conflicting-fields", "html"),
            (#"{"text": "a", "kind": "tap-chi-dien-tu", "colour": 1}"#, 400, "unknown-field", "colour"),
            (#"{"text": "a", "kind": "bao-giay"}"#, 400, "unknown-kind", "kind"),
            (#"{"text": "a"}"#, 400, "missing-kind", "kind"),
            (#"{"text": "a", "charter": "khong-co"}"#, 400, "unknown-charter", "charter"),
            (#"{"text": "a", "charter": 7}"#, 400, "invalid-field", "charter"),
            (#"{"text": "a", "charter": {"kind": "tap-chi-dien-tu"}}"#, 400, "invalid-charter", "charter.name"),
            (#"{"text": "a", "charter": {"name": "A", "kind": "bao-giay"}}"#, 400, "invalid-charter", "charter.kind"),
            (#"{"text": "a", "charter": {"name": "A", "kind": "tap-chi-dien-tu", "topics": ["y-te"]}}"#, 400, "invalid-charter", "charter.topics"),
            (#"{"text": "a", "charter": {"name": "A", "kind": "tap-chi-dien-tu", "mau": 1}}"#, 400, "invalid-charter", "charter.mau"),
            (#"{"text": "a", "kind": "tap-chi-dien-tu", "date": "31/02/2025"}"#, 400, "invalid-field", "date"),
            (#"{"text": "a", "kind": "tap-chi-dien-tu", "failOn": "severe"}"#, 400, "invalid-field", "failOn"),
            (#"{"text": "a", "kind": "tap-chi-dien-tu", "format": "docx"}"#, 400, "invalid-field", "format"),
            (#"{"html": "a", "kind": "tap-chi-dien-tu", "format": "markdown"}"#, 400, "conflicting-fields", "format"),
            (#"{"text": "a", "kind": "tap-chi-dien-tu", "strict": "yes"}"#, 400, "invalid-field", "strict"),
            (#"{"text": "a", "kind": "tap-chi-dien-tu", "strict": 1}"#, 400, "invalid-field", "strict"),
        ]
        for (body, status, code, field) in cases {
            let reply = try server.postRaw("/v1/check", body)
            XCTAssertEqual(reply.status, status, "\(body): \(reply.text)")
            XCTAssertEqual(reply.errorCode, code, "\(body): \(reply.text)")
            XCTAssertEqual(reply.error["field"] as? String, field, "\(body): \(reply.text)")
            XCTAssertFalse((reply.error["message"] as? String ?? "").isEmpty, body)
        }
    }

    func testV1TransportErrors() throws {
        let form = try server.postRaw("/v1/check", "text=a", contentType: "application/x-www-form-urlencoded")
        XCTAssertEqual(form.status, 415)
        XCTAssertEqual(form.errorCode, "unsupported-media-type")
        let big = try server.post("/v1/check", json: ["text": String(repeating: "chữ ", count: 20_000), "kind": "tap-chi-dien-tu"])
        XCTAssertEqual(big.status, 413, big.text)
        XCTAssertEqual(big.errorCode, "too-large")
        let missing = try server.request("GET", "/v1/nothing")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.errorCode, "not-found")
        let method = try server.request("GET", "/v1/check")
        XCTAssertTrue([404, 405].contains(method.status), method.text)
        XCTAssertNotNil(method.errorCode, method.text)
    }

    func testTokenAndTimeBudget() throws {
        let guarded = try XCTUnwrap(Self.guarded, "the guarded server did not start")
        let body: [String: Any] = ["text": draft]
        let none = try guarded.post("/v1/check", json: body)
        XCTAssertEqual(none.status, 401)
        XCTAssertEqual(none.errorCode, "unauthorized")
        XCTAssertEqual(try guarded.post("/v1/check", json: body, headers: ["Authorization": "Bearer sai"]).status, 401)
        XCTAssertEqual(try guarded.form("/v2/check", [("text", "x"), ("language", "vi")]).status, 401)
        // /healthz stays open for probes.
        XCTAssertEqual(try guarded.request("GET", "/healthz").status, 200)
        // A 1 ms budget: a long article is answered with 503, not left hanging.
        let long = String(repeating: "Phóng viên Tòa soạn đưa tin về vụ tai nạn giao thông trên quốc lộ. ", count: 20_000)
        let slow = try guarded.post("/v1/check", json: ["text": long], headers: ["Authorization": "Bearer bi-mat-123"])
        XCTAssertEqual(slow.status, 503, slow.text)
        XCTAssertEqual(slow.errorCode, "time-budget-exceeded")
    }

    func testRefusesNonLoopbackWithoutToken() throws {
        let process = Process()
        process.executableURL = ServerProcess.binary
        process.arguments = ["serve", "--host", "0.0.0.0", "--port", "0"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2)
        XCTAssertTrue(message.contains("without --token"), message)
    }
}
