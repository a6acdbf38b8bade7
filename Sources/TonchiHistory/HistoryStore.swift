import Foundation
import GRDB
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiScan

/// A stored scan's id (the `scan.id` column).
public typealias ScanID = Int64

public enum ReviewStatus: String, Codable, Sendable, CaseIterable {
    case pending
    case confirmed
    case falsePositive = "false-positive"
}

/// An inspector's decision on a fingerprint; it holds for every scan in which the fingerprint appears.
public struct Review: Codable, Sendable, Equatable {
    public let status: ReviewStatus
    public let reason: String?
    public let by: String?
    /// ISO 8601.
    public let at: String?
}

/// A scan as the store lists it.
public struct StoredScan: Codable, Sendable {
    public let id: ScanID
    /// "complete"; a scan being recorded is never visible (one transaction).
    public let status: String
    public let scannedAt: String
    public let recordedAt: String
    public let kind: String
    public let charter: String?
    public let toolVersion: String
    public let rulesHash: String
    public let inputs: [String]
    /// False when the scan could not read or check everything (its exit code was 3).
    public let complete: Bool
    public let sites: [String]
    public let findings: Int
    public let note: String?
}

/// What a store holds about one site in one scan: what review-list ranks.
public struct SiteFindings: Sendable {
    public let site: String
    public let name: String?
    public let pages: Int
    /// The dump or file the findings came from, or "store scan N".
    public let source: String
    public let scanID: ScanID?
    public let scannedAt: String?
    public let findings: [TrackedFinding]

    public init(site: String, name: String?, pages: Int, source: String, scanID: ScanID? = nil, scannedAt: String? = nil, findings: [TrackedFinding]) {
        self.site = site; self.name = name; self.pages = pages; self.source = source; self.scanID = scanID; self.scannedAt = scannedAt
        self.findings = findings
    }

    /// One entry per site of a scan report.
    public static func of(report: ScanReport, source: String) -> [SiteFindings] {
        let tracked = Fingerprint.all(in: report)
        return report.sites.map { site in
            let key = Fingerprint.siteKey(site.facts.host)
            return SiteFindings(site: key, name: site.facts.name, pages: site.facts.pages, source: source,
                                findings: tracked.filter { $0.site == key })
        }
    }
}

public struct HistoryError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The scan history: sites, charters, scans and their findings by fingerprint, with review
/// decisions and first/last-seen dates, in one SQLite file (GRDB, WAL mode: readers never wait,
/// writers queue with a busy timeout, across processes too). Schema: docs/history.md.
public final class HistoryStore: Sendable {
    /// `PRAGMA application_id` of a tonchi store ("TONC").
    public static let applicationID: Int32 = 0x544F_4E43
    public let path: String
    private let pool: DatabasePool

    /// Opens the store at `path`, creating it (when `create`) and applying pending migrations.
    /// Throws a `HistoryError` naming the file for: a file that is not SQLite, an SQLite file that
    /// is not a tonchi store, a store written by a newer tonchi (unknown migrations).
    public init(path: String, create: Bool = true) throws {
        self.path = path
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue { throw HistoryError("\(path): is a folder, not a history store file") }
        if !exists && !create { throw HistoryError("\(path): no such history store (record a scan with 'tonchi scan --store \(path)' first)") }
        if exists, let size = (try? fm.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue, size > 0 {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw HistoryError("\(path): cannot be read") }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            guard header == Data("SQLite format 3\u{0}".utf8) else { throw HistoryError("\(path): not an SQLite database, so not a tonchi history store") }
            try Self.checkForeign(path: path)
        } else if !exists {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !fm.fileExists(atPath: folder) { throw HistoryError("\(path): folder \(folder) does not exist") }
        }
        var config = Configuration()
        config.busyMode = .timeout(30)
        config.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: config)
            let migrator = Self.migrator
            if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
                let known = try pool.read { try migrator.appliedIdentifiers($0) }.sorted().joined(separator: ", ")
                throw HistoryError("\(path): written by a newer tonchi (schema migrations \(known); this tonchi knows \(Self.migrationNames.joined(separator: ", "))): upgrade tonchi to use it")
            }
            try migrator.migrate(pool)
        } catch let error as HistoryError { throw error } catch {
            throw HistoryError("\(path): cannot open the history store: \(error)")
        }
    }

    /// Refuses an SQLite file that some other program made.
    private static func checkForeign(path: String) throws {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            let (appID, tables) = try queue.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
            }
            try queue.close()
            if appID == applicationID { return }
            if appID != 0 { throw HistoryError("\(path): an SQLite database of another program (application id \(appID)), not a tonchi history store") }
            if !tables.isEmpty && !tables.contains("grdb_migrations") {
                throw HistoryError("\(path): an SQLite database with other tables (\(tables.prefix(5).joined(separator: ", "))), not a tonchi history store")
            }
        } catch let error as HistoryError { throw error } catch {
            throw HistoryError("\(path): cannot read the history store: \(error)")
        }
    }

    // MARK: Schema

    static let migrationNames = ["v1"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                PRAGMA application_id = \(applicationID);
                CREATE TABLE site (
                    id INTEGER PRIMARY KEY,
                    host TEXT NOT NULL UNIQUE,          -- site key: lower case, no www., no default port
                    name TEXT,                          -- the latest name the scans found
                    created_at TEXT NOT NULL
                );
                CREATE TABLE charter (
                    id INTEGER PRIMARY KEY,
                    sha256 TEXT NOT NULL UNIQUE,        -- of the charter's JSON (sorted keys)
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    licence_number TEXT,
                    domains TEXT NOT NULL,              -- JSON array
                    body TEXT NOT NULL                  -- the charter as JSON
                );
                CREATE TABLE scan (
                    id INTEGER PRIMARY KEY,
                    status TEXT NOT NULL CHECK (status IN ('recording', 'complete')),
                    scanned_at TEXT NOT NULL,           -- ISO 8601, when the sites were scanned
                    recorded_at TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    charter_id INTEGER REFERENCES charter(id),
                    tool_version TEXT NOT NULL,
                    rules_hash TEXT NOT NULL,
                    rule_count INTEGER NOT NULL,
                    inputs TEXT NOT NULL,               -- JSON array of the dumps read
                    complete INTEGER NOT NULL,          -- 0 when something could not be read or checked
                    coverage TEXT NOT NULL,             -- JSON
                    finding_count INTEGER NOT NULL DEFAULT 0,
                    note TEXT
                );
                CREATE INDEX scan_scanned_at ON scan(scanned_at, id);
                CREATE TABLE scan_site (
                    scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
                    site_id INTEGER NOT NULL REFERENCES site(id),
                    name TEXT,
                    pages INTEGER NOT NULL,
                    facts TEXT NOT NULL,                -- JSON
                    PRIMARY KEY (scan_id, site_id)
                );
                CREATE INDEX scan_site_site ON scan_site(site_id, scan_id);
                CREATE TABLE issue (                    -- one row per fingerprint, across scans
                    fingerprint TEXT PRIMARY KEY,
                    site_id INTEGER NOT NULL REFERENCES site(id),
                    rule_id TEXT NOT NULL,
                    url TEXT NOT NULL,                  -- normalized; '' for site and repeated findings
                    scope TEXT NOT NULL,
                    text TEXT NOT NULL,                 -- normalized matched text
                    occurrence INTEGER NOT NULL,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    first_scan_id INTEGER NOT NULL,
                    last_scan_id INTEGER NOT NULL,
                    review_status TEXT NOT NULL DEFAULT 'pending'
                        CHECK (review_status IN ('pending', 'confirmed', 'false-positive')),
                    review_reason TEXT,
                    reviewed_by TEXT,
                    reviewed_at TEXT
                );
                CREATE INDEX issue_site ON issue(site_id);
                CREATE TABLE finding (
                    id INTEGER PRIMARY KEY,
                    scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
                    fingerprint TEXT NOT NULL REFERENCES issue(fingerprint),
                    site_id INTEGER NOT NULL REFERENCES site(id),
                    placement TEXT NOT NULL CHECK (placement IN ('page', 'repeated', 'site')),
                    rule_id TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    criterion TEXT NOT NULL,
                    page_url TEXT,                      -- as the scan reported it
                    page_count INTEGER NOT NULL,
                    body TEXT NOT NULL,                 -- the finding as JSON (tonchi.scan/1)
                    UNIQUE (scan_id, fingerprint)
                );
                CREATE INDEX finding_fingerprint ON finding(fingerprint);
                CREATE TABLE review_log (               -- every review decision, oldest first
                    id INTEGER PRIMARY KEY,
                    fingerprint TEXT NOT NULL REFERENCES issue(fingerprint),
                    status TEXT NOT NULL,
                    reason TEXT,
                    reviewed_by TEXT,
                    reviewed_at TEXT NOT NULL
                );
                """)
        }
        return migrator
    }

    /// Migrations applied to this store, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { try Self.migrator.completedMigrations($0) }
    }

    // MARK: Recording

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Records a scan in one transaction: its sites, its charter, and every finding by fingerprint.
    /// A fingerprint seen before keeps its review decision; first/last-seen dates follow `scannedAt`.
    @discardableResult
    public func record(scan report: ScanReport, scannedAt: Date = Date(), note: String? = nil) throws -> ScanID {
        let tracked = Fingerprint.all(in: report)
        let when = Self.iso(scannedAt), now = Self.iso(Date())
        do {
            return try pool.writeWithoutTransaction { db in
                var scanID: ScanID = 0
                try db.inTransaction(.immediate) {
                    var charterID: Int64?
                    if let charter = report.charter {
                        let body = Self.json(charter)
                        let hash = SHA256Digest.hex(body.utf8)
                        try db.execute(sql: """
                            INSERT INTO charter (sha256, name, kind, licence_number, domains, body) VALUES (?, ?, ?, ?, ?, ?)
                            ON CONFLICT(sha256) DO NOTHING
                            """, arguments: [hash, charter.name, charter.kind.rawValue, charter.licence?.number, Self.json(charter.domains), body])
                        charterID = try Int64.fetchOne(db, sql: "SELECT id FROM charter WHERE sha256 = ?", arguments: [hash])
                    }
                    try db.execute(sql: """
                        INSERT INTO scan (status, scanned_at, recorded_at, kind, charter_id, tool_version, rules_hash, rule_count,
                                          inputs, complete, coverage, note)
                        VALUES ('recording', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [when, now, report.kind.rawValue, charterID, report.tool.version, report.tool.rulesHash,
                                         report.tool.ruleCount, Self.json(report.inputs), report.isComplete, Self.json(report.coverage), note])
                    scanID = db.lastInsertedRowID
                    var siteIDs: [String: Int64] = [:]
                    for site in report.sites {
                        let key = Fingerprint.siteKey(site.facts.host)
                        try db.execute(sql: """
                            INSERT INTO site (host, name, created_at) VALUES (?, ?, ?)
                            ON CONFLICT(host) DO UPDATE SET name = coalesce(excluded.name, site.name)
                            """, arguments: [key, site.facts.name, now])
                        let siteID = try Int64.fetchOne(db, sql: "SELECT id FROM site WHERE host = ?", arguments: [key])!
                        siteIDs[key] = siteID
                        try db.execute(sql: "INSERT OR IGNORE INTO scan_site (scan_id, site_id, name, pages, facts) VALUES (?, ?, ?, ?, ?)",
                                       arguments: [scanID, siteID, site.facts.name, site.facts.pages, Self.json(site.facts)])
                    }
                    for t in tracked {
                        guard let siteID = siteIDs[t.site] else { continue }
                        try db.execute(sql: """
                            INSERT INTO issue (fingerprint, site_id, rule_id, url, scope, text, occurrence,
                                               first_seen, last_seen, first_scan_id, last_scan_id)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            ON CONFLICT(fingerprint) DO UPDATE SET
                                first_scan_id = CASE WHEN excluded.first_seen < issue.first_seen THEN excluded.first_scan_id ELSE issue.first_scan_id END,
                                first_seen = min(issue.first_seen, excluded.first_seen),
                                last_scan_id = CASE WHEN excluded.last_seen >= issue.last_seen THEN excluded.last_scan_id ELSE issue.last_scan_id END,
                                last_seen = max(issue.last_seen, excluded.last_seen)
                            """, arguments: [t.fingerprint.value, siteID, t.key.ruleID, t.key.url, t.key.scope, t.key.text, t.key.occurrence,
                                             when, when, scanID, scanID])
                        try db.execute(sql: """
                            INSERT INTO finding (scan_id, fingerprint, site_id, placement, rule_id, severity, confidence, criterion,
                                                 page_url, page_count, body)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """, arguments: [scanID, t.fingerprint.value, siteID, t.placement.rawValue, t.finding.ruleID,
                                             t.finding.severity.rawValue, t.finding.confidence, t.finding.criterion, t.pageURL,
                                             t.finding.pages.count, Self.json(t.finding)])
                    }
                    try db.execute(sql: "UPDATE scan SET status = 'complete', finding_count = ? WHERE id = ?", arguments: [tracked.count, scanID])
                    return .commit
                }
                return scanID
            }
        } catch {
            throw HistoryError("\(path): could not record the scan (nothing was written): \(error)")
        }
    }

    // MARK: Reading

    private static let scanColumns = """
        s.id, s.status, s.scanned_at, s.recorded_at, s.kind, c.name AS charter, s.tool_version, s.rules_hash, s.inputs,
        s.complete, s.finding_count, s.note,
        (SELECT group_concat(host, ' ') FROM (SELECT site.host FROM scan_site JOIN site ON site.id = scan_site.site_id
                                              WHERE scan_site.scan_id = s.id ORDER BY site.host)) AS sites
        """

    private static func storedScan(_ row: Row) -> StoredScan {
        let inputs = (try? JSONDecoder().decode([String].self, from: Data((row["inputs"] as String).utf8))) ?? []
        let sites = (row["sites"] as String?).map { $0.split(separator: " ").map(String.init) } ?? []
        return StoredScan(id: row["id"], status: row["status"], scannedAt: row["scanned_at"], recordedAt: row["recorded_at"],
                          kind: row["kind"], charter: row["charter"], toolVersion: row["tool_version"], rulesHash: row["rules_hash"],
                          inputs: inputs, complete: row["complete"], sites: sites, findings: row["finding_count"], note: row["note"])
    }

    /// Complete scans, oldest first (by scan date, then id); only those covering `site` when given.
    public func scans(site: String? = nil) throws -> [StoredScan] {
        try pool.read { db in
            var sql = "SELECT \(Self.scanColumns) FROM scan s LEFT JOIN charter c ON c.id = s.charter_id WHERE s.status = 'complete'"
            var arguments: StatementArguments = []
            if let site {
                sql += " AND s.id IN (SELECT scan_id FROM scan_site JOIN site ON site.id = scan_site.site_id WHERE site.host = ?)"
                arguments = [Fingerprint.siteKey(site)]
            }
            sql += " ORDER BY s.scanned_at, s.id"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.storedScan)
        }
    }

    public func scan(_ id: ScanID) throws -> StoredScan? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.scanColumns) FROM scan s LEFT JOIN charter c ON c.id = s.charter_id WHERE s.status = 'complete' AND s.id = ?",
                             arguments: [id]).map(Self.storedScan)
        }
    }

    /// Sites the store knows, with their latest name.
    public func sites() throws -> [String] {
        try pool.read { try String.fetchAll($0, sql: "SELECT host FROM site ORDER BY host") }
    }

    /// The findings of a stored scan (only those of `site` when given), with their current review
    /// and first/last-seen dates, in the order they were recorded.
    public func findings(scan: ScanID, site: String? = nil) throws -> [TrackedFinding] {
        try pool.read { db in
            var sql = """
                SELECT f.fingerprint, f.placement, f.page_url, f.body, s.host, i.rule_id, i.url, i.scope, i.text, i.occurrence,
                       i.first_seen, i.last_seen, i.review_status, i.review_reason, i.reviewed_by, i.reviewed_at
                FROM finding f JOIN issue i ON i.fingerprint = f.fingerprint JOIN site s ON s.id = f.site_id
                WHERE f.scan_id = ?
                """
            var arguments: StatementArguments = [scan]
            if let site { sql += " AND s.host = ?"; arguments += [Fingerprint.siteKey(site)] }
            sql += " ORDER BY f.id"
            let decoder = JSONDecoder()
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let finding = try decoder.decode(Finding.self, from: Data((row["body"] as String).utf8))
                let key = Fingerprint.Key(ruleID: row["rule_id"], site: row["host"], url: row["url"], scope: row["scope"],
                                          text: row["text"], occurrence: row["occurrence"])
                return TrackedFinding(fingerprint: Fingerprint(value: row["fingerprint"]), key: key, site: row["host"],
                                      placement: FindingPlacement(rawValue: row["placement"]) ?? .page, pageURL: row["page_url"],
                                      finding: finding, review: Self.review(row), firstSeen: row["first_seen"], lastSeen: row["last_seen"])
            }
        }
    }

    private static func review(_ row: Row) -> Review {
        Review(status: ReviewStatus(rawValue: row["review_status"]) ?? .pending, reason: row["review_reason"],
               by: row["reviewed_by"], at: row["reviewed_at"])
    }

    /// Adds the store's review decisions and dates to findings read from a file (unknown fingerprints stay as they are).
    public func annotate(_ findings: [TrackedFinding]) throws -> [TrackedFinding] {
        try pool.read { db in
            try findings.map { t in
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM issue WHERE fingerprint = ?", arguments: [t.fingerprint.value]) else { return t }
                var copy = t
                copy.review = Self.review(row); copy.firstSeen = row["first_seen"]; copy.lastSeen = row["last_seen"]
                return copy
            }
        }
    }

    /// The side of a stored scan for a comparison; `site` restricts it to one site.
    public func side(scan id: ScanID, site: String? = nil) throws -> (ScanSide, [TrackedFinding]) {
        guard let stored = try scan(id) else { throw HistoryError("\(path): no scan \(id) (see 'tonchi history scans --store \(path)')") }
        let findings = try self.findings(scan: id, site: site)
        let sites = site.map { s in stored.sites.filter { $0 == Fingerprint.siteKey(s) } } ?? stored.sites
        return (ScanSide(label: "store scan \(id)", scanID: id, scannedAt: stored.scannedAt, sites: sites, findings: findings.count,
                         toolVersion: stored.toolVersion, rulesHash: stored.rulesHash), findings)
    }

    /// Compares two stored scans (only `site` when given).
    public func compare(old: ScanID, new: ScanID, site: String? = nil) throws -> ScanComparison {
        let (oldSide, oldFindings) = try side(scan: old, site: site)
        let (newSide, newFindings) = try side(scan: new, site: site)
        return ScanComparison.between(old: oldFindings, new: newFindings, oldSide: oldSide, newSide: newSide)
    }

    /// The two latest scans covering `site`, older first.
    public func lastTwoScans(site: String) throws -> (ScanID, ScanID) {
        let list = try scans(site: site)
        guard list.count >= 2 else {
            throw HistoryError("\(path): \(list.count) scan(s) of \(Fingerprint.siteKey(site)) stored; comparing needs two")
        }
        return (list[list.count - 2].id, list[list.count - 1].id)
    }

    /// Each site's latest complete scan, with its findings and current reviews: what review-list ranks.
    public func latestSites() throws -> [SiteFindings] {
        let latest: [(String, String?, Int, ScanID, String)] = try pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT site.host, ss.name, ss.pages, s.id, s.scanned_at FROM site
                JOIN scan_site ss ON ss.site_id = site.id
                JOIN scan s ON s.id = ss.scan_id AND s.status = 'complete'
                WHERE s.id = (SELECT s2.id FROM scan s2 JOIN scan_site ss2 ON ss2.scan_id = s2.id
                              WHERE ss2.site_id = site.id AND s2.status = 'complete' ORDER BY s2.scanned_at DESC, s2.id DESC LIMIT 1)
                ORDER BY site.host
                """).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
        return try latest.map { host, name, pages, id, at in
            SiteFindings(site: host, name: name, pages: pages, source: "store scan \(id)", scanID: id, scannedAt: at,
                         findings: try findings(scan: id, site: host))
        }
    }

    // MARK: Reviews

    /// Sets the review of a fingerprint (or a unique prefix of at least 6 hex digits). A false
    /// positive needs a reason. Returns the full fingerprint.
    @discardableResult
    public func setReview(fingerprint: String, status: ReviewStatus, reason: String?, by: String?, at: Date = Date()) throws -> Fingerprint {
        let prefix = fingerprint.lowercased()
        guard prefix.count >= 6, prefix.allSatisfy(\.isHexDigit) else {
            throw HistoryError("'\(fingerprint)' is not a fingerprint (6 to 64 hex digits)")
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == .falsePositive && (reason ?? "").isEmpty { throw HistoryError("a false positive needs a reason (--reason)") }
        let when = Self.iso(at)
        return try pool.writeWithoutTransaction { db in
            var full = ""
            try db.inTransaction(.immediate) {
                let matches = try String.fetchAll(db, sql: "SELECT fingerprint FROM issue WHERE substr(fingerprint, 1, ?) = ? LIMIT 2",
                                                  arguments: [prefix.count, prefix])
                guard let only = matches.first else { throw HistoryError("\(path): no finding with fingerprint \(prefix)") }
                guard matches.count == 1 else { throw HistoryError("\(path): fingerprint prefix \(prefix) is ambiguous; give more digits") }
                full = only
                try db.execute(sql: "UPDATE issue SET review_status = ?, review_reason = ?, reviewed_by = ?, reviewed_at = ? WHERE fingerprint = ?",
                               arguments: [status.rawValue, reason, by, when, only])
                try db.execute(sql: "INSERT INTO review_log (fingerprint, status, reason, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [only, status.rawValue, reason, by, when])
                return .commit
            }
            return Fingerprint(value: full)
        }
    }

    /// Every review decision taken on a fingerprint, oldest first.
    public func reviewLog(fingerprint: Fingerprint) throws -> [Review] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM review_log WHERE fingerprint = ? ORDER BY id", arguments: [fingerprint.value]).map {
                Review(status: ReviewStatus(rawValue: $0["status"]) ?? .pending, reason: $0["reason"], by: $0["reviewed_by"], at: $0["reviewed_at"])
            }
        }
    }
}
