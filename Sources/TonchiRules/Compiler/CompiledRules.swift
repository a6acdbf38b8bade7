import TonchiCore
import TonchiMatch

/// The compiler's output: rules ready to evaluate, sharing one match database.
public struct RuleSet: Sendable {
    public let rules: [CompiledRule]
    public let lexicons: [String: Lexicon]
    public let catalog: LegalCatalog
    public let database: MatchDatabase
    public let diagnostics: [Diagnostic]
    /// SHA-256-free but stable fingerprint of the rule sources (FNV-1a 64), printed in reports.
    public let sourceHash: String

    public var documentRules: [CompiledRule] { rules.filter { !$0.isSiteRule } }
    public var siteRules: [CompiledRule] { rules.filter { $0.isSiteRule } }
    public var errors: [Diagnostic] { diagnostics.filter { $0.level == .error } }
    public func rule(_ id: String) -> CompiledRule? { rules.first { $0.id == id } }
}

public enum RuleStatus: String, Sendable, Codable, CaseIterable { case experimental, test, stable, deprecated }

public struct Citation: Sendable {
    public let id: String
    /// Limits written in the rule (`cites X from … until …`), on top of the provision's own validity.
    public let from: Day?
    public let until: Day?
    public let provision: LegalCatalog.Provision

    /// Whether this citation is the one to use for an item dated `day`.
    public func applies(on day: Day) -> Bool {
        let start = [from, provision.validFrom].compactMap { $0 }.max()
        let end = [until, provision.validTo].compactMap { $0 }.min()
        return (start.map { day >= $0 } ?? true) && (end.map { day <= $0 } ?? true)
    }
}

public struct CompiledSelection: Sendable {
    public let name: String
    public let scopes: [Scope]
    public let ignoreDiacritics: Bool
    /// Index of this selection's pattern in the rule set's match database.
    public let pattern: Int
    public let location: SourceLocation
}

public struct RuleExample: Sendable {
    public let expectHit: Bool
    /// The example text with its `[[…]]` span markers removed.
    public let text: String
    /// Byte ranges the finding must report among its spans (those the example marks).
    public let expectedSpans: [Range<Int>]
    public let location: SourceLocation
}

/// A class, not a struct: rules are shared by every document and thread, and copying a struct with
/// this many arrays costs a retain per field each time a rule is looked at.
public final class CompiledRule: Sendable {
    public let id: String
    public let isSiteRule: Bool
    public let title: String
    public let message: String
    public let severity: Severity
    public let confidence: Double
    public let status: RuleStatus
    public let criterion: String
    public let citations: [Citation]
    public let kinds: Set<PublicationKind>
    public let appliesFrom: Day?
    public let appliesUntil: Day?
    public let falsePositiveNotes: [String]
    public let selections: [CompiledSelection]
    public let when: Condition<Int>
    public let unless: Condition<Int>?
    /// Selections whose hits are shown as evidence: those the `when` condition wants present.
    public let evidence: [Int]
    public let examples: [RuleExample]
    public let location: SourceLocation

    init(id: String, isSiteRule: Bool, title: String, message: String, severity: Severity, confidence: Double,
         status: RuleStatus, criterion: String, citations: [Citation], kinds: Set<PublicationKind>, appliesFrom: Day?,
         appliesUntil: Day?, falsePositiveNotes: [String], selections: [CompiledSelection], when: Condition<Int>,
         unless: Condition<Int>?, evidence: [Int], examples: [RuleExample], location: SourceLocation) {
        self.id = id; self.isSiteRule = isSiteRule; self.title = title; self.message = message
        self.severity = severity; self.confidence = confidence; self.status = status; self.criterion = criterion
        self.citations = citations; self.kinds = kinds; self.appliesFrom = appliesFrom; self.appliesUntil = appliesUntil
        self.falsePositiveNotes = falsePositiveNotes; self.selections = selections; self.when = when
        self.unless = unless; self.evidence = evidence; self.examples = examples; self.location = location
    }

    public func applies(to kind: PublicationKind, on day: Day?) -> Bool {
        guard kinds.contains(kind) else { return false }
        guard let day else { return true }
        return (appliesFrom.map { day >= $0 } ?? true) && (appliesUntil.map { day <= $0 } ?? true)
    }

    public func citations(on day: Day) -> [Citation] { citations.filter { $0.applies(on: day) } }
}

/// A named, weighted word list shared by rules (`lexicon name "title" { "term" weight … }`).
public struct Lexicon: Sendable {
    public let name: String
    public let title: String?
    public let entries: [(term: String, weight: Double)]
    public let location: SourceLocation
}
