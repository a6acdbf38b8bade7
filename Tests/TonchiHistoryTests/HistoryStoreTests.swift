import Foundation
import GRDB
import TonchiCore
import TonchiEvaluate
import TonchiHistory
import TonchiScan
import XCTest

final class HistoryStoreTests: TemporaryFolderTestCase {
    static let charter = "trang-tong-hop-phuong-nam"
    static let removedPage = "tin-nong/chay-lon-tai-xuong-go-cum-cong-nghiep-tan-lap-20260917.html"
    static let changedPage = "kinh-doanh/khach-hang-to-cong-ty-an-phat-cham-ban-giao-can-ho-20260916.html"

    /// The báo-hóa site, and a later capture of it with one article gone and one byline changed.
    func twoScans() throws -> (ScanReport, ScanReport) {
        let (first, _) = try mirror("before")
        let (second, site) = try mirror("after")
        try FileManager.default.removeItem(at: site.appendingPathComponent(Self.removedPage))
        try edit(site.appendingPathComponent(Self.changedPage), replacing: "<strong>Nhóm phóng viên</strong>", with: "<strong>PV - Minh Khang</strong>")
        return (try Samples.scan([first], charter: Self.charter), try Samples.scan([second], charter: Self.charter))
    }

    func testMigratesAnEmptyStoreAndReopens() throws {
        let path = file("store.sqlite")
        let store = try HistoryStore(path: path)
        XCTAssertEqual(try store.appliedMigrations(), ["v1"])
        XCTAssertTrue(try store.scans().isEmpty, "no scan yet")
        let queue = try DatabaseQueue(path: path)
        let tables = try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        for table in ["charter", "finding", "issue", "review_log", "scan", "scan_site", "site"] { XCTAssertTrue(tables.contains(table), table) }
        XCTAssertEqual(try queue.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }, HistoryStore.applicationID)
        try queue.close()
        XCTAssertEqual(try HistoryStore(path: path).appliedMigrations(), ["v1"], "reopening migrates nothing")
        XCTAssertThrowsError(try HistoryStore(path: file("missing.sqlite"), create: false)) { error in
            XCTAssertTrue("\(error)".contains("missing.sqlite"), "\(error)")
        }
    }

    func testRefusesNewerSchemaAndForeignFiles() throws {
        let path = file("store.sqlite")
        _ = try HistoryStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9')") }
        try queue.close()
        XCTAssertThrowsError(try HistoryStore(path: path)) { error in
            XCTAssertTrue("\(error)".contains("newer tonchi"), "\(error)")
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }

        let garbage = file("garbage.sqlite")
        try Data("not a database at all, just text\n".utf8).write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try HistoryStore(path: garbage)) { error in
            XCTAssertEqual("\(error)", "\(garbage): not an SQLite database, so not a tonchi history store")
        }

        let foreign = file("foreign.sqlite")
        let other = try DatabaseQueue(path: foreign)
        try other.write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }
        try other.close()
        XCTAssertThrowsError(try HistoryStore(path: foreign)) { error in
            XCTAssertTrue("\(error)".contains("not a tonchi history store"), "\(error)")
        }
        let untouched = try DatabaseQueue(path: foreign)
        XCTAssertEqual(try untouched.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }, ["invoices"])
        try untouched.close()
    }

    func testCompareGivesExactNewPersistingFixedSets() throws {
        let (before, after) = try twoScans()
        let store = try HistoryStore(path: file("store.sqlite"))
        let first = try store.record(scan: before, scannedAt: .day("2026-03-01"))
        let second = try store.record(scan: after, scannedAt: .day("2026-09-01"))
        XCTAssertEqual(try store.scans().map(\.id), [first, second])
        XCTAssertEqual(try store.scans(site: "www.PhuongNamTimes.example.vn").map(\.id), [first, second])

        let comparison = try store.compare(old: first, new: second)
        func brief(_ list: [ComparedFinding]) -> [String] {
            list.map { "\($0.ruleID) \($0.url.map { String($0.split(separator: "/", maxSplits: 2).last ?? "") } ?? "-") \($0.excerpt ?? "")" }.sorted()
        }
        let host = ""
        XCTAssertEqual(brief(comparison.new), ["tts.reporter-byline \(host)\(Self.changedPage) PV - Minh Khang"])
        XCTAssertEqual(brief(comparison.fixed), [
            "tts.quote-without-source \(host)\(Self.removedPage) chia sẻ: “",
            "tts.reporter-byline \(host)\(Self.changedPage) Nhóm phóng viên",
            "tts.reporter-byline \(host)\(Self.removedPage) PV - Hoàng Nam",
        ])
        let oldFindings = try store.findings(scan: first), newFindings = try store.findings(scan: second)
        XCTAssertEqual(oldFindings.count, 23)
        XCTAssertEqual(newFindings.count, 21)
        XCTAssertEqual(comparison.summary, ComparisonCounts(new: 1, persisting: 20, fixed: 3, notRechecked: 0))
        XCTAssertEqual(Set(comparison.persisting.map(\.fingerprint)),
                       Set(oldFindings.map(\.fingerprint)).intersection(newFindings.map(\.fingerprint)))
        // The repeated menu and footer findings and the site finding persist although the page count changed.
        XCTAssertEqual(Set(comparison.persisting.filter { $0.placement != .page }.map(\.ruleID)),
                       ["tts.newsroom-titles", "tts.press-sections", "tts.press-like-name"])
        XCTAssertEqual(comparison.sites.map(\.site), ["phuongnamtimes.example.vn"])
        XCTAssertEqual(comparison.sites[0].counts, comparison.summary)
        let byProvision = Dictionary(uniqueKeysWithValues: comparison.provisions.map { ($0.provision, $0.counts) })
        XCTAssertEqual(byProvision["ND119-2020/D20"]?.fixed, 3)
        XCTAssertEqual(byProvision["ND119-2020/D20"]?.new, 1)
        XCTAssertEqual(byProvision["ND119-2020/D8/K4/e"], ComparisonCounts(new: 0, persisting: 4, fixed: 0, notRechecked: 0))

        // The same comparison straight from the two reports, without a store.
        let direct = ScanComparison.between(old: Fingerprint.all(in: before), new: Fingerprint.all(in: after),
                                            oldSide: .file("a.json", report: before, findings: 23), newSide: .file("b.json", report: after, findings: 21))
        XCTAssertEqual(direct.summary, comparison.summary)
        XCTAssertEqual(direct.new.map(\.fingerprint), comparison.new.map(\.fingerprint))
        XCTAssertEqual(direct.fixed.map(\.fingerprint), comparison.fixed.map(\.fingerprint))

        // A site the new scan did not cover: its findings are not counted as fixed.
        let other = try Samples.scan([Samples.path("Samples/dumps/tong-hop-dung-quy-dinh.warc.gz")], charter: "trang-tong-hop-lam-vien")
        let elsewhere = ScanComparison.between(old: Fingerprint.all(in: before), new: Fingerprint.all(in: other),
                                               oldSide: .file("a.json", report: before, findings: 23), newSide: .file("c.json", report: other, findings: 0))
        XCTAssertEqual(elsewhere.summary, ComparisonCounts(new: 0, persisting: 0, fixed: 0, notRechecked: 23))
        XCTAssertFalse(elsewhere.warnings.isEmpty)
    }

    func testReviewStatusCarriesOverAndDatesFollowScans() throws {
        let (before, after) = try twoScans()
        let store = try HistoryStore(path: file("store.sqlite"))
        let first = try store.record(scan: before, scannedAt: .day("2026-03-01"))
        let findings = try store.findings(scan: first)
        XCTAssertTrue(findings.allSatisfy { $0.review?.status == .pending })
        let hotline = try XCTUnwrap(findings.first { $0.finding.ruleID == "tmh.complaint-hotline-ttdt" })
        let name = try XCTUnwrap(findings.first { $0.finding.ruleID == "tts.press-like-name" })
        let gone = try XCTUnwrap(findings.first { $0.pageURL?.hasSuffix(Self.removedPage) == true })

        XCTAssertThrowsError(try store.setReview(fingerprint: hotline.fingerprint.value, status: .falsePositive, reason: " ", by: "thanh-tra")) {
            XCTAssertTrue("\($0)".contains("reason"), "\($0)")
        }
        XCTAssertThrowsError(try store.setReview(fingerprint: "000000000000", status: .confirmed, reason: nil, by: nil))
        XCTAssertThrowsError(try store.setReview(fingerprint: "abc", status: .confirmed, reason: nil, by: nil))
        let full = try store.setReview(fingerprint: String(hotline.fingerprint.value.prefix(8)).uppercased(), status: .falsePositive,
                                       reason: "đường dây nóng của doanh nghiệp, không phải của trang", by: "thanh-tra")
        XCTAssertEqual(full, hotline.fingerprint)
        try store.setReview(fingerprint: name.fingerprint.value, status: .confirmed, reason: nil, by: "thanh-tra")
        try store.setReview(fingerprint: gone.fingerprint.value, status: .confirmed, reason: nil, by: "thanh-tra")

        let second = try store.record(scan: after, scannedAt: .day("2026-09-01"))
        let later = Dictionary(uniqueKeysWithValues: try store.findings(scan: second).map { ($0.fingerprint, $0) })
        XCTAssertEqual(later[hotline.fingerprint]?.review?.status, .falsePositive)
        XCTAssertEqual(later[hotline.fingerprint]?.review?.reason, "đường dây nóng của doanh nghiệp, không phải của trang")
        XCTAssertEqual(later[hotline.fingerprint]?.review?.by, "thanh-tra")
        XCTAssertEqual(later[name.fingerprint]?.review?.status, .confirmed)
        XCTAssertEqual(later[name.fingerprint]?.firstSeen, "2026-03-01T08:00:00Z")
        XCTAssertEqual(later[name.fingerprint]?.lastSeen, "2026-09-01T08:00:00Z")
        XCTAssertNil(later[gone.fingerprint], "the removed page's finding is not in the second scan")
        let fresh = try XCTUnwrap(later.values.first { $0.finding.spans.first?.excerpt == "PV - Minh Khang" })
        XCTAssertEqual(fresh.review?.status, .pending)
        XCTAssertEqual(fresh.firstSeen, "2026-09-01T08:00:00Z")

        // A finding that disappeared keeps its last-seen date; the comparison shows reviews.
        let old = Dictionary(uniqueKeysWithValues: try store.findings(scan: first).map { ($0.fingerprint, $0) })
        XCTAssertEqual(old[gone.fingerprint]?.lastSeen, "2026-03-01T08:00:00Z")
        XCTAssertEqual(old[hotline.fingerprint]?.review?.status, .falsePositive, "a decision holds for earlier scans too")
        let comparison = try store.compare(old: first, new: second)
        XCTAssertEqual(comparison.persisting.first { $0.fingerprint == hotline.fingerprint }?.review?.status, .falsePositive)

        // Recording an older scan afterwards does not move last-seen back.
        let third = try store.record(scan: before, scannedAt: .day("2025-09-01"))
        let all = Dictionary(uniqueKeysWithValues: try store.findings(scan: third).map { ($0.fingerprint, $0) })
        XCTAssertEqual(all[name.fingerprint]?.firstSeen, "2025-09-01T08:00:00Z")
        XCTAssertEqual(all[name.fingerprint]?.lastSeen, "2026-09-01T08:00:00Z")
        XCTAssertEqual(try store.lastTwoScans(site: "phuongnamtimes.example.vn").0, first, "ordered by scan date")

        XCTAssertEqual(try store.reviewLog(fingerprint: hotline.fingerprint).map(\.status), [.falsePositive])
        try store.setReview(fingerprint: hotline.fingerprint.value, status: .pending, reason: nil, by: "truong-doan")
        XCTAssertEqual(try store.reviewLog(fingerprint: hotline.fingerprint).map(\.status), [.falsePositive, .pending])
    }

    func testAFailedRecordingWritesNothing() throws {
        let (before, _) = try twoScans()
        let path = file("store.sqlite")
        let store = try HistoryStore(path: path)
        // A fault in the middle of the scan's findings (after the scan, its site and some findings were inserted).
        let queue = try DatabaseQueue(path: path)
        try queue.write {
            try $0.execute(sql: """
                CREATE TRIGGER fail_midway BEFORE INSERT ON finding WHEN NEW.rule_id = 'tts.interview'
                BEGIN SELECT RAISE(ABORT, 'simulated crash'); END
                """)
        }
        XCTAssertThrowsError(try store.record(scan: before)) { XCTAssertTrue("\($0)".contains("nothing was written"), "\($0)") }
        let counts = try queue.read { db in
            try ["scan", "site", "scan_site", "issue", "finding", "charter"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")! }
        }
        XCTAssertEqual(counts, [0, 0, 0, 0, 0, 0])
        try queue.write { try $0.execute(sql: "DROP TRIGGER fail_midway") }
        try queue.close()
        XCTAssertEqual(try store.record(scan: before), 1, "the failed scan left no id behind")
        XCTAssertEqual(try store.findings(scan: 1).count, 23)
    }

    func testConcurrentWritersFromTwoConnections() throws {
        let (before, after) = try twoScans()
        let path = file("store.sqlite")
        let a = try HistoryStore(path: path), b = try HistoryStore(path: path)
        let errors = NSLock()
        nonisolated(unsafe) var failures: [String] = []
        DispatchQueue.concurrentPerform(iterations: 6) { i in
            do { _ = try (i % 2 == 0 ? a : b).record(scan: i % 2 == 0 ? before : after, scannedAt: .day("2026-0\(i + 1)-01")) } catch {
                errors.lock(); failures.append("\(error)"); errors.unlock()
            }
        }
        XCTAssertEqual(failures, [])
        let scans = try a.scans()
        XCTAssertEqual(scans.count, 6)
        XCTAssertEqual(scans.map(\.findings), [23, 21, 23, 21, 23, 21])
    }

    func testScanFilesWithClearErrors() throws {
        let good = try Samples.scan([Samples.path("Samples/dumps/bao-hoa-tong-hop.warc.gz")], charter: Self.charter)
        let encoder = JSONEncoder()
        let goodPath = file("good.json")
        try encoder.encode(good).write(to: URL(fileURLWithPath: goodPath))
        XCTAssertEqual(Fingerprint.all(in: try ScanFile.load(path: goodPath)).map(\.fingerprint), Fingerprint.all(in: good).map(\.fingerprint))

        func reason(_ content: String) throws -> String {
            let path = file("bad-\(UUID().uuidString).json")
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            do { _ = try ScanFile.load(path: path); return "no error" } catch let error as ScanFileError {
                XCTAssertEqual(error.path, path)
                XCTAssertTrue("\(error)".hasPrefix(path + ": "))
                return error.reason
            }
        }
        XCTAssertTrue(try reason("").contains("empty"))
        XCTAssertTrue(try reason("{\"schema\": \"tonchi.scan/1\", \"sites\": [").contains("not JSON"))
        XCTAssertTrue(try reason("[1, 2]").contains("not an object"))
        XCTAssertTrue(try reason("{\"name\": \"x\"}").contains("without a \"schema\""))
        XCTAssertTrue(try reason("{\"schema\": \"tonchi.check/1\"}").contains("not \"tonchi.scan/1\""))
        XCTAssertTrue(try reason("{\"schema\": \"tonchi.scan/2\"}").contains("another version"))
        let missing = try reason("{\"schema\": \"tonchi.scan/1\", \"sites\": []}")
        XCTAssertTrue(missing.contains("missing field"), missing)
        XCTAssertThrowsError(try ScanFile.load(path: file("nowhere.json"))) { XCTAssertTrue("\($0)".hasSuffix("no such file")) }
    }
}
