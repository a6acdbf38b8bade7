#if canImport(Glibc)
import Glibc
#endif
import TonchiCore
import TonchiExtract

// Inline suppressions: an author's way to say "this rule does not apply here, because …".
//
//   <!-- tonchi-disable RULE[, RULE…]: lý do -->   (HTML, Markdown, plain text)
//   … covered text …
//   <!-- tonchi-enable -->                          (closes every open region; `tonchi-enable RULE` closes that rule's)
//
// In Markdown and plain text a line holding only `tonchi-disable RULE: lý do` / `tonchi-enable`
// works too. A region runs from the end of its disable directive to the start of the enable
// directive that closes it, or to the end of the document. A rule id may end in `*` (`tts.*`).
// The reason is required: a directive without one is reported and not applied.
// See docs/pre-publication.md.

/// One suppression region, in original source bytes.
public struct Suppression: Sendable, Codable, Equatable {
    /// Rule ids or prefixes ending in `*`, as written.
    public let rules: [String]
    public let reason: String
    /// Covered source bytes: from the end of the disable directive…
    public let start: Int
    /// …to the start of the closing enable directive, or the end of the document.
    public let end: Int
    /// 1-based line of the disable directive.
    public let line: Int
    /// False when no enable directive closes it (it runs to the end of the document).
    public let closed: Bool

    public init(rules: [String], reason: String, start: Int, end: Int, line: Int, closed: Bool) {
        self.rules = rules; self.reason = reason; self.start = start; self.end = end; self.line = line; self.closed = closed
    }

    public func matches(_ ruleID: String) -> Bool {
        rules.contains { Self.pattern($0, matches: ruleID) }
    }

    public func covers(_ span: Span) -> Bool { start <= span.start && span.end <= end }

    static func pattern(_ pattern: String, matches id: String) -> Bool {
        if pattern == "*" { return true }
        if pattern.hasSuffix("*") { return id.hasPrefix(pattern.dropLast()) }
        return pattern == id
    }
}

/// A directive that is wrong or names nothing known.
public struct SuppressionProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case unknownRule = "unknown-rule"
        case missingReason = "missing-reason"
        case missingRule = "missing-rule"
        case unmatchedEnable = "unmatched-enable"
    }
    public let kind: Kind
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// A finding an inline suppression hid in pre-publication mode, with the author's reason.
public struct SuppressedFinding: Sendable, Codable {
    public let finding: Finding
    public let reason: String
    /// Line of the disable directive.
    public let line: Int
    public init(finding: Finding, reason: String, line: Int) { self.finding = finding; self.reason = reason; self.line = line }
}

/// The suppressions of one document and what is wrong with its directives.
public struct Suppressions: Sendable {
    public let items: [Suppression]
    public let problems: [SuppressionProblem]

    public init(items: [Suppression], problems: [SuppressionProblem]) { self.items = items; self.problems = problems }

    /// Reads the directives of a source. `knownRules`, when given, reports rule ids that name no
    /// rule (an error under `--strict`); a prefix pattern must match at least one known id.
    public static func parse(_ source: [UInt8], format: InputFormat, knownRules: Set<String>? = nil) -> Suppressions {
        var directives = commentDirectives(source)
        if format != .html { directives += lineDirectives(source) }
        directives.sort { $0.start < $1.start }
        var problems: [SuppressionProblem] = []
        var open: [(rules: [String], reason: String, start: Int, line: Int)] = []
        var items: [Suppression] = []
        for directive in directives {
            let line = 1 + source[0..<directive.start].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if directive.disable {
                guard !directive.rules.isEmpty else {
                    problems.append(.init(kind: .missingRule, line: line, message: "tonchi-disable names no rule id"))
                    continue
                }
                guard let reason = directive.reason, !reason.isEmpty else {
                    problems.append(.init(kind: .missingReason, line: line,
                                          message: "tonchi-disable \(directive.rules.joined(separator: ", ")) gives no reason ('tonchi-disable RULE: lý do'); not applied"))
                    continue
                }
                if let knownRules {
                    for rule in directive.rules where !knownRules.contains(where: { Suppression.pattern(rule, matches: $0) }) {
                        problems.append(.init(kind: .unknownRule, line: line, message: "tonchi-disable names unknown rule '\(rule)'"))
                    }
                }
                open.append((directive.rules, reason, directive.end, line))
            } else {
                let closing = directive.rules.isEmpty ? Array(open.indices)
                                                      : open.indices.filter { !Set(open[$0].rules).isDisjoint(with: directive.rules) }
                if closing.isEmpty {
                    problems.append(.init(kind: .unmatchedEnable, line: line, message: "tonchi-enable without an open tonchi-disable"))
                }
                for i in closing {
                    items.append(Suppression(rules: open[i].rules, reason: open[i].reason, start: open[i].start,
                                             end: directive.start, line: open[i].line, closed: true))
                }
                for i in closing.reversed() { open.remove(at: i) }
            }
        }
        for region in open {
            items.append(Suppression(rules: region.rules, reason: region.reason, start: region.start,
                                     end: source.count, line: region.line, closed: false))
        }
        items.sort { ($0.start, $0.line) < ($1.start, $1.line) }
        return Suppressions(items: items, problems: problems)
    }

    /// The suppression that hides a finding, if any. A finding is suppressed when a region naming
    /// its rule holds all its evidence. Evidence the finding does not list (no spans, or more spans
    /// than it keeps) could be anywhere: then only a region covering the whole text suppresses it.
    public func suppression(for finding: Finding, textStart: Int) -> Suppression? {
        items.first { s in
            guard s.matches(finding.ruleID), finding.spans.allSatisfy(s.covers) else { return false }
            if finding.spans.isEmpty || finding.totalSpans > finding.spans.count {
                return !s.closed && s.start <= textStart
            }
            return true
        }
    }

    /// Pre-publication mode: suppressed findings move from `findings` to `suppressed`.
    public func apply(to result: DocumentResult, textStart: Int) -> DocumentResult {
        guard !items.isEmpty || !problems.isEmpty else { return result }
        var kept: [Finding] = [], hidden: [SuppressedFinding] = []
        for finding in result.findings {
            if let s = suppression(for: finding, textStart: textStart) {
                hidden.append(SuppressedFinding(finding: finding, reason: s.reason, line: s.line))
            } else {
                kept.append(finding)
            }
        }
        var out = result.replacing(findings: kept)
        if !hidden.isEmpty { out.suppressed = (result.suppressed ?? []) + hidden }
        if !problems.isEmpty { out.suppressionProblems = (result.suppressionProblems ?? []) + problems }
        return out
    }

    /// An inspector's scan: the page owner controls suppressions, so findings are kept and every
    /// suppression that would have hidden one is reported as ignored (a note on the page).
    public func ignore(in result: DocumentResult, textStart: Int) -> DocumentResult {
        var notes: [String] = []
        for finding in result.findings {
            guard let s = suppression(for: finding, textStart: textStart) else { continue }
            notes.append("suppression ignored: tonchi-disable \(s.rules.joined(separator: ", ")) (line \(s.line), lý do: «\(s.reason)») "
                         + "would hide \(finding.ruleID); an inspector's scan keeps the finding")
        }
        guard !notes.isEmpty else { return result }
        return result.replacing(notes: result.notes + notes)
    }

    /// Where the extracted text starts in the source: a region opened before it covers the whole text.
    public static func textStart(of document: ExtractedDocument) -> Int {
        document.text.isEmpty ? 0 : document.map.sourceRange(of: 0..<1).lowerBound
    }

    // MARK: - Directives

    struct Directive {
        var disable: Bool
        var rules: [String]
        var reason: String?
        /// The directive's own bytes (the whole comment, or the whole line).
        var start: Int
        var end: Int
    }

    /// `<!-- tonchi-disable … -->` and `<!-- tonchi-enable … -->`, in any format.
    static func commentDirectives(_ s: [UInt8]) -> [Directive] {
        var out: [Directive] = []
        var i = 0
        let open: [UInt8] = Array("<!--".utf8), close: [UInt8] = Array("-->".utf8)
        while let o = find(open, in: s, from: i) {
            guard let c = find(close, in: s, from: o + 4) else { break }
            if var d = directive(s[(o + 4)..<c]) {
                d.start = o; d.end = c + 3
                out.append(d)
            }
            i = c + 3
        }
        return out
    }

    /// Lines that hold only a directive (Markdown, plain text).
    static func lineDirectives(_ s: [UInt8]) -> [Directive] {
        var out: [Directive] = []
        var lineStart = 0
        while lineStart <= s.count {
            var lineEnd = lineStart
            while lineEnd < s.count, s[lineEnd] != 0x0A { lineEnd += 1 }
            var a = lineStart
            if a == 0, s.starts(with: [0xEF, 0xBB, 0xBF]) { a = min(3, lineEnd) }
            while a < lineEnd, s[a] == 0x20 || s[a] == 0x09 || s[a] == 0x0D { a += 1 }
            if s[a..<lineEnd].starts(with: Array("tonchi-".utf8)), var d = directive(s[a..<lineEnd]) {
                d.start = lineStart; d.end = min(lineEnd + 1, s.count)
                out.append(d)
            }
            lineStart = lineEnd + 1
        }
        return out
    }

    static func directive(_ bytes: ArraySlice<UInt8>) -> Directive? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        let disable: Bool
        var rest: Substring
        if text.hasPrefix("tonchi-disable") { disable = true; rest = text.dropFirst("tonchi-disable".count) }
        else if text.hasPrefix("tonchi-enable") { disable = false; rest = text.dropFirst("tonchi-enable".count) }
        else { return nil }
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" || rest.first == ":" else { return nil }
        var reason: String?
        if let colon = rest.firstIndex(of: ":") {
            reason = String(rest[rest.index(after: colon)...]).trimmingWhitespace()
            rest = rest[..<colon]
        }
        let rules = rest.split { $0 == " " || $0 == "," || $0 == "\t" }.map(String.init)
        return Directive(disable: disable, rules: rules, reason: reason, start: 0, end: 0)
    }

    /// memchr to each candidate first byte, then memcmp: every scanned page is searched for
    /// directives, and most hold none.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, from >= 0, from + needle.count <= haystack.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                let base = hay.baseAddress!, last = hay.count - pin.count
                var i = from
                while i <= last, let hit = memchr(base + i, Int32(pin[0]), last - i + 1) {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, pin.baseAddress!, pin.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
