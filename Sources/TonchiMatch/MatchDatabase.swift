import TonchiNormalize

/// One selection's pattern as the compiler hands it over.
public struct PatternSpec: Sendable {
    public enum Source: Sendable {
        /// Normalized term bytes with their weights (1 for plain term lists).
        case terms([(text: [UInt8], weight: Double)])
        /// A compiled regex and, when analysis found them, literals every match contains.
        case regex(PCRE2Pattern, prefilter: [[UInt8]]?)
    }
    public let source: Source
    /// Match against the diacritic-free view ("phong vien") instead of the normalized one.
    public let diacriticFree: Bool

    public init(source: Source, diacriticFree: Bool) {
        self.source = source
        self.diacriticFree = diacriticFree
    }
}

/// A match of one pattern: a byte range of the view it was found in, and its weight.
public struct Hit: Sendable, Hashable {
    public let range: Range<Int>
    public let weight: Double
    public init(range: Range<Int>, weight: Double) { self.range = range; self.weight = weight }
}

/// All patterns of a rule set, compiled once: one Aho–Corasick automaton per text view over every
/// term and every regex's required literals. Shared read-only by all scanning threads.
public final class MatchDatabase: Sendable {
    public let patterns: [PatternSpec]
    let normalized: LiteralAutomaton
    let diacriticFree: LiteralAutomaton

    /// Regex patterns, and those of them no literal can prefilter (they run on every document).
    let regexes: [Int]
    let regexesWithoutLiterals: [Int]

    public init(patterns: [PatternSpec]) {
        self.patterns = patterns
        var regexes: [Int] = [], literalFree: [Int] = []
        for (index, spec) in patterns.enumerated() {
            guard case .regex(_, let prefilter) = spec.source else { continue }
            regexes.append(index)
            if prefilter == nil { literalFree.append(index) }
        }
        self.regexes = regexes
        regexesWithoutLiterals = literalFree
        normalized = LiteralAutomaton(patterns: patterns, diacriticFree: false)
        diacriticFree = LiteralAutomaton(patterns: patterns, diacriticFree: true)
        needsDiacriticFreeView = patterns.contains { $0.diacriticFree }
    }

    /// Whether any pattern needs the diacritic-free view, so callers build it only then.
    public let needsDiacriticFreeView: Bool

    func automaton(diacriticFree flag: Bool) -> LiteralAutomaton { flag ? diacriticFree : normalized }
}

/// Who a literal belongs to: the pattern, the term weight, and whether it is a whole term
/// (word boundaries are checked) or a regex prefilter literal (marks a region to run the regex on).
struct LiteralOwner: Sendable {
    let pattern: Int
    let weight: Double
    let isTerm: Bool
    let checkStart: Bool
    let checkEnd: Bool
}

struct LiteralAutomaton: Sendable {
    let automaton: AhoCorasick
    let lengths: [Int]
    /// Owners of literal i are ownerList[ownerStarts[i]..<ownerStarts[i+1]].
    let ownerStarts: [Int]
    let ownerList: [LiteralOwner]
    var literalCount: Int { lengths.count }

    init(patterns: [PatternSpec], diacriticFree: Bool) {
        var ids: [[UInt8]: Int] = [:]
        var literals: [[UInt8]] = []
        var owners: [[LiteralOwner]] = []
        func add(_ bytes: [UInt8], _ owner: LiteralOwner) {
            guard !bytes.isEmpty else { return }
            if let id = ids[bytes] { owners[id].append(owner); return }
            ids[bytes] = literals.count
            literals.append(bytes)
            owners.append([owner])
        }
        for (index, spec) in patterns.enumerated() where spec.diacriticFree == diacriticFree {
            switch spec.source {
            case .terms(let terms):
                for term in terms {
                    let checks = term.text.withUnsafeBufferPointer { b in
                        (Vietnamese.isWordCharacter(at: 0, in: b), Vietnamese.isWordCharacter(before: b.count, in: b))
                    }
                    add(term.text, LiteralOwner(pattern: index, weight: term.weight, isTerm: true, checkStart: checks.0, checkEnd: checks.1))
                }
            case .regex(_, let prefilter):
                for literal in prefilter ?? [] {
                    add(literal, LiteralOwner(pattern: index, weight: 1, isTerm: false, checkStart: false, checkEnd: false))
                }
            }
        }
        // Normalized text keeps line breaks (for ^ and $ in regexes); a phrase wrapped over two
        // lines is still the same phrase.
        automaton = AhoCorasick(patterns: literals, equivalents: [(byte: 0x0A, standsFor: 0x20)])
        lengths = literals.map(\.count)
        var starts = [0]
        for list in owners { starts.append(starts.last! + list.count) }
        ownerStarts = starts
        ownerList = owners.flatMap { $0 }
    }
}
