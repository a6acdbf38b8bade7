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

/// Pages that look across scans: the comparison with the previous scan, the review list.
extension WebApp {
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
}
