import TonchiCore

/// What the parser produces: rule files as written, names not yet resolved.

struct SelectionRef: Sendable, Hashable {
    let name: String
    let location: SourceLocation
}

public enum Comparison: String, Sendable, Codable, Hashable {
    case atLeast = ">=", greater = ">", atMost = "<=", less = "<", equal = "==", notEqual = "!="

    public func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .atLeast: return a >= b
        case .greater: return a > b
        case .atMost: return a <= b
        case .less: return a < b
        case .equal: return a == b
        case .notEqual: return a != b
        }
    }
}

/// A condition over selections. `Ref` is a name while parsing and an index once compiled.
public indirect enum Condition<Ref: Sendable & Hashable>: Sendable {
    case present(Ref)
    case compare(Operand<Ref>, Comparison, Operand<Ref>)
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case atLeast(Int, [Condition])
    case near(Ref, Ref, words: Int)
    case inFirst(Ref, words: Int)
    /// Site rules, inside count()/share(): the page fired this document rule.
    case fired(ruleID: String)

    func map<T>(_ f: (Ref) throws -> T) rethrows -> Condition<T> {
        switch self {
        case .present(let r): return .present(try f(r))
        case .compare(let a, let op, let b): return .compare(try a.map(f), op, try b.map(f))
        case .all(let cs): return .all(try cs.map { try $0.map(f) })
        case .any(let cs): return .any(try cs.map { try $0.map(f) })
        case .not(let c): return .not(try c.map(f))
        case .atLeast(let n, let cs): return .atLeast(n, try cs.map { try $0.map(f) })
        case .near(let a, let b, let w): return .near(try f(a), try f(b), words: w)
        case .inFirst(let a, let w): return .inFirst(try f(a), words: w)
        case .fired(let id): return .fired(ruleID: id)
        }
    }

    /// Every selection reference, with whether it counts as evidence (not under `not`).
    func references(positive: Bool = true) -> [(Ref, positive: Bool)] {
        switch self {
        case .present(let r), .inFirst(let r, _): return [(r, positive)]
        case .near(let a, let b, _): return [(a, positive), (b, positive)]
        case .compare(let a, _, let b): return a.references(positive) + b.references(positive)
        case .all(let cs), .any(let cs), .atLeast(_, let cs): return cs.flatMap { $0.references(positive: positive) }
        case .not(let c): return c.references(positive: !positive)
        case .fired: return []
        }
    }
}

public indirect enum Operand<Ref: Sendable & Hashable>: Sendable {
    case count(Ref)
    case density(Ref)
    case score(Ref)
    case number(Double)
    case words
    case pages
    case pageCount(Condition<Ref>)
    case pageShare(Condition<Ref>)

    func map<T>(_ f: (Ref) throws -> T) rethrows -> Operand<T> {
        switch self {
        case .count(let r): return .count(try f(r))
        case .density(let r): return .density(try f(r))
        case .score(let r): return .score(try f(r))
        case .number(let n): return .number(n)
        case .words: return .words
        case .pages: return .pages
        case .pageCount(let c): return .pageCount(try c.map(f))
        case .pageShare(let c): return .pageShare(try c.map(f))
        }
    }

    func references(_ positive: Bool) -> [(Ref, positive: Bool)] {
        switch self {
        case .count(let r), .density(let r), .score(let r): return [(r, positive)]
        case .pageCount(let c), .pageShare(let c): return c.references(positive: positive)
        case .number, .words, .pages: return []
        }
    }

    var isSiteOnly: Bool {
        switch self { case .pages, .pageCount, .pageShare: return true; default: return false }
    }
}

enum SelectionSource: Sendable {
    case terms([(text: String, location: SourceLocation)])
    case regex(String, location: SourceLocation)
    case lexicon(String, location: SourceLocation)
}

struct SelectionSyntax: Sendable {
    let name: String
    let location: SourceLocation
    var scopes: [(name: String, location: SourceLocation)]
    var ignoreDiacritics: Bool
    let source: SelectionSource
}

struct CitationSyntax: Sendable {
    let id: String
    let location: SourceLocation
    var from: Day?
    var until: Day?
}

struct ExampleSyntax: Sendable {
    let expectHit: Bool
    let text: String
    let location: SourceLocation
}

struct RuleSyntax: Sendable {
    var id: String
    var isSiteRule: Bool
    var location: SourceLocation
    var fields: [String: (value: String, location: SourceLocation)] = [:]
    var falsePositiveNotes: [String] = []
    var cites: [CitationSyntax] = []
    var kinds: [(name: String, location: SourceLocation)] = []
    var appliesFrom: Day?
    var appliesUntil: Day?
    var selections: [SelectionSyntax] = []
    var when: (Condition<SelectionRef>, SourceLocation)?
    var unless: (Condition<SelectionRef>, SourceLocation)?
    var examples: [ExampleSyntax] = []
}

struct LexiconSyntax: Sendable {
    let name: String
    let title: String?
    let location: SourceLocation
    var entries: [(term: String, weight: Double, location: SourceLocation)]
}

struct FileSyntax: Sendable {
    var rules: [RuleSyntax] = []
    var lexicons: [LexiconSyntax] = []
    /// Source lines, for diagnostics raised after parsing.
    var lines: [String] = []
}

// Site evaluation keys page tallies by the condition they count.
extension Condition: Hashable, Equatable where Ref: Hashable {}
extension Operand: Hashable, Equatable where Ref: Hashable {}
