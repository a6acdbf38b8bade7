import Foundation
import TonchiCore
import TonchiReport

/// Page layout and the pieces every page shares. Every text that reaches a page goes through
/// `esc` (TonchiReport's escaper: `& < > " ' \``, control characters dropped), including text the
/// app wrote itself; no page runs any script and the CSP says so.
enum Page {
    /// No script, no frames, no plugins; styles and images only from this server; forms post only here.
    static let contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    static let css = """
    *{box-sizing:border-box}
    body{font-family:"Noto Sans","DejaVu Sans",Arial,sans-serif;color:#1a1a1a;margin:0;background:#f6f6f4;line-height:1.45}
    header{background:#7a1414;color:#fff;padding:10px 24px}
    header a{color:#fff;text-decoration:none;margin-right:18px}
    header strong{margin-right:28px;font-size:1.15em}
    main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
    h1{font-size:1.5em;margin:.4em 0 .6em}h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid #ccc}
    table{border-collapse:collapse;width:100%;background:#fff;margin:.5em 0 1em}
    th,td{border:1px solid #d0d0d0;padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
    th{background:#eee}
    form.box,.box{background:#fff;border:1px solid #d0d0d0;padding:12px 16px;margin:.6em 0 1.2em}
    label{display:block;margin:.5em 0 .2em;font-weight:bold}
    input[type=text],input[type=date],select,textarea{width:100%;max-width:640px;padding:5px;font:inherit}
    textarea{min-height:8em}
    button{font:inherit;padding:5px 14px;margin-top:.6em;cursor:pointer}
    .inline{display:inline-block;margin:0 6px 0 0}.inline input[type=text]{width:14em}
    .err{background:#fde8e8;border:1px solid #a40000;color:#7a0000;padding:8px 12px;margin:.6em 0}
    .ok{background:#e6f4e8;border:1px solid #1f6b2a;padding:8px 12px;margin:.6em 0}
    .muted{color:#666}.mono{font-family:"DejaVu Sans Mono",monospace;font-size:.9em}
    .sev-critical,.sev-high{color:#a40000;font-weight:bold}.sev-medium{color:#8a4b00;font-weight:bold}
    .st-confirmed{color:#a40000;font-weight:bold}.st-false-positive{color:#1f6b2a;font-weight:bold}.st-pending{color:#666}
    .finding{background:#fff;border:1px solid #d0d0d0;padding:8px 12px;margin:.6em 0}
    .excerpt{background:#fafafa;border-left:3px solid #333;padding:4px 8px;white-space:pre-wrap;overflow-wrap:anywhere}
    mark{background:#ffe27a;font-weight:bold}
    progress{width:100%;max-width:640px;height:1.2em}
    nav.dl a{margin-right:14px}
    """

    static func layout(title: String, body: String, refreshSeconds: Int? = nil) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<meta name=\"referrer\" content=\"no-referrer\">\n"
        if let refreshSeconds { h += "<meta http-equiv=\"refresh\" content=\"\(refreshSeconds)\">\n" }
        h += "<title>\(esc(title)) — tonchi</title>\n<link rel=\"stylesheet\" href=\"/assets/app.css\">\n</head>\n<body>\n"
        h += "<header><strong>tonchi</strong><a href=\"/\">Quét trang</a><a href=\"/charters/new\">Tạo tôn chỉ</a>"
        h += "<a href=\"/check\">Kiểm tra nhanh</a><a href=\"/review-list\">Danh sách rà soát</a></header>\n"
        h += "<main>\n<h1>\(esc(title))</h1>\n\(body)\n</main>\n</body>\n</html>\n"
        return h
    }

    static func csrfField(_ token: String) -> String {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(esc(token))\">"
    }

    static func error(_ message: String) -> String { "<div class=\"err\">\(esc(message))</div>" }

    static func severity(_ s: Severity) -> String {
        let label: String
        switch s {
        case .critical: label = "nghiêm trọng"
        case .high: label = "cao"
        case .medium: label = "trung bình"
        case .low: label = "thấp"
        case .info: label = "thông tin"
        }
        return "<span class=\"sev-\(s.rawValue)\">\(esc(label))</span>"
    }

    static func kindLabel(_ k: PublicationKind) -> String {
        switch k {
        case .baoDienTu: return "Báo điện tử"
        case .tapChiDienTu: return "Tạp chí điện tử"
        case .tapChiKhoaHoc: return "Tạp chí khoa học"
        case .trangTTDTTongHop: return "Trang thông tin điện tử tổng hợp"
        case .mangXaHoi: return "Mạng xã hội"
        }
    }

    static func kindOptions(selected: String?, allowNone: Bool) -> String {
        var h = allowNone ? "<option value=\"\">— theo tôn chỉ —</option>" : ""
        for k in PublicationKind.allCases {
            h += "<option value=\"\(esc(k.rawValue))\"\(selected == k.rawValue ? " selected" : "")>\(esc(kindLabel(k)))</option>"
        }
        return h
    }

    /// An excerpt with the matched text marked, all of it escaped.
    static func excerpt(before: String, match: String, after: String) -> String {
        "<div class=\"excerpt\">…\(esc(before))<mark>\(esc(match))</mark>\(esc(after))…</div>"
    }
}

/// `application/x-www-form-urlencoded` bodies and query strings.
enum URLForm {
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}

/// Random identifiers for jobs and sessions.
enum Token {
    static func hex(bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// Constant-time comparison of two tokens.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
