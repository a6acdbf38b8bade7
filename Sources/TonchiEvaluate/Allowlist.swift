import TonchiCore

// A site's allowlist: decisions an inspector or an editor-in-chief made about a rule on some pages
// ("this page is a licensed interview"), kept outside the pages and outside the rules, so a rule
// update does not lose them. Entries name a rule id (or a prefix ending in `*`) and a URL pattern;
// they expire. Loaded from YAML by TonchiCharter's `AllowlistFile`; see docs/pre-publication.md.

/// How an entry's `url` is matched against a page's URL (or a draft's file name).
public enum URLPattern: Sendable, CustomStringConvertible {
    /// `*` matches any run of characters (slashes included), `?` one character; the whole URL must match.
    case glob(String)
    /// `re:…` in the file: a regular expression that must match the whole URL.
    case regex(String, CompiledRegex)

    /// A compiled expression; matching does not mutate it, so it is shared across threads.
    public final class CompiledRegex: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
        init(_ source: String) throws { regex = try Regex(source) }
    }

    /// Fails on an invalid regular expression.
    public init(_ text: String) throws {
        if text.hasPrefix("re:") {
            let source = String(text.dropFirst(3))
            self = .regex(source, try CompiledRegex(source))
        } else {
            self = .glob(text)
        }
    }

    public func matches(_ url: String) -> Bool {
        switch self {
        case .glob(let pattern): return Self.glob(Array(pattern.unicodeScalars), Array(url.unicodeScalars))
        case .regex(_, let compiled): return (try? compiled.regex.wholeMatch(in: url)) != nil
        }
    }

    public var description: String {
        switch self {
        case .glob(let pattern): return pattern
        case .regex(let source, _): return "re:" + source
        }
    }

    /// Iterative glob match with backtracking to the last `*`.
    static func glob(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var pi = 0, si = 0, star = -1, mark = 0
        while si < s.count {
            if pi < p.count, p[pi] == "?" || p[pi] == s[si] { pi += 1; si += 1 }
            else if pi < p.count, p[pi] == "*" { star = pi; mark = si; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; si = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}

public struct AllowlistEntry: Sendable, Codable {
    public let rule: String
    public let url: String
    public let reason: String
    public let author: String
    /// The last day the entry applies.
    public let expires: Day
    /// Where it is written (file:line), for reports.
    public let origin: String

    public init(rule: String, url: String, reason: String, author: String, expires: Day, origin: String) {
        self.rule = rule; self.url = url; self.reason = reason; self.author = author; self.expires = expires; self.origin = origin
    }
}

/// A finding an allowlist entry covers: listed apart, never dropped.
public struct AllowlistedFinding: Sendable, Codable {
    public let finding: Finding
    public let entry: AllowlistEntry
}

public struct Allowlist: Sendable {
    public struct Compiled: Sendable {
        public let entry: AllowlistEntry
        public let pattern: URLPattern
        public init(entry: AllowlistEntry, pattern: URLPattern) { self.entry = entry; self.pattern = pattern }
    }
    public let entries: [Compiled]

    public init(entries: [Compiled]) { self.entries = entries }

    /// Entries whose rule pattern matches none of `known` (a rule renamed or removed): kept, reported.
    public func unknownRules(_ known: Set<String>) -> [AllowlistEntry] {
        entries.map(\.entry).filter { entry in !known.contains { Suppression.pattern(entry.rule, matches: $0) } }
    }

    public func expired(on day: Day) -> [AllowlistEntry] { entries.map(\.entry).filter { $0.expires < day } }

    /// Moves findings that a live entry covers to `allowlisted`; an expired entry that would have
    /// covered one is listed in `expiredAllowlist` and the finding stays.
    public func apply(to result: DocumentResult, url: String, today: Day) -> DocumentResult {
        guard !entries.isEmpty else { return result }
        var kept: [Finding] = [], listed: [AllowlistedFinding] = [], expired: [AllowlistEntry] = []
        for finding in result.findings {
            let matching = entries.filter { Suppression.pattern($0.entry.rule, matches: finding.ruleID) && $0.pattern.matches(url) }
            if let live = matching.first(where: { $0.entry.expires >= today }) {
                listed.append(AllowlistedFinding(finding: finding, entry: live.entry))
            } else {
                kept.append(finding)
                for entry in matching.map(\.entry) where !expired.contains(where: { $0.origin == entry.origin }) { expired.append(entry) }
            }
        }
        var out = result.replacing(findings: kept)
        if !listed.isEmpty { out.allowlisted = (result.allowlisted ?? []) + listed }
        if !expired.isEmpty { out.expiredAllowlist = (result.expiredAllowlist ?? []) + expired }
        return out
    }
}
