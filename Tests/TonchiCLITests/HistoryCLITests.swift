import Foundation
import TonchiTestSupport
import XCTest

/// `tonchi scan --store`, `compare`, `review`, `history` and `review-list` as an inspector runs them.
final class HistoryCLITests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tonchi-history-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    var binary: URL { ToolRunner.tonchi(near: HistoryCLITests.self) }

    typealias Run = ToolRunner.Run

    func tonchi(_ arguments: [String]) throws -> Run {
        try ToolRunner.run(binary, arguments, directory: folder, environment: ["TONCHI_STORE": nil])
    }

    func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The báo-hóa site as scanned, and a wget mirror of it half a year later: one article gone, one byline changed.
    func laterMirror() throws -> String {
        let mirror = folder.appendingPathComponent("later")
        let site = mirror.appendingPathComponent("phuongnamtimes.example.vn")
        try FileManager.default.createDirectory(at: mirror, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: root.appendingPathComponent("Samples/warc-sources/phuongnamtimes.example.vn"), to: site)
        try FileManager.default.removeItem(at: site.appendingPathComponent("tin-nong/chay-lon-tai-xuong-go-cum-cong-nghiep-tan-lap-20260917.html"))
        let page = site.appendingPathComponent("kinh-doanh/khach-hang-to-cong-ty-an-phat-cham-ban-giao-can-ho-20260916.html")
        let text = try String(contentsOf: page, encoding: .utf8)
        try text.replacingOccurrences(of: "<strong>Nhóm phóng viên</strong>", with: "<strong>PV - Minh Khang</strong>")
            .write(to: page, atomically: true, encoding: .utf8)
        return mirror.path
    }

    func testScanStoreCompareReview() throws {
        let store = folder.appendingPathComponent("history.sqlite").path
        let charter = path("Samples/charters/trang-tong-hop-phuong-nam.yaml")
        let first = try tonchi(["scan", "--charter", charter, "--store", store, "--format", "json", path("Samples/dumps/bao-hoa-tong-hop.warc.gz")])
        XCTAssertEqual(first.status, 1, first.stderr)
        XCTAssertTrue(first.stderr.contains("recorded scan 1 in \(store)"), first.stderr)
        let oldJSON = folder.appendingPathComponent("old.json").path
        try first.stdout.write(toFile: oldJSON, atomically: true, encoding: .utf8)
        let second = try tonchi(["scan", "--charter", charter, "--store", store, "--format", "json", try laterMirror()])
        XCTAssertTrue(second.stderr.contains("recorded scan 2 in \(store)"), second.stderr)
        let newJSON = folder.appendingPathComponent("new.json").path
        try second.stdout.write(toFile: newJSON, atomically: true, encoding: .utf8)

        // Two result files: the same answer as the two stored scans.
        let files = try tonchi(["compare", oldJSON, newJSON])
        XCTAssertEqual(files.status, 1, "a new finding: exit 1")
        XCTAssertTrue(files.stdout.contains("1 new, 20 persisting, 3 fixed"), files.stdout)
        let stored = try tonchi(["compare", "--store", store, "--site", "phuongnamtimes.example.vn", "--format", "json"])
        XCTAssertEqual(stored.status, 1)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stored.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["schema"] as? String, "tonchi.compare/1")
        let summary = try XCTUnwrap(json["summary"] as? [String: Int])
        XCTAssertEqual(summary, ["new": 1, "persisting": 20, "fixed": 3, "notRechecked": 0])
        let new = try XCTUnwrap((json["new"] as? [[String: Any]])?.first)
        XCTAssertEqual(new["excerpt"] as? String, "PV - Minh Khang")
        let fingerprint = try XCTUnwrap(new["fingerprint"] as? String)

        // Marked a false positive, the new finding no longer fails the comparison, from files or the store.
        XCTAssertEqual(try tonchi(["review", "--store", store, String(fingerprint.prefix(10)), "--status", "false-positive"]).status, 2,
                       "a false positive needs a reason")
        let review = try tonchi(["review", "--store", store, String(fingerprint.prefix(10)), "--status", "false-positive",
                                 "--reason", "tên tác giả", "--by", "thanh-tra"])
        XCTAssertEqual(review.status, 0, review.stderr)
        XCTAssertTrue(review.stdout.hasPrefix(fingerprint), review.stdout)
        XCTAssertEqual(try tonchi(["compare", "--store", store, "1", "2"]).status, 0)
        let annotated = try tonchi(["compare", "--store", store, oldJSON, newJSON])
        XCTAssertEqual(annotated.status, 0)
        XCTAssertTrue(annotated.stdout.contains("(false-positive: tên tác giả)"), annotated.stdout)
        let listed = try tonchi(["history", "findings", "--store", store, "2"])
        XCTAssertTrue(listed.stdout.contains(fingerprint), listed.stdout)
        XCTAssertTrue(try tonchi(["history", "scans", "--store", store]).stdout.contains("scan 2"))

        // Results kept as files, recorded afterwards with the date they were scanned.
        let imported = folder.appendingPathComponent("imported.sqlite").path
        let record = try tonchi(["history", "record", "--store", imported, "--scanned-at", "2026-03-01", oldJSON])
        XCTAssertEqual(record.status, 0, record.stderr)
        XCTAssertEqual(record.stdout, "recorded scan 1 from \(oldJSON)\n")
        XCTAssertEqual(try tonchi(["history", "record", "--store", imported, "--scanned-at", "2026-09-01T10:00:00Z", newJSON]).status, 0)
        let scans = try tonchi(["history", "scans", "--store", imported, "--format", "json"])
        let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(scans.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(list.compactMap { $0["scannedAt"] as? String }, ["2026-03-01T00:00:00Z", "2026-09-01T10:00:00Z"])
        let again = try tonchi(["compare", "--store", imported, "--site", "phuongnamtimes.example.vn"])
        XCTAssertTrue(again.stdout.contains("1 new, 20 persisting, 3 fixed"), again.stdout)
        XCTAssertEqual(try tonchi(["history", "record", "--store", imported, folder.appendingPathComponent("nope.json").path]).status, 2)
    }

    func testBadInputsExitTwoNamingTheFile() throws {
        let bad = folder.appendingPathComponent("bad.json").path
        try "{\"schema\": \"tonchi.scan/1\", \"sites\": [".write(toFile: bad, atomically: true, encoding: .utf8)
        let other = folder.appendingPathComponent("other.json").path
        try "{\"hello\": 1}".write(toFile: other, atomically: true, encoding: .utf8)
        for (file, reason) in [(bad, "not JSON"), (other, "JSON without a \"schema\" field")] {
            let run = try tonchi(["compare", file, file])
            XCTAssertEqual(run.status, 2)
            XCTAssertTrue(run.stderr.contains("\(file): \(reason)"), run.stderr)
        }
        let notStore = try tonchi(["history", "scans", "--store", bad])
        XCTAssertEqual(notStore.status, 2)
        XCTAssertTrue(notStore.stderr.contains("\(bad): not an SQLite database"), notStore.stderr)
        XCTAssertEqual(try tonchi(["compare", "--store", folder.appendingPathComponent("none.sqlite").path, "1", "2"]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("none.sqlite").path), "reading never creates a store")
    }

    func testReviewListRanksSampleDumps() throws {
        let dumps = ["bao-hoa-tong-hop", "tong-hop-dung-quy-dinh", "tap-chi-lech-ton-chi", "tap-chi-khoa-hoc-su-kien"]
            .map { path("Samples/dumps/\($0).warc.gz") }
        let run = try tonchi(["review-list", "--charters", path("Samples/charters"), "--format", "json"] + dumps)
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let sites = try XCTUnwrap(json["sites"] as? [[String: Any]])
        XCTAssertEqual(sites.compactMap { $0["site"] as? String }, ["phuongnamtimes.example.vn", "tapchinongnghiep.example.vn",
                                                                     "suckhoegiadinh.example.vn", "lamvien.example.vn"])
        XCTAssertEqual(sites.last?["weight"] as? Double, 0)
        let text = try tonchi(["review-list", "--kind", "trang-ttdt-tong-hop", dumps[0], dumps[1]])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains(" 1. phuongnamtimes.example.vn — Phương Nam Times"), text.stdout)
        XCTAssertTrue(text.stdout.contains("× QĐ1418 III.2 (S7)"), text.stdout)
        let missing = try tonchi(["review-list", dumps[0]])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("bao-hoa-tong-hop.warc.gz"), missing.stderr)
    }
}
