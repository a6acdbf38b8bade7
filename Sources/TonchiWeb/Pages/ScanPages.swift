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

/// Pages of a scan: the upload form and list, a job's progress or findings, its report and downloads.
extension WebApp {
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
        let job = WebJob(id: id, status: .queued, createdAt: Timestamp.iso(Date()), originalName: String(name.prefix(300)),
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
}
