import Foundation
import TonchiCore
import TonchiEvaluate
import TonchiNormalize

/// A finding's identity across scans: the same breach on the same page (or, for a site or repeated
/// finding, the same site) has the same fingerprint in every scan, so review decisions and
/// first/last-seen dates follow it. See docs/history.md for the definition.
public struct Fingerprint: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// 64 lowercase hex digits (SHA-256 of the key).
    public let value: String

    public init(value: String) { self.value = value }

    /// The first 12 digits: what text output shows; commands accept any unique prefix of 6 or more.
    public var short: String { String(value.prefix(12)) }
    public var description: String { value }
    public static func < (a: Fingerprint, b: Fingerprint) -> Bool { a.value < b.value }

    public init(from decoder: Decoder) throws { value = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(value) }

    /// Bumped if the key's definition ever changes (stored fingerprints would then no longer match).
    public static let version = "tonchi.fp/1"

    /// The parts a fingerprint is made of, each already normalized.
    public struct Key: Hashable, Codable, Sendable {
        public let ruleID: String
        /// The site key (`Fingerprint.siteKey`).
        public let site: String
        /// The normalized page URL; empty for a site finding or a repeated finding (one per site).
        public let url: String
        public let scope: String
        /// The first evidence span's text, normalized (`Vietnamese.normalize`); empty when no span.
        public let text: String
        /// Index among findings with the same other five parts, in report order (0 for the first).
        public let occurrence: Int

        public init(ruleID: String, site: String, url: String, scope: String, text: String, occurrence: Int) {
            self.ruleID = ruleID; self.site = site; self.url = url; self.scope = scope; self.text = text; self.occurrence = occurrence
        }

        /// The five parts besides the occurrence, as one string.
        public var identity: String { [ruleID, site, url, scope, text].joined(separator: "\u{1F}") }
    }

    public static func of(key: Key) -> Fingerprint {
        Fingerprint(value: SHA256Digest.hex([version, key.identity, String(key.occurrence)].joined(separator: "\u{1E}").utf8))
    }

    /// The key of a finding: `url` nil (or a site/repeated finding) keys it on the site only.
    public static func key(finding: Finding, site: String, url: String?, occurrence: Int = 0) -> Key {
        let span = finding.spans.first
        return Key(ruleID: finding.ruleID, site: siteKey(site), url: url.map(normalizeURL) ?? "",
                   scope: span?.scope ?? "", text: normalizeText(span?.excerpt ?? ""), occurrence: occurrence)
    }

    /// The fingerprint of one finding; `url` is the page it is on, nil for a site finding or a
    /// finding repeated on many pages. `occurrence` tells apart identical findings (see `Key`).
    public static func of(finding: Finding, site: String, url: String?, occurrence: Int = 0) -> Fingerprint {
        of(key: key(finding: finding, site: site, url: url, occurrence: occurrence))
    }

    /// Matched text as compared: NFC, one tone placement, lower case, whitespace collapsed.
    public static func normalizeText(_ text: String) -> String {
        Vietnamese.normalize(text).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// A host as a site key: lower case, no trailing dot, no "www.", no default port.
    public static func siteKey(_ host: String) -> String {
        var h = host.trimmingCharacters(in: .whitespaces).lowercased()
        if let scheme = h.range(of: "://") { h = String(h[scheme.upperBound...]) }
        if let slash = h.firstIndex(of: "/") { h = String(h[..<slash]) }
        if h.hasSuffix(":80") { h.removeLast(3) } else if h.hasSuffix(":443") { h.removeLast(4) }
        while h.hasSuffix(".") { h.removeLast() }
        if h.hasPrefix("www.") { h.removeFirst(4) }
        return h
    }

    /// Query parameters that only track the visitor, dropped from URLs.
    static func isTrackingParameter(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.hasPrefix("utm_") || ["fbclid", "gclid", "dclid", "msclkid", "zarsrc", "zalo_source", "_ga", "mc_cid", "mc_eid",
                                       "igshid", "yclid", "ref_src"].contains(n)
    }

    /// A page URL as compared: "//host/path?query" — scheme dropped for http and https (a site
    /// moving to https keeps its fingerprints; other schemes are kept, lower-cased), host as in
    /// `siteKey`, default ports and the fragment dropped, path percent-decoded and NFC, empty path
    /// "/", tracking parameters dropped and the rest sorted. Something that is not a URL (a file
    /// location) is kept as it is, trimmed.
    public static func normalizeURL(_ raw: String) -> String {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]) }
        guard let schemeEnd = text.range(of: "://") else { return text }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        var rest = String(text[schemeEnd.upperBound...])
        var query: String?
        if let q = rest.firstIndex(of: "?") { query = String(rest[rest.index(after: q)...]); rest = String(rest[..<q]) }
        var authority = rest, path = "/"
        if let slash = rest.firstIndex(of: "/") { authority = String(rest[..<slash]); path = String(rest[slash...]) }
        if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
        var host = siteKey(authority)
        if scheme == "http", host.hasSuffix(":80") { host.removeLast(3) }
        path = (path.removingPercentEncoding ?? path).precomposedStringWithCanonicalMapping
        var result = (scheme == "http" || scheme == "https" ? "" : scheme + ":") + "//" + host + path
        if let query {
            let items = query.split(separator: "&", omittingEmptySubsequences: true).map(String.init)
                .filter { item in !isTrackingParameter(String(item.split(separator: "=", maxSplits: 1).first ?? "")) }
                .map { ($0.removingPercentEncoding ?? $0).precomposedStringWithCanonicalMapping }
                .sorted()
            if !items.isEmpty { result += "?" + items.joined(separator: "&") }
        }
        return result
    }

    /// Keys of findings that share a site and a page (`url`; nil for a site's repeated and site
    /// findings), identical ones numbered in order.
    public static func keys(_ findings: [Finding], site: String, url: String?) -> [Key] {
        var seen: [String: Int] = [:]
        return findings.map { finding in
            let base = key(finding: finding, site: site, url: url)
            let occurrence = seen[base.identity, default: 0]
            seen[base.identity] = occurrence + 1
            return Key(ruleID: base.ruleID, site: base.site, url: base.url, scope: base.scope, text: base.text, occurrence: occurrence)
        }
    }
}
