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

/// The charter form: create a charter inspectors can then pick.
extension WebApp {
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
        let topics = classifier?.topics ?? []
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
        let problems = charters.create(form: form, classifier: classifier, catalog: ruleSet.catalog)
        if !problems.isEmpty { return charterForm(request, form: form, problems: problems, status: .badRequest) }
        return redirect("/?charter=created")
    }
}
