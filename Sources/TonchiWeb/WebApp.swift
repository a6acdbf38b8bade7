import Foundation
import Hummingbird
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiExtract
import TonchiHistory
import TonchiIngest
import TonchiReport
import TonchiRules
import TonchiScan

/// Settings of the inspectors' web app.
public struct WebConfiguration: Sendable {
    /// The history store (SQLite file; created when missing).
    public var storePath: String
    /// Where uploads, jobs, created charters and the session secret live. Never served as files.
    public var uploadsDirectory: String
    /// Largest upload accepted (bytes of the file; the request may be a little larger).
    public var maxUploadBytes: Int
    /// A folder of charters (`*.yaml`) to pick from, read-only.
    public var chartersDirectory: String?
    /// Rules directory; nil for the bundled rules.
    public var rulesDirectory: String?
    /// Scans run at once, and threads per scan.
    public var concurrentScans: Int
    public var scanThreads: Int
    /// tonchi's version, written in reports and the store.
    public var toolVersion: String

    public init(storePath: String, uploadsDirectory: String, maxUploadBytes: Int = 200 << 20, chartersDirectory: String? = nil,
                rulesDirectory: String? = nil, concurrentScans: Int = 1, scanThreads: Int = ProcessInfo.processInfo.activeProcessorCount,
                toolVersion: String) {
        self.storePath = storePath; self.uploadsDirectory = uploadsDirectory; self.maxUploadBytes = maxUploadBytes
        self.chartersDirectory = chartersDirectory; self.rulesDirectory = rulesDirectory
        self.concurrentScans = concurrentScans; self.scanThreads = scanThreads; self.toolVersion = toolVersion
    }
}

public struct WebError: Error, CustomStringConvertible {
    public let description: String
}

/// The inspectors' web app: Vietnamese pages, plain HTML forms (no script), served by `tonchi serve`.
/// `addRoutes(to:)` registers its pages on a Hummingbird router; scans run in the background
/// (`ScanRunner`) from the moment the app is made. Routes: docs/web.md.
public final class WebApp: @unchecked Sendable {
    public let configuration: WebConfiguration
    let store: HistoryStore
    let ruleSet: RuleSet
    let jobs: JobStore
    let charters: CharterLibrary
    let runner: ScanRunner
    let uploads: URL
    let secret: String

    public init(_ configuration: WebConfiguration) throws {
        self.configuration = configuration
        let fm = FileManager.default
        uploads = URL(fileURLWithPath: configuration.uploadsDirectory).standardizedFileURL
        try fm.createDirectory(at: uploads, withIntermediateDirectories: true)
        try fm.createDirectory(at: uploads.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        do { store = try HistoryStore(path: configuration.storePath) } catch { throw WebError(description: "\(error)") }
        do {
            ruleSet = try configuration.rulesDirectory.map { try RuleLoader.load(directory: URL(fileURLWithPath: $0)) } ?? RuleLoader.loadBundled()
        } catch { throw WebError(description: "rules: \(error)") }
        guard !ruleSet.rules.isEmpty else { throw WebError(description: "no usable rule loaded") }
        jobs = try JobStore(root: uploads.appendingPathComponent("jobs"))
        charters = try CharterLibrary(shared: configuration.chartersDirectory.map { URL(fileURLWithPath: $0) },
                                      created: uploads.appendingPathComponent("charters"))
        // The secret the CSRF tokens derive from; kept so that forms stay valid across a restart.
        let secretFile = uploads.appendingPathComponent("session-secret")
        if let s = try? String(contentsOf: secretFile, encoding: .utf8), s.count == 64 {
            secret = s
        } else {
            secret = Token.hex(bytes: 32)
            try Data(secret.utf8).write(to: secretFile, options: .atomic)
            try? fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretFile.path)
        }
        runner = ScanRunner(jobs: jobs, store: store, ruleSet: ruleSet, charters: charters, toolVersion: configuration.toolVersion,
                            limit: configuration.concurrentScans, scanThreads: configuration.scanThreads,
                            maxUnzipBytes: configuration.maxUploadBytes * 10)
        runner.recover()
    }

    // MARK: Sessions and responses

    struct Session {
        let id: String
        let isNew: Bool
        let csrf: String
    }

    static let cookieName = "tonchi_sid"

    func session(_ request: Request) -> Session {
        if let sid = request.cookies[Self.cookieName]?.value, sid.count == 32, sid.allSatisfy(\.isHexDigit) {
            return Session(id: sid, isNew: false, csrf: csrfToken(sid))
        }
        let sid = Token.hex(bytes: 16)
        return Session(id: sid, isNew: true, csrf: csrfToken(sid))
    }

    func csrfToken(_ sid: String) -> String { SHA256Digest.hex(Array("tonchi.csrf/1\u{1F}\(secret)\u{1F}\(sid)".utf8)) }

    /// A state change is allowed only with the session cookie, the session's token in the form,
    /// and no foreign Origin.
    func allowed(_ request: Request, _ session: Session, token: String?) -> Bool {
        if session.isNew { return false }
        if let origin = request.headers[.origin], let host = request.head.authority {
            if origin != "http://\(host)" && origin != "https://\(host)" { return false }
        }
        return Token.equal(token ?? "", session.csrf)
    }

    static func secure(_ headers: inout HTTPFields, csp: String = Page.contentSecurityPolicy) {
        headers[.contentSecurityPolicy] = csp
        headers[.xContentTypeOptions] = "nosniff"
        headers[.init("X-Frame-Options")!] = "DENY"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        headers[.cacheControl] = "no-store"
    }

    func page(_ title: String, _ body: String, status: HTTPResponse.Status = .ok, session: Session, refresh: Int? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        Self.secure(&headers)
        var response = Response(status: status, headers: headers,
                                body: .init(byteBuffer: ByteBuffer(string: Page.layout(title: title, body: body, refreshSeconds: refresh))))
        if session.isNew {
            response.setCookie(Cookie(name: Self.cookieName, value: session.id, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }

    func redirect(_ location: String) -> Response {
        var headers: HTTPFields = [.location: location]
        Self.secure(&headers)
        return Response(status: .seeOther, headers: headers)
    }

    func forbidden(_ session: Session) -> Response {
        page("Không được phép", Page.error("Biểu mẫu đã hết hạn hoặc không hợp lệ (thiếu mã chống giả mạo). Hãy mở lại trang và gửi lại.")
             + "<p><a href=\"/\">Về trang đầu</a></p>", status: .forbidden, session: session)
    }

    func notFound(_ session: Session) -> Response {
        page("Không tìm thấy", "<p>Không có trang này. <a href=\"/\">Về trang đầu</a></p>", status: .notFound, session: session)
    }

    func file(_ url: URL, type: String, downloadAs name: String?, csp: String = Page.contentSecurityPolicy) -> Response? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        var headers: HTTPFields = [.contentType: type]
        Self.secure(&headers, csp: csp)
        if let name { headers[.contentDisposition] = "attachment; filename=\"\(name)\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func formBody(_ request: Request, limit: Int = 1 << 20) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        return URLForm.parse(String(buffer: buffer))
    }

    /// Runs CPU work off the server's event loops.
    static func offloaded<T>(_ work: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    // MARK: Routes

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("/assets/app.css") { _, _ -> Response in
            var headers: HTTPFields = [.contentType: "text/css; charset=utf-8"]
            Self.secure(&headers)
            headers[.cacheControl] = "max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: Page.css)))
        }
        router.get("/") { request, _ in self.home(request) }
        router.post("/scans") { request, _ in try await self.upload(request) }
        router.get("/scans/:id") { request, context in self.job(request, id: context.parameters.get("id") ?? "") }
        router.get("/scans/:id/report") { request, context in self.report(request, id: context.parameters.get("id") ?? "") }
        router.get("/scans/:id/download/:format") { request, context in
            try await self.download(request, id: context.parameters.get("id") ?? "", format: context.parameters.get("format") ?? "")
        }
        router.get("/scans/:id/compare") { request, context in self.compare(request, id: context.parameters.get("id") ?? "") }
        router.post("/findings/review") { request, _ in try await self.review(request) }
        router.get("/review-list") { request, _ in self.reviewList(request) }
        router.get("/check") { request, _ in self.quickCheck(request, form: [:], result: nil) }
        router.post("/check") { request, _ in try await self.quickCheckPost(request) }
        router.get("/charters/new") { request, _ in self.charterForm(request, form: [:], problems: []) }
        router.post("/charters") { request, _ in try await self.charterPost(request) }
    }

    // MARK: Home and upload

    func home(_ request: Request, problems: [String] = [], status: HTTPResponse.Status = .ok) -> Response {
        let session = self.session(request)
        var b = problems.map(Page.error).joined()
        b += "<p>Tải lên bản lưu của trang (WARC, WARC.GZ, WACZ hoặc ZIP của bản sao trang), chọn tôn chỉ, mục đích được cấp phép, rồi bấm Quét. "
        b += "Tối đa \(esc(Self.megabytes(configuration.maxUploadBytes))).</p>\n"
        b += "<form class=\"box\" method=\"post\" action=\"/scans\" enctype=\"multipart/form-data\">\(Page.csrfField(session.csrf))\n"
        b += "<label for=\"file\">Tệp bản lưu</label><input id=\"file\" type=\"file\" name=\"file\" required accept=\".warc,.gz,.wacz,.zip\">\n"
        b += "<label for=\"charter\">Tôn chỉ, mục đích (giấy phép)</label><select id=\"charter\" name=\"charter\">"
        b += "<option value=\"\">— không có tôn chỉ: dùng loại hình bên dưới —</option>"
        for entry in charters.all() {
            b += "<option value=\"\(esc(entry.id))\">\(esc(entry.charter.name)) (\(esc(entry.charter.domains.joined(separator: ", "))))</option>"
        }
        b += "</select> <a href=\"/charters/new\">Tạo tôn chỉ mới</a>\n"
        b += "<label for=\"kind\">Loại hình (khi không chọn tôn chỉ)</label><select id=\"kind\" name=\"kind\">\(Page.kindOptions(selected: nil, allowNone: true))</select>\n"
        b += "<div><button type=\"submit\">Quét</button></div></form>\n"
        b += "<h2>Các lần quét</h2>\n"
        let list = jobs.all()
        if list.isEmpty {
            b += "<p class=\"muted\">Chưa có lần quét nào.</p>"
        } else {
            b += "<table><tr><th>Lần quét</th><th>Tệp</th><th>Tôn chỉ</th><th>Trạng thái</th><th>Phát hiện</th><th>Tạo lúc</th></tr>\n"
            for job in list.prefix(100) {
                b += "<tr><td><a href=\"/scans/\(esc(job.id))\">\(esc(job.id))</a></td><td>\(esc(job.originalName))</td>"
                b += "<td>\(esc(job.charterName ?? job.kind))</td><td>\(esc(Self.statusLabel(job.status)))</td>"
                b += "<td>\(job.findings.map { String($0) } ?? "")</td><td>\(esc(job.createdAt))</td></tr>\n"
            }
            b += "</table>"
        }
        return page("Quét trang thông tin điện tử", b, status: status, session: session)
    }

    static func statusLabel(_ s: WebJob.Status) -> String {
        switch s {
        case .queued: return "đang chờ"
        case .running: return "đang quét"
        case .done: return "xong"
        case .failed: return "thất bại"
        }
    }

    static func megabytes(_ n: Int) -> String { String(format: "%.0f MB", Double(n) / 1_048_576) }

    func upload(_ request: Request) async throws -> Response {
        let session = self.session(request)
        if session.isNew { return forbidden(session) }
        let max = configuration.maxUploadBytes
        let slack = 256 * 1024  // the form's other fields and multipart framing
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > max + slack {
            return home(request, problems: ["Tệp quá lớn: tối đa \(Self.megabytes(max))."], status: .contentTooLarge)
        }
        guard let type = request.headers[.contentType], let boundary = MultipartForm.boundary(contentType: type) else {
            return home(request, problems: ["Biểu mẫu phải gửi dạng multipart/form-data."], status: .badRequest)
        }
        let fm = FileManager.default
        let spool = uploads.appendingPathComponent("tmp").appendingPathComponent(Token.hex(bytes: 8) + ".part")
        guard fm.createFile(atPath: spool.path, contents: nil), let out = FileHandle(forWritingAtPath: spool.path) else {
            return home(request, problems: ["Không ghi được tệp tạm."], status: .internalServerError)
        }
        defer { try? fm.removeItem(at: spool) }
        var total = 0
        var tooLarge = false
        do {
            for try await buffer in request.body {
                total += buffer.readableBytes
                if total > max + slack { tooLarge = true; break }
                try out.write(contentsOf: Data(buffer.readableBytesView))
            }
        } catch {
            try? out.close()
            return home(request, problems: ["Tải lên bị gián đoạn: \(error)"], status: .badRequest)
        }
        try? out.close()
        if tooLarge { return home(request, problems: ["Tệp quá lớn: tối đa \(Self.megabytes(max))."], status: .contentTooLarge) }

        let id = Token.hex(bytes: 8)
        let folder = jobs.folder(id)
        let uploadFolder = folder.appendingPathComponent("upload")
        try fm.createDirectory(at: uploadFolder, withIntermediateDirectories: true)
        let received = uploadFolder.appendingPathComponent("received")
        func reject(_ message: String, _ status: HTTPResponse.Status = .badRequest) -> Response {
            try? fm.removeItem(at: folder)
            return home(request, problems: [message], status: status)
        }
        let form: MultipartForm
        do { form = try MultipartForm.parse(spool: spool, boundary: boundary, fileField: "file", fileDestination: received) } catch {
            return reject("\(error)")
        }
        guard allowed(request, session, token: form.fields["csrf"]) else { try? fm.removeItem(at: folder); return forbidden(session) }
        guard let name = form.fileName, form.fileBytes > 0 else { return reject("Hãy chọn một tệp bản lưu.") }
        guard form.fileBytes <= max else { return reject("Tệp quá lớn: tối đa \(Self.megabytes(max)).", .contentTooLarge) }
        guard let kindOfUpload = UploadKind.of(name: name) else {
            return reject("Chỉ nhận tệp .warc, .warc.gz, .wacz hoặc .zip (tệp đã gửi: \(name)).")
        }
        // The first bytes must agree with the name.
        let head = (try? FileHandle(forReadingFrom: received).read(upToCount: 8)) ?? nil ?? Data()
        let magicOK: Bool
        switch kindOfUpload {
        case .warcGz: magicOK = head.starts(with: [0x1F, 0x8B])
        case .warc: magicOK = head.starts(with: Array("WARC/".utf8))
        case .wacz, .zip: magicOK = head.starts(with: [0x50, 0x4B, 0x03, 0x04])
        }
        guard magicOK else { return reject("Nội dung tệp không đúng định dạng \(kindOfUpload.fileName.split(separator: ".", maxSplits: 1).last ?? "").") }
        var charterEntry: CharterLibrary.Entry?
        let charterID = form.fields["charter"] ?? ""
        if !charterID.isEmpty {
            guard let entry = charters.find(charterID) else { return reject("Không có tôn chỉ đã chọn.") }
            charterEntry = entry
        }
        let kind = charterEntry?.charter.kind ?? PublicationKind(rawValue: form.fields["kind"] ?? "")
        guard let kind else { return reject("Hãy chọn tôn chỉ hoặc loại hình.") }
        try fm.moveItem(at: received, to: uploadFolder.appendingPathComponent(kindOfUpload.fileName))
        let job = WebJob(id: id, status: .queued, createdAt: Clock.iso(), originalName: String(name.prefix(300)),
                         upload: "upload/" + kindOfUpload.fileName, uploadBytes: form.fileBytes, charterID: charterEntry?.id,
                         charterName: charterEntry?.charter.name, kind: kind.rawValue)
        try jobs.save(job)
        runner.enqueue(id)
        return redirect("/scans/\(id)")
    }

    // MARK: A job: progress, failure, or its findings

    func job(_ request: Request, id: String) -> Response {
        let session = self.session(request)
        guard let job = jobs.load(id) else { return notFound(session) }
        var b = "<table class=\"kv\">"
        b += "<tr><th>Tệp</th><td>\(esc(job.originalName)) (\(job.uploadBytes) byte)</td></tr>"
        b += "<tr><th>Tôn chỉ</th><td>\(esc(job.charterName ?? "— (không có)"))</td></tr>"
        b += "<tr><th>Loại hình</th><td>\(esc(PublicationKind(rawValue: job.kind).map(Page.kindLabel) ?? job.kind))</td></tr>"
        b += "<tr><th>Trạng thái</th><td id=\"status\" data-status=\"\(esc(job.status.rawValue))\">\(esc(Self.statusLabel(job.status)))</td></tr>"
        b += "<tr><th>Tạo lúc</th><td>\(esc(job.createdAt))</td></tr>"
        if let s = job.startedAt { b += "<tr><th>Bắt đầu</th><td>\(esc(s))</td></tr>" }
        if let s = job.finishedAt { b += "<tr><th>Kết thúc</th><td>\(esc(s))</td></tr>" }
        switch job.status {
        case .queued, .running:
            let p = runner.progress(of: id)
            b += "<tr><th>Tiến độ</th><td id=\"progress\">\(p?.records ?? 0) bản ghi, \(p?.pages ?? 0) trang, "
            b += "\(esc(String(format: "%.1f", Double(p?.bytes ?? 0) / 1_048_576))) MB đã đọc</td></tr></table>"
            b += "<progress></progress><p class=\"muted\">Trang tự làm mới sau 2 giây.</p>"
            return page("Đang quét", b, session: session, refresh: 2)
        case .failed:
            b += "</table>" + Page.error("Lần quét thất bại: " + (job.failure ?? "không rõ lý do"))
            b += "<p><a href=\"/\">Tải lên lại</a></p>"
            return page("Lần quét thất bại", b, session: session)
        case .done:
            break
        }
        guard let scanID = job.scanID else { return page("Lần quét", b + "</table>", session: session) }
        let findings = (try? store.findings(scan: scanID)) ?? []
        let stored = try? store.scan(scanID)
        b += "<tr><th>Mã lần quét trong kho</th><td>\(scanID)\(stored.map { " — " + esc($0.scannedAt) } ?? "")</td></tr>"
        b += "<tr><th>Trang</th><td>\(esc((job.sites ?? []).joined(separator: ", ")))</td></tr>"
        b += "<tr><th>Phát hiện</th><td id=\"finding-count\">\(findings.count)</td></tr>"
        if job.complete == false { b += "<tr><th>Lưu ý</th><td class=\"sev-high\">Có phần không đọc hoặc không kiểm tra hết được.</td></tr>" }
        b += "</table>\n"
        b += "<nav class=\"dl\"><a href=\"/scans/\(id)/report\">Xem báo cáo chứng cứ</a> Tải về: "
        b += "<a href=\"/scans/\(id)/download/html\">HTML</a><a href=\"/scans/\(id)/download/pdf\">PDF</a>"
        b += "<a href=\"/scans/\(id)/download/json\">JSON</a><a href=\"/scans/\(id)/download/sarif\">SARIF</a>"
        b += " | <a href=\"/scans/\(id)/compare\">So sánh với lần quét trước</a></nav>\n"
        let counts = Dictionary(grouping: findings, by: { $0.review?.status ?? .pending }).mapValues(\.count)
        b += "<p>Đã xác nhận: \(counts[.confirmed] ?? 0) · Báo sai: \(counts[.falsePositive] ?? 0) · Chưa xem xét: \(counts[.pending] ?? 0)</p>\n"
        b += "<h2>Các phát hiện</h2>\n"
        if findings.isEmpty { b += "<p class=\"ok\">Không có phát hiện nào.</p>" }
        for t in findings { b += findingBlock(t, jobID: id, scannedAt: stored?.scannedAt, csrf: session.csrf) }
        return page("Kết quả quét", b, session: session)
    }

    static func reviewLabel(_ s: ReviewStatus) -> String {
        switch s {
        case .pending: return "chưa xem xét"
        case .confirmed: return "đã xác nhận vi phạm"
        case .falsePositive: return "báo sai (dương tính giả)"
        }
    }

    func findingBlock(_ t: TrackedFinding, jobID: String, scannedAt: String?, csrf: String) -> String {
        let f = t.finding
        let status = t.review?.status ?? .pending
        var b = "<div class=\"finding\" id=\"f-\(esc(t.fingerprint.short))\" data-fingerprint=\"\(esc(t.fingerprint.value))\" data-review=\"\(esc(status.rawValue))\">"
        b += "<strong>\(esc(f.title))</strong> — mức \(Page.severity(f.severity)) · <span class=\"mono\">\(esc(f.ruleID))</span>"
        b += " · độ tin cậy \(esc(String(format: "%.2f", f.confidence)))<br>"
        b += "<span class=\"muted\">\(esc(f.criterion))</span><br>"
        switch t.placement {
        case .page: b += "Trang: <span class=\"mono\">\(esc(t.pageURL ?? ""))</span>"
        case .repeated: b += "Lặp lại trên \(f.pages.count) trang của \(esc(t.site)) (trình đơn, chân trang…)"
        case .site: b += "Toàn trang \(esc(t.site))"
        }
        if let span = f.spans.first { b += Page.excerpt(before: span.before, match: span.excerpt, after: span.after) }
        b += "<p>\(esc(f.message))</p>"
        b += "<p>Mã vết <span class=\"mono\">\(esc(t.fingerprint.short))</span> · Trạng thái: <span class=\"st-\(esc(status.rawValue)) review-status\">\(esc(Self.reviewLabel(status)))</span>"
        if let r = t.review, status != .pending {
            b += " (\(esc(r.by ?? "")) \(esc(r.at ?? ""))\(r.reason.map { ": " + esc($0) } ?? ""))"
        }
        if let first = t.firstSeen, let scannedAt, first < scannedAt { b += " · <span class=\"carried\">đã thấy từ lần quét \(esc(first))</span>" }
        b += "</p>"
        let hidden = Page.csrfField(csrf) + "<input type=\"hidden\" name=\"fingerprint\" value=\"\(esc(t.fingerprint.value))\">"
            + "<input type=\"hidden\" name=\"job\" value=\"\(esc(jobID))\">"
        if status != .confirmed {
            b += "<form class=\"inline\" method=\"post\" action=\"/findings/review\">\(hidden)<input type=\"hidden\" name=\"status\" value=\"confirmed\">"
            b += "<button type=\"submit\">Xác nhận vi phạm</button></form>"
        }
        if status != .falsePositive {
            b += "<form class=\"inline\" method=\"post\" action=\"/findings/review\">\(hidden)<input type=\"hidden\" name=\"status\" value=\"false-positive\">"
            b += "<input type=\"text\" name=\"reason\" required maxlength=\"500\" placeholder=\"Lý do báo sai\" aria-label=\"Lý do báo sai\">"
            b += "<button type=\"submit\">Báo sai</button></form>"
        }
        if status != .pending {
            b += "<form class=\"inline\" method=\"post\" action=\"/findings/review\">\(hidden)<input type=\"hidden\" name=\"status\" value=\"pending\">"
            b += "<button type=\"submit\">Bỏ đánh dấu</button></form>"
        }
        return b + "</div>\n"
    }

    func review(_ request: Request) async throws -> Response {
        let session = self.session(request)
        let form = try await Self.formBody(request, limit: 64 * 1024)
        guard allowed(request, session, token: form["csrf"]) else { return forbidden(session) }
        let back = form["job"].flatMap { JobStore.validID($0) ? "/scans/\($0)" : nil } ?? "/"
        guard let status = ReviewStatus(rawValue: form["status"] ?? ""), let fingerprint = form["fingerprint"] else {
            return page("Lỗi", Page.error("Thiếu mã vết hoặc trạng thái.") + "<p><a href=\"\(esc(back))\">Quay lại</a></p>", status: .badRequest, session: session)
        }
        let reason = form["reason"].map { String($0.prefix(500)) }
        do {
            let full = try store.setReview(fingerprint: fingerprint, status: status, reason: reason?.isEmpty == true ? nil : reason, by: "web")
            return redirect(back + "#f-" + full.short)
        } catch {
            let message = status == .falsePositive && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                ? "Báo sai cần ghi lý do." : "Không ghi được quyết định: \(error)"
            return page("Lỗi", Page.error(message) + "<p><a href=\"\(esc(back))\">Quay lại</a></p>", status: .badRequest, session: session)
        }
    }

    // MARK: Reports and downloads

    func report(_ request: Request, id: String) -> Response {
        let session = self.session(request)
        guard let job = jobs.load(id), job.status == .done else { return notFound(session) }
        // The evidence report has its own CSP (no script at all, its one style block by hash).
        return file(jobs.folder(id).appendingPathComponent("out/report.html"), type: "text/html; charset=utf-8", downloadAs: nil,
                    csp: HTMLEvidenceFormat.contentSecurityPolicy + "; frame-ancestors 'none'; sandbox") ?? notFound(session)
    }

    func download(_ request: Request, id: String, format: String) async throws -> Response {
        let session = self.session(request)
        guard let job = jobs.load(id), job.status == .done else { return notFound(session) }
        let out = jobs.folder(id).appendingPathComponent("out")
        let sandbox = "default-src 'none'; sandbox"
        switch format {
        case "html":
            return file(out.appendingPathComponent("report.html"), type: "text/html; charset=utf-8", downloadAs: "tonchi-\(id).html",
                        csp: HTMLEvidenceFormat.contentSecurityPolicy + "; sandbox") ?? notFound(session)
        case "json":
            return file(out.appendingPathComponent("scan.json"), type: "application/json", downloadAs: "tonchi-\(id).json", csp: sandbox) ?? notFound(session)
        case "sarif":
            return file(out.appendingPathComponent("report.sarif"), type: "application/sarif+json", downloadAs: "tonchi-\(id).sarif", csp: sandbox) ?? notFound(session)
        case "pdf":
            let pdf = out.appendingPathComponent("report.pdf")
            if !FileManager.default.fileExists(atPath: pdf.path) {
                let html = out.appendingPathComponent("report.html")
                do {
                    try await Self.offloaded {
                        let tmp = out.appendingPathComponent("report.\(Token.hex(bytes: 4)).pdf")
                        try PDFRenderer.render(html: try String(contentsOf: html, encoding: .utf8), to: tmp.path)
                        _ = try? FileManager.default.replaceItemAt(pdf, withItemAt: tmp)
                        if !FileManager.default.fileExists(atPath: pdf.path) { try FileManager.default.moveItem(at: tmp, to: pdf) }
                    }
                } catch {
                    return page("Không tạo được PDF", Page.error("\(error)"), status: .internalServerError, session: session)
                }
            }
            return file(pdf, type: "application/pdf", downloadAs: "tonchi-\(id).pdf", csp: sandbox) ?? notFound(session)
        default:
            return notFound(session)
        }
    }

    // MARK: Compare

    func compare(_ request: Request, id: String) -> Response {
        let session = self.session(request)
        guard let job = jobs.load(id), job.status == .done, let scanID = job.scanID, let current = try? store.scan(scanID) else { return notFound(session) }
        var b = "<p><a href=\"/scans/\(id)\">← Kết quả lần quét</a></p>"
        guard let site = current.sites.first else { return page("So sánh", b + "<p>Lần quét không có trang nào.</p>", session: session) }
        let earlier = ((try? store.scans(site: site)) ?? []).filter { ($0.scannedAt, $0.id) < (current.scannedAt, current.id) }
        guard let previous = earlier.last else {
            return page("So sánh", b + "<p>Chưa có lần quét trước của \(esc(site)) trong kho.</p>", session: session)
        }
        let c: ScanComparison
        do { c = try store.compare(old: previous.id, new: scanID, site: site) } catch {
            return page("So sánh", b + Page.error("\(error)"), status: .internalServerError, session: session)
        }
        b += "<p>Trang <strong>\(esc(site))</strong>: lần quét \(previous.id) (\(esc(previous.scannedAt))) → lần quét \(scanID) (\(esc(current.scannedAt))).</p>"
        b += "<table><tr><th>Mới</th><th>Vẫn còn</th><th>Đã khắc phục</th><th>Không kiểm tra lại</th></tr>"
        b += "<tr><td id=\"n-new\">\(c.summary.new)</td><td id=\"n-persisting\">\(c.summary.persisting)</td><td id=\"n-fixed\">\(c.summary.fixed)</td><td>\(c.summary.notRechecked)</td></tr></table>"
        for w in c.warnings { b += "<p class=\"err\">\(esc(w))</p>" }
        for (title, list) in [("Mới", c.new), ("Đã khắc phục", c.fixed), ("Vẫn còn", c.persisting), ("Không kiểm tra lại", c.notRechecked)] where !list.isEmpty {
            b += "<h2>\(esc(title)) (\(list.count))</h2><table><tr><th>Mã vết</th><th>Mức</th><th>Quy tắc</th><th>Trang</th><th>Trích</th><th>Trạng thái</th></tr>"
            for f in list {
                b += "<tr><td class=\"mono\">\(esc(f.fingerprint.short))</td><td>\(Page.severity(f.severity))</td><td class=\"mono\">\(esc(f.ruleID))</td>"
                b += "<td class=\"mono\">\(esc(f.url ?? "(toàn trang)"))</td><td>\(esc(f.excerpt ?? ""))</td>"
                b += "<td>\(esc(Self.reviewLabel(f.review?.status ?? .pending)))</td></tr>"
            }
            b += "</table>"
        }
        return page("So sánh với lần quét trước", b, session: session)
    }

    // MARK: Review list

    func reviewList(_ request: Request) -> Response {
        let session = self.session(request)
        let sites: [SiteFindings]
        do { sites = try store.latestSites() } catch {
            return page("Danh sách rà soát", Page.error("\(error)"), status: .internalServerError, session: session)
        }
        let list = ReviewList.rank(sites)
        var b = "<p>Các trang được cấp phép xếp theo mức cần rà soát (lần quét mới nhất của mỗi trang; báo sai không tính, đã xác nhận tính đủ).</p>"
        if list.sites.isEmpty { return page("Danh sách rà soát", b + "<p class=\"muted\">Kho chưa có lần quét nào.</p>", session: session) }
        b += "<table><tr><th>Hạng</th><th>Trang</th><th>Tên</th><th>Trọng số</th><th>Phát hiện</th><th>Đã xác nhận</th><th>Báo sai</th><th>Tiêu chí</th><th>Lần quét</th></tr>"
        for s in list.sites {
            b += "<tr><td>\(s.rank)</td><td class=\"mono\">\(esc(s.site))</td><td>\(esc(s.name ?? ""))</td><td>\(esc(String(format: "%.2f", s.weight)))</td>"
            b += "<td>\(s.findings)</td><td>\(s.confirmed)</td><td>\(s.falsePositives)</td>"
            b += "<td>\(esc(s.codes.map { "\($0.criterion) ×\($0.count)" }.joined(separator: ", ")))</td>"
            let jobLink = s.scanID.flatMap { id in jobs.all().first { $0.scanID == id } }.map { "<a href=\"/scans/\(esc($0.id))\">\(s.scanID!)</a>" }
            b += "<td>\(jobLink ?? s.scanID.map(String.init) ?? "")</td></tr>"
        }
        b += "</table>"
        return page("Danh sách trang cần rà soát", b, session: session)
    }

    // MARK: Quick check

    func quickCheck(_ request: Request, form: [String: String], result: String?, problems: [String] = [], status: HTTPResponse.Status = .ok) -> Response {
        let session = self.session(request)
        var b = problems.map(Page.error).joined()
        b += "<p>Dán nội dung một bài viết (văn bản, Markdown hoặc HTML) để kiểm tra trước khi đăng.</p>"
        b += "<form class=\"box\" method=\"post\" action=\"/check\">\(Page.csrfField(session.csrf))"
        b += "<label for=\"kind\">Loại hình</label><select id=\"kind\" name=\"kind\">\(Page.kindOptions(selected: form["kind"], allowNone: true))</select>"
        b += "<label for=\"charter\">Tôn chỉ (không bắt buộc)</label><select id=\"charter\" name=\"charter\"><option value=\"\">—</option>"
        for entry in charters.all() {
            b += "<option value=\"\(esc(entry.id))\"\(form["charter"] == entry.id ? " selected" : "")>\(esc(entry.charter.name))</option>"
        }
        b += "</select><label for=\"format\">Định dạng</label><select id=\"format\" name=\"format\">"
        for (v, l) in [("text", "Văn bản"), ("markdown", "Markdown"), ("html", "HTML")] {
            b += "<option value=\"\(v)\"\(form["format"] == v ? " selected" : "")>\(l)</option>"
        }
        b += "</select><label for=\"text\">Nội dung</label><textarea id=\"text\" name=\"text\" required maxlength=\"200000\">\(esc(form["text"] ?? ""))</textarea>"
        b += "<div><button type=\"submit\">Kiểm tra</button></div></form>"
        if let result { b += result }
        return page("Kiểm tra nhanh một bài viết", b, status: status, session: session)
    }

    func quickCheckPost(_ request: Request) async throws -> Response {
        let session = self.session(request)
        let form = try await Self.formBody(request, limit: 1 << 20)
        guard allowed(request, session, token: form["csrf"]) else { return forbidden(session) }
        let text = form["text"] ?? ""
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return quickCheck(request, form: form, result: nil, problems: ["Hãy dán nội dung cần kiểm tra."], status: .badRequest)
        }
        if text.utf8.count > 400_000 { return quickCheck(request, form: form, result: nil, problems: ["Nội dung quá dài."], status: .contentTooLarge) }
        let entry = (form["charter"] ?? "").isEmpty ? nil : charters.find(form["charter"]!)
        guard let kind = PublicationKind(rawValue: form["kind"] ?? "") ?? entry?.charter.kind else {
            return quickCheck(request, form: form, result: nil, problems: ["Hãy chọn loại hình hoặc tôn chỉ."], status: .badRequest)
        }
        let format = InputFormat(rawValue: form["format"] ?? "text") ?? .plainText
        let ruleSet = self.ruleSet
        let findings: [Finding] = try await Self.offloaded {
            let bytes = Array(text.utf8)
            let extracted = Extractor.extract(bytes, format: format, url: nil)
            let document = PreparedDocument(name: "bài viết", extracted: extracted, database: ruleSet.database)
            let context = CheckContext(kind: kind, date: nil, scanDate: Clock.today)
            var result = Evaluator(ruleSet: ruleSet).evaluate(document, context: context)
            if let charter = entry?.charter, !charter.topics.isEmpty, let classifier = TopicClassifier(ruleSet: ruleSet),
               let check = try? OffCharterCheck(classifier: classifier, allowedTopics: charter.topics, catalog: ruleSet.catalog),
               let finding = check.check(document, context: context).1 {
                result = result.adding([finding])
            }
            return result.findings
        }
        var r = "<h2>Kết quả: \(findings.count) phát hiện</h2>"
        if findings.isEmpty { r += "<p class=\"ok\">Không có phát hiện nào.</p>" }
        for f in findings {
            r += "<div class=\"finding\"><strong>\(esc(f.title))</strong> — mức \(Page.severity(f.severity)) · <span class=\"mono\">\(esc(f.ruleID))</span><br>"
            r += "<span class=\"muted\">\(esc(f.criterion))</span>"
            if let span = f.spans.first { r += Page.excerpt(before: span.before, match: span.excerpt, after: span.after) }
            r += "<p>\(esc(f.message))</p>"
            if !f.citations.isEmpty { r += "<p class=\"muted\">Căn cứ: \(esc(f.citations.map { "\($0.instrument) \($0.id)" }.joined(separator: "; ")))</p>" }
            r += "</div>"
        }
        return quickCheck(request, form: form, result: r)
    }

    // MARK: Charters

    func charterForm(_ request: Request, form: [String: String], problems: [String], status: HTTPResponse.Status = .ok) -> Response {
        let session = self.session(request)
        var b = problems.map(Page.error).joined()
        b += "<p>Ghi lại nội dung giấy phép: tên, loại hình, tôn chỉ, mục đích, tên miền. Tôn chỉ được lưu dạng YAML (docs/charter.md) và dùng được ngay khi quét.</p>"
        b += "<form class=\"box\" method=\"post\" action=\"/charters\">\(Page.csrfField(session.csrf))"
        func field(_ name: String, _ label: String, required: Bool = false, hint: String = "") -> String {
            "<label for=\"\(name)\">\(esc(label))\(required ? " *" : "")</label><input type=\"text\" id=\"\(name)\" name=\"\(name)\" value=\"\(esc(form[name] ?? ""))\"\(required ? " required" : "")>"
                + (hint.isEmpty ? "" : "<div class=\"muted\">\(esc(hint))</div>")
        }
        b += field("slug", "Mã tệp", required: true, hint: "chữ thường không dấu, số, dấu '-' (ví dụ: tap-chi-abc)")
        b += field("name", "Tên được cấp phép", required: true)
        b += "<label for=\"kind\">Loại hình *</label><select id=\"kind\" name=\"kind\" required>\(Page.kindOptions(selected: form["kind"], allowNone: false))</select>"
        b += field("owner", "Cơ quan chủ quản")
        b += field("licence_number", "Số giấy phép", hint: "bắt buộc khi ghi ngày hoặc nơi cấp")
        b += field("licence_date", "Ngày cấp", hint: "YYYY-MM-DD hoặc D/M/YYYY")
        b += field("licence_issuer", "Nơi cấp")
        b += field("domains", "Tên miền", hint: "cách nhau bằng dấu phẩy")
        b += "<label for=\"purpose\">Tôn chỉ, mục đích</label><textarea id=\"purpose\" name=\"purpose\">\(esc(form["purpose"] ?? ""))</textarea>"
        let topics = CharterLibrary.knownTopics(ruleSet)
        b += field("topics", "Chủ đề được phép", hint: "mã chủ đề, cách nhau bằng dấu phẩy: " + topics.map { "\($0.id) (\($0.title))" }.joined(separator: ", "))
        b += field("responsible", "Người chịu trách nhiệm")
        b += field("authority", "Cơ quan thanh tra")
        b += "<div><button type=\"submit\">Lưu tôn chỉ</button></div></form>"
        let list = charters.all()
        if !list.isEmpty {
            b += "<h2>Tôn chỉ hiện có</h2><table><tr><th>Tên</th><th>Loại hình</th><th>Tên miền</th><th>Giấy phép</th></tr>"
            for e in list {
                b += "<tr><td>\(esc(e.charter.name))</td><td>\(esc(Page.kindLabel(e.charter.kind)))</td><td>\(esc(e.charter.domains.joined(separator: ", ")))</td>"
                b += "<td>\(esc(e.charter.licence?.number ?? ""))</td></tr>"
            }
            b += "</table>"
        }
        return page("Tạo tôn chỉ, mục đích", b, status: status, session: session)
    }

    func charterPost(_ request: Request) async throws -> Response {
        let session = self.session(request)
        let form = try await Self.formBody(request, limit: 256 * 1024)
        guard allowed(request, session, token: form["csrf"]) else { return forbidden(session) }
        let problems = charters.create(form: form, ruleSet: ruleSet)
        if !problems.isEmpty { return charterForm(request, form: form, problems: problems, status: .badRequest) }
        return redirect("/?charter=created")
    }
}
