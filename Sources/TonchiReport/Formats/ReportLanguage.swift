import TonchiCore
import TonchiEvaluate
import TonchiIngest

/// The evidence report's words, in Vietnamese (the default: it goes into a Vietnamese sanction
/// file) and English. Texts from rules and the legal catalog stay as written.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case vi, en

    func t(_ key: Key) -> String {
        let pair = Self.strings[key]!
        return self == .vi ? pair.0 : pair.1
    }

    enum Key: CaseIterable {
        case title, subtitleScan, subtitleCheck, header, authority, publication, kind, owner, licence, domains, responsible
        case purpose, siteAsSeen, licenceLineSeen, noLicenceLine, scanTime, inputs, period, captured, published, notStated
        case summary, provision, findingsCol, fineOrg, fineInd, additional, remedial, confidence, needsChecking, none
        case notInCatalog, findings, noFindings, finding, rule, criterion, severity, site, placement, excerpt, bytes
        case line, scope, withoutDiacritics, moreSpans, locations, page, evidence, capturedAt, publishedAt, sha256
        case warcDigest, citation, citationDate, whyDate, draft, draftIntro, draftShownAt, draftEvidence, draftFindings
        case draftCheck, appendix, evidenceItems, record, size, unchecked, uncheckedIntro, technical, toolVersion
        case rulesHash, ruleCount, command, reportSchema, incompleteRun, pagesCount, allPagesNote, citationWarning
        case excluded, excludedIntro, sanctions, placementPage, placementRepeated, placementSite, placementDocument, reason, cspNote, coverage, fineNote
    }

    static let strings: [Key: (String, String)] = [
        .excluded: ("Phát hiện được loại trừ", "Excluded findings"),
        .excludedIntro: ("Tác giả đã ghi chú loại trừ trong bài (tonchi-disable) hoặc danh sách cho phép của đơn vị bao phủ các phát hiện sau; chúng được liệt kê để đối chiếu, không tính là vi phạm.",
                         "The author set these aside in the text (tonchi-disable) or an allowlist covers them; they are listed for review and not counted as violations."),
        .title: ("Báo cáo chứng cứ kiểm tra nội dung thông tin điện tử", "Evidence report on online content"),
        .subtitleScan: ("Kết quả quét dữ liệu trang (tonchi scan)", "Results of a site dump scan (tonchi scan)"),
        .subtitleCheck: ("Kết quả kiểm tra tài liệu (tonchi check)", "Results of a document check (tonchi check)"),
        .header: ("Thông tin chung", "General information"),
        .authority: ("Cơ quan kiểm tra", "Inspecting authority"),
        .publication: ("Ấn phẩm / trang", "Publication / site"),
        .kind: ("Loại hình", "Kind"),
        .owner: ("Cơ quan chủ quản / chủ sở hữu", "Owning body / owner"),
        .licence: ("Giấy phép", "Licence"),
        .domains: ("Tên miền", "Domains"),
        .responsible: ("Người chịu trách nhiệm", "Person responsible"),
        .purpose: ("Tôn chỉ, mục đích", "Charter and purpose"),
        .siteAsSeen: ("Trang thể hiện", "As the site shows itself"),
        .licenceLineSeen: ("dòng giấy phép ở chân trang", "footer licence line"),
        .noLicenceLine: ("không thấy dòng giấy phép ở chân trang", "no licence line in the footer"),
        .scanTime: ("Thời điểm lập báo cáo", "Report generated at"),
        .inputs: ("Dữ liệu đầu vào", "Inputs"),
        .period: ("Khoảng thời gian của chứng cứ", "Period covered by the evidence"),
        .captured: ("thu thập", "captured"),
        .published: ("đăng", "published"),
        .notStated: ("không ghi", "not stated"),
        .summary: ("Tóm tắt theo quy định bị vi phạm", "Summary by provision"),
        .provision: ("Quy định", "Provision"),
        .findingsCol: ("Dấu hiệu", "Findings"),
        .fineOrg: ("Mức phạt (tổ chức)", "Fine (organisation)"),
        .fineInd: ("Mức phạt (cá nhân)", "Fine (individual)"),
        .additional: ("Hình thức xử phạt bổ sung", "Additional sanctions"),
        .remedial: ("Biện pháp khắc phục hậu quả", "Remedial measures"),
        .confidence: ("Độ tin cậy", "Confidence"),
        .needsChecking: ("cần đối chiếu văn bản gốc", "check against the original text"),
        .none: ("không có trong danh mục", "none in the catalog"),
        .notInCatalog: ("danh mục chưa ghi", "not recorded in the catalog"),
        .findings: ("Các dấu hiệu vi phạm", "Findings"),
        .noFindings: ("Không phát hiện dấu hiệu vi phạm.", "No findings."),
        .finding: ("Dấu hiệu", "Finding"),
        .rule: ("Quy tắc", "Rule"),
        .criterion: ("Tiêu chí", "Criterion"),
        .severity: ("Mức độ", "Severity"),
        .site: ("Trang", "Site"),
        .placement: ("Vị trí", "Placement"),
        .excerpt: ("Trích đoạn", "Excerpt"),
        .bytes: ("byte", "bytes"),
        .line: ("dòng", "line"),
        .scope: ("vùng", "scope"),
        .withoutDiacritics: ("khớp trên chữ không dấu", "matched without diacritics"),
        .moreSpans: ("trích đoạn khác không hiển thị", "more excerpts not shown"),
        .locations: ("Nơi xuất hiện", "Where it appears"),
        .page: ("Trang (URL)", "Page (URL)"),
        .evidence: ("Chứng cứ", "Evidence"),
        .capturedAt: ("Thu thập lúc (WARC-Date)", "Captured at (WARC-Date)"),
        .publishedAt: ("Ngày đăng", "Published"),
        .sha256: ("SHA-256 nội dung", "SHA-256 of payload"),
        .warcDigest: ("Kiểm tra WARC-Payload-Digest", "WARC-Payload-Digest check"),
        .citation: ("Căn cứ pháp lý", "Legal basis"),
        .citationDate: ("Ngày áp dụng", "Date applied"),
        .whyDate: ("lý do chọn ngày", "why this date"),
        .draft: ("Dự thảo nội dung vi phạm (để đưa vào biên bản vi phạm hành chính)", "Draft list of violations (for the record of an administrative violation)"),
        .draftIntro: ("Qua kiểm tra dữ liệu thu thập, phát hiện các hành vi sau:", "The captured data shows the following:"),
        .draftShownAt: ("thể hiện tại", "shown at"),
        .draftEvidence: ("chứng cứ", "evidence"),
        .draftFindings: ("dấu hiệu", "findings"),
        .draftCheck: ("Lưu ý: căn cứ có độ tin cậy chưa xác minh, cần đối chiếu văn bản gốc trước khi lập biên bản.", "Note: a citation is not verified; check it against the original text before filing."),
        .appendix: ("Phụ lục A. Danh mục chứng cứ", "Appendix A. Evidence items"),
        .evidenceItems: ("Mỗi chứng cứ là một bản ghi thu thập; băm SHA-256 tính trên nội dung trang mà các vị trí byte tham chiếu.", "Each item is one captured record; the SHA-256 covers the payload the byte offsets count in."),
        .record: ("Bản ghi", "Record"),
        .size: ("Kích thước", "Size"),
        .unchecked: ("Dữ liệu không đọc được hoặc chưa kiểm tra hết", "Items not read or not checked completely"),
        .uncheckedIntro: ("Các mục sau không được kiểm tra đầy đủ; kết quả có thể thiếu.", "These items were not checked completely; results may be missing."),
        .technical: ("Phụ lục B. Thông tin kỹ thuật để kiểm tra lại", "Appendix B. Technical details to reproduce"),
        .toolVersion: ("Phiên bản công cụ", "Tool version"),
        .rulesHash: ("Mã băm bộ quy tắc", "Rule pack hash"),
        .ruleCount: ("Số quy tắc", "Rules loaded"),
        .command: ("Lệnh chạy lại", "Command to reproduce"),
        .reportSchema: ("Lược đồ báo cáo", "Report schema"),
        .incompleteRun: ("Lần chạy chưa trọn vẹn: có dữ liệu không đọc được hoặc chưa kiểm tra hết (xem mục dưới).", "Incomplete run: some items could not be read or checked completely (see below)."),
        .pagesCount: ("trang", "pages"),
        .allPagesNote: ("cùng một nội dung lặp lại (menu, chân trang): một dấu hiệu, nhiều nơi xuất hiện", "the same text repeated (menu, footer): one finding, many locations"),
        .citationWarning: ("Cảnh báo căn cứ", "Citation warning"),
        .placementPage: ("trong bài", "on one page"),
        .placementRepeated: ("lặp lại trên nhiều trang", "repeated on many pages"),
        .placementSite: ("toàn trang (quy tắc cấp trang)", "whole site (site rule)"),
        .placementDocument: ("trong tài liệu", "in the document"),
        .reason: ("Lý do", "Reason"),
        .cspNote: ("Nội dung trích từ trang được hiển thị dưới dạng văn bản; báo cáo không chạy mã nào.", "Page content is shown as text; the report runs no code."),
        .coverage: ("Phạm vi đã đọc", "What was read"),
        .fineNote: ("ghi chú", "note"),
        .sanctions: ("Chế tài theo danh mục", "Sanctions in the catalog"),
    ]

    func dateReason(_ source: DateSource) -> String {
        switch (self, source) {
        case (.vi, .given): return "ngày do người kiểm tra chỉ định (--date)"
        case (.vi, .published): return "ngày đăng ghi trên trang"
        case (.vi, .captured): return "trang không ghi ngày đăng: lấy ngày thu thập (WARC-Date)"
        case (.vi, .scan): return "không có ngày đăng, ngày thu thập: lấy ngày quét"
        case (.en, .given): return "the date given with --date"
        case (.en, .published): return "the publication date the page states"
        case (.en, .captured): return "the page states no publication date: its capture date (WARC-Date)"
        case (.en, .scan): return "no publication or capture date: the day of the scan"
        }
    }

    func verdict(_ verdict: DigestCheck.Verdict) -> String {
        switch (self, verdict) {
        case (.vi, .ok): return "khớp"
        case (.vi, .okLegacy): return "khớp (cách tính cũ)"
        case (.vi, .mismatch): return "KHÔNG KHỚP"
        case (.vi, .absent): return "không có"
        case (.vi, .notCheckable): return "không kiểm được"
        case (.en, .ok): return "ok"
        case (.en, .okLegacy): return "ok (legacy)"
        case (.en, .mismatch): return "MISMATCH"
        case (.en, .absent): return "absent"
        case (.en, .notCheckable): return "not checkable"
        }
    }

    func severity(_ severity: Severity) -> String {
        guard self == .vi else { return severity.rawValue }
        switch severity {
        case .info: return "thông tin"
        case .low: return "thấp"
        case .medium: return "trung bình"
        case .high: return "cao"
        case .critical: return "rất cao"
        }
    }

    func placement(_ placement: String) -> String {
        switch placement {
        case "repeated": return t(.placementRepeated)
        case "site": return t(.placementSite)
        case "document": return t(.placementDocument)
        default: return t(.placementPage)
        }
    }

    /// 500000 → "500.000 đồng" / "500,000 VND".
    func money(_ amount: Int) -> String {
        let digits = String(amount)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(self == .vi ? "." : ",") }
            out.append(ch)
        }
        return self == .vi ? "\(out) đồng" : "\(out) VND"
    }
}
