import Foundation
import TonchiCore
import TonchiExtract
import TonchiMatch

/// What a site says about itself, derived from all its pages: the facts an inspector compares
/// with the licence (name, domains, menu sections, footer, licence line, owner, responsible person).
public struct SiteFacts: Sendable, Codable {
    public let host: String
    public let name: String?
    public let domains: [String]
    public let homePage: String?
    public let pages: Int
    /// Menu items found on at least half of the pages (each counted once per site).
    public let menuSections: [String]
    /// The footer text most pages share.
    public let footer: String?
    public let licence: LicenceLine?
    public let owner: String?
    public let responsible: String?
}

/// The licence line of a footer ("Giấy phép số 25/GP-TTĐT do Bộ TTTT cấp ngày …"), parsed.
public struct LicenceLine: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case informationSite = "gp-ttdt"      // trang thông tin điện tử tổng hợp
        case socialNetwork = "mang-xa-hoi"
        case press = "bao-chi"                 // giấy phép hoạt động báo chí
        case unknown
    }
    public let text: String
    public let number: String?
    public let date: Day?
    public let issuer: String?
    public let kind: Kind

    private static let numberPattern = try! PCRE2Pattern(#"\d{1,5}\s*/?\s*(?:gp|gxn)(?:\s*[-–/]\s*[\p{L}]{2,10})?"#)
    private static let datePattern = try! PCRE2Pattern(#"ngày\s*\K\d{1,2}\s*(?:[-./]|tháng)\s*\d{1,2}\s*(?:[-./]|năm)\s*\d{4}"#)
    private static let issuerPattern = try! PCRE2Pattern(#"(?:do|của|,)\s+\K(?:bộ|cục|sở)\s[^.,;\n]{2,80}"#)

    /// Finds and parses the licence line in a footer; nil when the footer names no licence.
    public static func parse(footer: String) -> LicenceLine? {
        let lines = footer.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isNewline).map(String.init)
        guard let line = lines.first(where: { $0.lowercased().contains("giấy phép") || $0.lowercased().contains("giay phep") }) else {
            return nil
        }
        let text = line.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let number = first(numberPattern, in: text)?.split(whereSeparator: \.isWhitespace).joined()
        let date = first(datePattern, in: text).flatMap(day(from:))
        let issuer = first(issuerPattern, in: text)?.trimmingCharacters(in: .whitespaces)
        let lower = text.lowercased()
        let kind: Kind
        if lower.contains("ttđt") || lower.contains("ttdt") { kind = lower.contains("mxh") ? .socialNetwork : .informationSite }
        else if lower.contains("mxh") || lower.contains("mạng xã hội") { kind = .socialNetwork }
        else if number != nil { kind = .press }
        else { kind = .unknown }
        return LicenceLine(text: text, number: number, date: date, issuer: issuer, kind: kind)
    }

    static func first(_ pattern: PCRE2Pattern, in text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let range = pattern.matches(in: bytes).ranges.first else { return nil }
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// "15-07-2008", "25.9.2003", "9 tháng 10 năm 2012" → a day.
    static func day(from text: String) -> Day? {
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        return Day(year: numbers[2], month: numbers[1], day: numbers[0])
    }
}

/// Builds a site's facts page by page, keeping only counts (bounded) and the home page.
public final class SiteFactsBuilder {
    public let host: String
    private var pages = 0
    private var domains = Set<String>()
    private var names: [String: Int] = [:]
    private var menuItems: [TextKey: Int] = [:]
    private var footers: [TextKey: Int] = [:]
    private var homeURL: String?
    private var homeRank = Int.max
    /// The home page's extracted document: the base of the site scopes.
    public private(set) var home: ExtractedDocument?
    private let distinctCap = 5000

    public init(host: String) { self.host = host }

    /// What one page contributes, computed without touching the builder so that parallel
    /// workers do the string work outside the aggregation lock.
    public struct Page: Sendable {
        let url: String?
        let host: String?
        let name: String?
        let menuItems: Set<TextKey>
        let footer: TextKey
        let extracted: ExtractedDocument
    }

    public static func page(url: String?, extracted: ExtractedDocument) -> Page {
        // A menu repeated on every page counts once per page, so shares read as "on N% of pages".
        var items = Set<TextKey>()
        for range in extracted.scopes[.menu] ?? [] where range.count <= 240 {
            let item = clean(extracted.text[range])
            if !item.bytes.isEmpty, item.scalarCount <= 60 { items.insert(item) }
        }
        // Lines kept apart: the licence line is found line by line.
        let footerLines = (extracted.scopes[.footer] ?? []).flatMap { extracted.text[$0].split(separator: 0x0A) }
            .map(clean).filter { !$0.bytes.isEmpty }
        let footer = TextKey(bytes: Array(footerLines.map(\.bytes).joined(separator: [0x0A])))
        return Page(url: url, host: url.flatMap(URLParts.host(of:)), name: extracted.metadata["site_name"] ?? extracted.metadata["title"],
                    menuItems: items, footer: footer, extracted: extracted)
    }

    public func add(_ page: Page) {
        pages += 1
        if let host = page.host { domains.insert(host) }
        if let name = page.name { bump(&names, name) }
        for item in page.menuItems { bump(&menuItems, item) }
        if !page.footer.bytes.isEmpty { bump(&footers, page.footer) }
        // Pages arrive in any order from parallel workers: ties go to the smaller URL, so the
        // same dump always gives the same home page.
        let rank = URLParts.homeRank(page.url)
        if rank < homeRank || (rank == homeRank && (page.url ?? "") < (homeURL ?? "")) {
            homeRank = rank
            homeURL = page.url
            home = page.extracted
        }
    }

    public func facts() -> SiteFacts {
        let footer = footers.max { ($0.value, $1.key.string) < ($1.value, $0.key.string) }?.key.string
        let owner = footer.flatMap { LicenceLine.first(Self.ownerPattern, in: $0.precomposedStringWithCanonicalMapping) }
        let responsible = footer.flatMap { LicenceLine.first(Self.responsiblePattern, in: $0.precomposedStringWithCanonicalMapping) }
        let sections = menuItems.filter { $0.value * 2 >= pages }.map { (item: $0.key.string, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.item < $1.item }.map(\.item)
        return SiteFacts(
            host: host, name: names.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key, domains: domains.sorted(),
            homePage: homeURL, pages: pages, menuSections: sections, footer: footer,
            licence: footer.flatMap(LicenceLine.parse(footer:)),
            owner: owner?.trimmingCharacters(in: .whitespaces), responsible: responsible?.trimmingCharacters(in: .whitespaces))
    }

    private static let ownerPattern = try! PCRE2Pattern(#"(?:cơ quan|đơn vị)\s+chủ quản\s*:?\s*\K[^.;|\n]{2,100}"#)
    private static let responsiblePattern = try! PCRE2Pattern(#"(?:chịu trách nhiệm(?: nội dung| xuất bản)?|tổng biên tập)\s*:\s*\K[^.;|\n,]{2,80}"#)

    private func bump<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key) {
        if counts[key] != nil || counts.count < distinctCap { counts[key, default: 0] += 1 }
    }

    /// Text with runs of spaces (ASCII whitespace and no-break spaces) made one space and trimmed;
    /// on bytes, since it runs for every menu item of every page.
    static func clean(_ bytes: ArraySlice<UInt8>) -> TextKey {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            let isSpace = b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C
            let isNoBreak = b == 0xC2 && i + 1 < bytes.endIndex && bytes[i + 1] == 0xA0
            if isSpace || isNoBreak {
                pendingSpace = !out.isEmpty
                i += isNoBreak ? 2 : 1
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(b)
            i += 1
        }
        return TextKey(bytes: out)
    }
}

/// Cleaned UTF-8 text as a dictionary key. Menu items and footers are counted on every page:
/// hashing their bytes avoids the Unicode normalization String hashing does.
struct TextKey: Hashable, Sendable {
    let bytes: [UInt8]
    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    var string: String { String(decoding: bytes, as: UTF8.self) }
    /// Unicode scalars: UTF-8 bytes that do not continue a sequence.
    var scalarCount: Int { bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
}

/// Small URL helpers: dumps hold URLs as text, sometimes with spaces or without a scheme.
public enum URLParts {
    public static func host(of url: String) -> String? {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.split(separator: "@").last.map(String.init) ?? ""
        let bare = host.split(separator: ":").first.map { $0.lowercased() } ?? ""
        return bare.isEmpty ? nil : bare
    }

    /// The site a page belongs to: its host without "www.".
    public static func site(of url: String?) -> String {
        guard let url, let host = host(of: url) else { return "(no host)" }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    public static func path(of url: String) -> String {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...].prefix { $0 != "?" && $0 != "#" })
    }

    /// Lower is more likely the home page: "/" and index files first, then shorter paths.
    static func homeRank(_ url: String?) -> Int {
        guard let url else { return Int.max - 1 }
        let path = path(of: url).lowercased()
        if ["/", "", "/index.html", "/index.htm", "/index.php", "/default.aspx", "/home"].contains(path) { return 0 }
        return 1 + path.count
    }
}
