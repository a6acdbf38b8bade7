import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiHistory
import TonchiIngest
import TonchiReport
import TonchiRules
import TonchiScan

/// A scan asked for through the web app. Kept as `job.json` in its own folder under the uploads
/// folder (`jobs/ID/`), next to the upload and, when done, the report files (`out/`).
public struct WebJob: Codable, Sendable {
    public enum Status: String, Codable, Sendable { case queued, running, done, failed }

    public var id: String
    public var status: Status
    public var createdAt: String
    public var startedAt: String?
    public var finishedAt: String?
    /// The file name the browser sent (untrusted: shown escaped only).
    public var originalName: String
    /// The upload inside the job folder (`upload/…`).
    public var upload: String
    public var uploadBytes: Int
    public var charterID: String?
    public var charterName: String?
    public var kind: String
    public var scanID: Int64?
    public var findings: Int?
    public var sites: [String]?
    public var complete: Bool?
    public var failure: String?
}

/// Progress of a running scan (memory only).
public struct JobProgress: Sendable {
    public var records = 0
    public var pages = 0
    public var bytes = 0
}

/// The jobs on disk: one folder each, `job.json` replaced atomically on every change.
final class JobStore: @unchecked Sendable {
    let root: URL
    private let lock = NSLock()

    init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func folder(_ id: String) -> URL { root.appendingPathComponent(id) }

    static func validID(_ id: String) -> Bool {
        id.count == 16 && id.allSatisfy { $0.isHexDigit && ($0.isNumber || $0.isLowercase) }
    }

    func save(_ job: WebJob) throws {
        lock.lock(); defer { lock.unlock() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(job)
        let folder = self.folder(job.id)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try data.write(to: folder.appendingPathComponent("job.json"), options: .atomic)
    }

    func load(_ id: String) -> WebJob? {
        guard Self.validID(id) else { return nil }
        lock.lock(); defer { lock.unlock() }
        guard let data = try? Data(contentsOf: folder(id).appendingPathComponent("job.json")) else { return nil }
        return try? JSONDecoder().decode(WebJob.self, from: data)
    }

    /// Newest first.
    func all() -> [WebJob] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.compactMap { load($0) }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
    }

    func update(_ id: String, _ change: (inout WebJob) -> Void) throws -> WebJob? {
        guard var job = load(id) else { return nil }
        change(&job)
        try save(job)
        return job
    }
}

/// Runs scans in the background, at most `limit` at a time, each on its own thread (a scan is
/// CPU work and must not hold the server's event loops). The result is written to the job folder
/// (`out.tmp/` renamed to `out/`), then recorded in the history store in one transaction
/// (note "web job ID"), then the job is marked done. A server stopped in between leaves the job
/// "running" on disk: at the next start `recover()` marks it done if the store holds its scan,
/// failed otherwise (its partial files deleted), and queues again the jobs that never started.
final class ScanRunner: @unchecked Sendable {
    let jobs: JobStore
    let store: HistoryStore
    let ruleSet: RuleSet
    let classifier: TopicClassifier?
    let charters: CharterLibrary
    let toolVersion: String
    let limit: Int
    let scanThreads: Int
    let maxUnzipBytes: Int
    private let lock = NSLock()
    private var queue: [String] = []
    private var running: Set<String> = []
    private var progress: [String: JobProgress] = [:]

    init(jobs: JobStore, store: HistoryStore, ruleSet: RuleSet, classifier: TopicClassifier?, charters: CharterLibrary,
         toolVersion: String, limit: Int, scanThreads: Int, maxUnzipBytes: Int) {
        self.jobs = jobs; self.store = store; self.ruleSet = ruleSet; self.classifier = classifier; self.charters = charters
        self.toolVersion = toolVersion; self.limit = max(1, limit); self.scanThreads = max(1, scanThreads)
        self.maxUnzipBytes = maxUnzipBytes
    }

    static func note(_ id: String) -> String { "web job \(id)" }

    func progress(of id: String) -> JobProgress? {
        lock.lock(); defer { lock.unlock() }
        return progress[id]
    }

    func isLive(_ id: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return running.contains(id) || queue.contains(id)
    }

    func enqueue(_ id: String) {
        lock.lock()
        queue.append(id)
        lock.unlock()
        pump()
    }

    private func pump() {
        lock.lock()
        var starting: [String] = []
        while running.count < limit, !queue.isEmpty {
            let id = queue.removeFirst()
            running.insert(id)
            progress[id] = JobProgress()
            starting.append(id)
        }
        lock.unlock()
        for id in starting {
            let thread = Thread { [self] in
                self.run(id)
                self.lock.lock()
                self.running.remove(id)
                self.progress[id] = nil
                self.lock.unlock()
                self.pump()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// At start-up: a job left "running" (the server stopped during its scan) is done when the
    /// store holds its scan, else failed with a reason; "queued" jobs are queued again.
    func recover() {
        let recorded = (try? store.scans()) ?? []
        for job in jobs.all() where job.status == .running || job.status == .queued {
            if let scan = recorded.first(where: { $0.note == Self.note(job.id) }),
               FileManager.default.fileExists(atPath: jobs.folder(job.id).appendingPathComponent("out").path) {
                _ = try? jobs.update(job.id) {
                    $0.status = .done; $0.scanID = scan.id; $0.findings = scan.findings; $0.sites = scan.sites
                    $0.complete = scan.complete; $0.finishedAt = $0.finishedAt ?? Timestamp.iso(Date())
                }
            } else if job.status == .running {
                try? FileManager.default.removeItem(at: jobs.folder(job.id).appendingPathComponent("out.tmp"))
                try? FileManager.default.removeItem(at: jobs.folder(job.id).appendingPathComponent("out"))
                try? FileManager.default.removeItem(at: jobs.folder(job.id).appendingPathComponent("mirror"))
                _ = try? jobs.update(job.id) {
                    $0.status = .failed; $0.finishedAt = Timestamp.iso(Date())
                    $0.failure = "Máy chủ đã dừng trong lúc quét; không có kết quả dở dang nào được ghi vào kho lịch sử. Hãy tải lên và quét lại."
                }
            } else {
                enqueue(job.id)
            }
        }
    }

    private func fail(_ id: String, _ reason: String) {
        try? FileManager.default.removeItem(at: jobs.folder(id).appendingPathComponent("out.tmp"))
        _ = try? jobs.update(id) { $0.status = .failed; $0.failure = reason; $0.finishedAt = Timestamp.iso(Date()) }
    }

    private func run(_ id: String) {
        guard let job = try? jobs.update(id, { $0.status = .running; $0.startedAt = Timestamp.iso(Date()) }) else { return }
        let folder = jobs.folder(id)
        let fm = FileManager.default
        // The charter, or only a kind.
        var charter: Charter?
        if let charterID = job.charterID {
            guard let entry = charters.find(charterID) else { return fail(id, "Không còn tôn chỉ \(charterID).") }
            charter = entry.charter
        }
        guard let kind = PublicationKind(rawValue: job.kind) else { return fail(id, "Loại hình không hợp lệ: \(job.kind)") }
        var offCharter: OffCharterCheck?
        if let charter, !charter.topics.isEmpty {
            guard let classifier else { return fail(id, "Bộ quy tắc không có danh mục chủ đề.") }
            do { offCharter = try OffCharterCheck(classifier: classifier, allowedTopics: charter.topics, catalog: ruleSet.catalog) } catch {
                return fail(id, "Tôn chỉ có mã chủ đề không hợp lệ: \(error)")
            }
        }
        // The input: a WARC/WACZ as uploaded, a zip unpacked into mirror/.
        var input = folder.appendingPathComponent(job.upload).path
        if UploadKind.of(name: job.upload) == .zip {
            let mirror = folder.appendingPathComponent("mirror")
            try? fm.removeItem(at: mirror)
            do { _ = try SafeUnzip.extract(URL(fileURLWithPath: input), to: mirror, maxBytes: maxUnzipBytes) } catch {
                try? fm.removeItem(at: mirror)
                return fail(id, "Không giải nén được: \(error)")
            }
            input = mirror.path
        }
        let scanner = Scanner(ruleSet: ruleSet, options: .init(kind: kind, date: nil, scanDate: Day.today, jobs: scanThreads))
        scanner.onProgress = { [self] coverage in
            self.lock.lock()
            self.progress[id] = JobProgress(records: coverage.recordsRead, pages: coverage.pagesScanned, bytes: coverage.bytesScanned)
            self.lock.unlock()
        }
        let tool = ToolInfo(version: toolVersion, rulesHash: ruleSet.sourceHash, ruleCount: ruleSet.rules.count)
        let report = scanner.scan([input], tool: tool, charter: charter, offCharter: offCharter)
        if report.coverage.pagesScanned == 0 && report.sites.isEmpty {
            try? fm.removeItem(at: folder.appendingPathComponent("mirror"))
            let why = (report.coverage.unreadable + report.coverage.unsupported).first.map { ": \($0.reason.rawValue)" } ?? ""
            return fail(id, "Không tìm thấy trang nào để kiểm tra trong tệp tải lên\(why).")
        }
        // Report files first (out.tmp → out), then the store, then the job: each step is atomic.
        let context = ReportContext(command: ["tonchi", "serve", "(web)", job.originalName],
                                    inputs: [FileHashing.describe(folder.appendingPathComponent(job.upload).path, shownAs: job.originalName)],
                                    authority: charter?.authority, catalog: ruleSet.catalog)
        let evidence = EvidenceReport.make(report, context: context)
        let tmp = folder.appendingPathComponent("out.tmp"), out = folder.appendingPathComponent("out")
        do {
            try? fm.removeItem(at: tmp)
            try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
            var json = ""
            JSONFormat.write(report, to: { json += $0 })
            try Data(json.utf8).write(to: tmp.appendingPathComponent("scan.json"))
            try Data(HTMLEvidenceFormat(language: .vi).render(evidence).utf8).write(to: tmp.appendingPathComponent("report.html"))
            try Data(SARIFFormat.render(evidence).utf8).write(to: tmp.appendingPathComponent("report.sarif"))
            try Data(JSONFormat.render(evidence).utf8).write(to: tmp.appendingPathComponent("evidence.json"))
            try? fm.removeItem(at: out)
            try fm.moveItem(at: tmp, to: out)
        } catch {
            return fail(id, "Không ghi được báo cáo: \(error)")
        }
        try? fm.removeItem(at: folder.appendingPathComponent("mirror"))
        let scanID: ScanID
        do { scanID = try store.record(scan: report, note: Self.note(id)) } catch {
            try? fm.removeItem(at: out)
            return fail(id, "Không ghi được vào kho lịch sử: \(error)")
        }
        let findings = (try? store.findings(scan: scanID).count) ?? report.findings.count
        _ = try? jobs.update(id) {
            $0.status = .done; $0.scanID = scanID; $0.findings = findings; $0.finishedAt = Timestamp.iso(Date())
            $0.sites = report.sites.map { Fingerprint.siteKey($0.facts.host) }; $0.complete = report.isComplete
        }
    }
}

/// What an upload is, from its name (and, for zips, checked again by ZIPFoundation).
enum UploadKind: String {
    case warc, warcGz, wacz, zip

    static func of(name: String) -> UploadKind? {
        let n = name.lowercased()
        if n.hasSuffix(".warc.gz") { return .warcGz }
        if n.hasSuffix(".warc") { return .warc }
        if n.hasSuffix(".wacz") { return .wacz }
        if n.hasSuffix(".zip") { return .zip }
        return nil
    }

    var fileName: String {
        switch self {
        case .warc: return "upload.warc"
        case .warcGz: return "upload.warc.gz"
        case .wacz: return "upload.wacz"
        case .zip: return "upload.zip"
        }
    }
}
