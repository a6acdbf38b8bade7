import TonchiCore

/// What a fired rule reports: enough for an editor to fix the text and an inspector to file it.
public struct Finding: Sendable, Codable {
    public let ruleID: String
    public let title: String
    public let message: String
    public let severity: Severity
    /// The rule's confidence, lowered when the evidence came from the diacritic-free view.
    public let confidence: Double
    public let criterion: String
    public let citations: [CitedProvision]
    /// The date the citations were chosen for, and where it came from.
    public let citationDate: Day
    public let citationDateSource: DateSource
    /// Set when no cited provision is in force on that date (all are listed, flagged).
    public let citationWarning: String?
    public let spans: [Span]
    /// Evidence spans found in all; `spans` keeps the first few.
    public let totalSpans: Int
    /// For site rules: the pages the aggregate counted; for a finding repeated in a menu or
    /// footer: every page it appears on.
    public let pages: [String]

    /// The same finding, located on these pages.
    public func onPages(_ pages: [String]) -> Finding {
        Finding(ruleID: ruleID, title: title, message: message, severity: severity, confidence: confidence,
                criterion: criterion, citations: citations, citationDate: citationDate,
                citationDateSource: citationDateSource, citationWarning: citationWarning, spans: spans,
                totalSpans: totalSpans, pages: pages)
    }
}

public enum DateSource: String, Sendable, Codable {
    case given       // --date on the command line
    case published   // the page's own publication date
    case captured    // no publication date: when the page was captured (WARC-Date)
    case scan        // none known: the day of the scan
}

public struct CitedProvision: Sendable, Codable {
    public let id: String
    public let instrument: String
    public let behaviour: String
    public let confidence: String
    /// True when the catalog marks the provision likely/unsure: outputs must say "cần đối chiếu văn bản gốc".
    public let needsChecking: Bool
}

/// One piece of evidence, located in the original bytes.
public struct Span: Sendable, Codable, Equatable {
    public let start: Int
    public let end: Int
    public let line: Int
    public let column: Int
    public let excerpt: String
    public let before: String
    public let after: String
    public let scope: String
    public let selection: String
    public let diacriticFree: Bool
}

/// A rule that could not be evaluated completely on an item (a regex hit its limits).
public struct Incomplete: Sendable, Codable {
    public let ruleID: String
    public let reason: String
}

public struct DocumentResult: Sendable, Codable {
    public let name: String
    public let findings: [Finding]
    public let incomplete: [Incomplete]
    public let notes: [String]
    /// Pre-publication mode: findings an inline suppression hid, with its reason (Suppressions.swift).
    public var suppressed: [SuppressedFinding]? = nil
    /// Directives that are wrong or name unknown rules.
    public var suppressionProblems: [SuppressionProblem]? = nil
    /// Findings an allowlist entry covers, listed apart from `findings` (Allowlist.swift).
    public var allowlisted: [AllowlistedFinding]? = nil
    /// Expired allowlist entries that would have covered a finding: reported, not applied.
    public var expiredAllowlist: [AllowlistEntry]? = nil
}

/// What a check runs with besides the text.
public struct CheckContext: Sendable {
    public var kind: PublicationKind
    public var date: Day?
    /// When the item was captured (a dump's WARC-Date), the fallback for an undated page.
    public var captureDate: Day?
    public var scanDate: Day

    public init(kind: PublicationKind, date: Day? = nil, captureDate: Day? = nil, scanDate: Day) {
        self.kind = kind; self.date = date; self.captureDate = captureDate; self.scanDate = scanDate
    }

    /// The date for what has no publication date of its own: `--date`, else the capture date,
    /// else the scan date.
    public var undatedDay: (day: Day, source: DateSource) {
        if let date { return (date, .given) }
        if let captureDate { return (captureDate, .captured) }
        return (scanDate, .scan)
    }
}

extension DocumentResult {
    /// The same result with other findings or notes; suppressions and allowlist matches carry over.
    public func replacing(findings: [Finding]? = nil, notes: [String]? = nil) -> DocumentResult {
        var out = DocumentResult(name: name, findings: findings ?? self.findings, incomplete: incomplete, notes: notes ?? self.notes)
        out.suppressed = suppressed
        out.suppressionProblems = suppressionProblems
        out.allowlisted = allowlisted
        out.expiredAllowlist = expiredAllowlist
        return out
    }
}
