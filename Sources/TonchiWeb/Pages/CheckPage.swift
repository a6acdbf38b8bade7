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

/// The paste-an-article quick check.
extension WebApp {
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
        var offCharter: OffCharterCheck?
        if let charter = entry?.charter, !charter.topics.isEmpty, let classifier {
            offCharter = try? OffCharterCheck(classifier: classifier, allowedTopics: charter.topics, catalog: ruleSet.catalog)
        }
        let checker = DocumentCheck(ruleSet: ruleSet, offCharter: offCharter)
        let findings: [Finding] = try await Self.offloaded {
            let bytes = Array(text.utf8)
            // A pre-publication check: the author's inline suppressions are honoured, as in `tonchi check`.
            return checker.draft(bytes, format: format, name: "bài viết", url: nil,
                                 context: CheckContext(kind: kind, date: nil, scanDate: Day.today),
                                 suppressions: Suppressions.parse(bytes, format: format, knownRules: DocumentCheck.knownRuleIDs(checker.ruleSet)))
                .result.findings
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
}
