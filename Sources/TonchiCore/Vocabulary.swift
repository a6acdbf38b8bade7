// The words every pipeline stage shares: kinds of publication, severities, scopes.

/// The licensed kind of a publication (loại hình). Rules state which kinds they apply to.
public enum PublicationKind: String, CaseIterable, Codable, Sendable {
    case baoDienTu = "bao-dien-tu"
    case tapChiDienTu = "tap-chi-dien-tu"
    case tapChiKhoaHoc = "tap-chi-khoa-hoc"
    case trangTTDTTongHop = "trang-ttdt-tong-hop"
    case mangXaHoi = "mang-xa-hoi"
}

public enum Severity: String, CaseIterable, Codable, Sendable, Comparable {
    case info, low, medium, high, critical

    public var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Where in a document (or a site) a selection looks.
public enum Scope: String, CaseIterable, Codable, Sendable, Hashable {
    case title, lead, byline, body, paragraph, heading, caption, menu, footer, url, domain, meta, text
    /// The source-attribution line of an article ("Theo …", "Nguồn: …", "(TTXVN)").
    case attribution
    /// The section/category the page sits in (breadcrumb, category label, URL path section).
    case section
    /// Visible texts of the page's links.
    case link
    /// Site scopes: filled from the site model (all pages of one host).
    case siteName = "site-name"
    case home
    case siteMenus = "site-menus"

    /// Accepted spellings in rule files besides the canonical raw value.
    public static func named(_ name: String) -> Scope? {
        switch name {
        case "nav": return .menu
        case "sapo": return .lead
        case "source-line", "nguon": return .attribution
        case "category", "breadcrumb": return .section
        case "links": return .link
        case "whole", "all": return .text
        default: return Scope(rawValue: name)
        }
    }

    public var isSiteScope: Bool { self == .siteName || self == .home || self == .siteMenus }
}

/// The date a citation or an `applies` range is judged by: day precision, no time zone games.
public struct Day: Comparable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month), (1...Day.daysIn(month, year)).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `YYYY-MM-DD` (ISO) or `D/M/YYYY` (Vietnamese order).
    public init?(_ text: String) {
        let iso = text.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]) {
            self.init(year: y, month: m, day: d); return
        }
        let vn = text.split(separator: "/", omittingEmptySubsequences: false)
        if vn.count == 3, let d = Int(vn[0]), let m = Int(vn[1]), let y = Int(vn[2]) {
            self.init(year: y, month: m, day: d); return
        }
        return nil
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    public var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = day
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer(); try c.encode(description)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// How an input's bytes are laid out, decided at ingest and used by the extractor.
public enum InputFormat: String, CaseIterable, Codable, Sendable {
    case plainText = "text"
    case markdown
    case html
}
