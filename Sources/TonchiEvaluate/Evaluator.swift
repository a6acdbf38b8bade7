import TonchiCore
import TonchiMatch
import TonchiRules

/// Evaluates the document rules of a rule set on prepared documents. Conditions are evaluated
/// lazily: a selection is matched (and its regex run) only when a condition needs it.
public struct Evaluator: Sendable {
    public let ruleSet: RuleSet
    /// How many evidence spans a finding keeps (the total is still counted).
    public static let defaultSpanLimit = 20
    public var spanLimit = defaultSpanLimit
    private let rules: [CompiledRule]
    /// For each pattern of the database, the document rule it belongs to (site rules: nil).
    private let ruleOfPattern: [Int?]
    /// Rules whose condition can hold with no hit at all (`not $x`, `score($a) < 3`): always evaluated.
    private let alwaysRun: [Int]
    /// Per rule, groups of patterns: the rule can fire only if every group has a pattern with a
    /// candidate in the text (`$a and $b` needs both), so most rules are skipped before evaluation.
    private let requiredGroups: [[[Int]]]

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        rules = ruleSet.documentRules.filter { $0.status != .deprecated }
        var owner = [Int?](repeating: nil, count: ruleSet.database.patterns.count)
        var always: [Int] = []
        var groups: [[[Int]]] = []
        for (index, rule) in rules.enumerated() {
            for selection in rule.selections { owner[selection.pattern] = index }
            let required = rule.when.requiredSelections
            if required.isEmpty { always.append(index) }
            groups.append(required.map { $0.map { rule.selections[$0].pattern } })
        }
        ruleOfPattern = owner
        alwaysRun = always
        requiredGroups = groups
    }

    /// Runs every applicable document rule, or only those named in `only`.
    public func evaluate(_ document: PreparedDocument, context: CheckContext, only: Set<String>? = nil) -> DocumentResult {
        let (day, source) = Self.citationDay(document, context)
        var findings: [Finding] = []
        var incomplete: [Incomplete] = []
        // Only rules that can fire are evaluated: those with a literal hit (or a regex without
        // literals), plus the few whose condition holds without any hit. With 1,000 rules this
        // keeps the cost proportional to what the text contains, not to the rule count.
        let patterns = document.scan.patternsWithCandidates()
        var seen = [Bool](repeating: false, count: ruleOfPattern.count)
        for pattern in patterns { seen[pattern] = true }
        var candidates = alwaysRun
        for pattern in patterns {
            guard let rule = ruleOfPattern[pattern], candidates.last != rule else { continue }
            if requiredGroups[rule].allSatisfy({ $0.contains { seen[$0] } }) { candidates.append(rule) }
        }
        candidates.sort()
        for (position, index) in candidates.enumerated() where position == 0 || candidates[position - 1] != index {
            let rule = rules[index]
            guard rule.applies(to: context.kind, on: day) else { continue }
            if let only, !only.contains(rule.id) { continue }
            var state = RuleState(rule: rule, document: document)
            if state.holds(rule.when) && !(rule.unless.map { state.holds($0) } ?? false) {
                findings.append(state.finding(day: day, source: source, spanLimit: spanLimit))
            }
            if let reason = state.incomplete { incomplete.append(Incomplete(ruleID: rule.id, reason: reason)) }
        }
        return DocumentResult(name: document.name, findings: findings, incomplete: incomplete, notes: document.extracted.notes)
    }

    /// Citations follow `--date` when given, else the page's publication date, else its capture
    /// date, else the scan date; the finding says which.
    static func citationDay(_ document: PreparedDocument, _ context: CheckContext) -> (Day, DateSource) {
        if context.date == nil, let published = document.extracted.metadata["published"], let day = Day(String(published.prefix(10))) {
            return (day, .published)
        }
        return context.undatedDay
    }
}

/// Per rule and document: memoized selection hits and the condition evaluation.
struct RuleState {
    let rule: CompiledRule
    let document: PreparedDocument
    /// Document rules that fired on `document` (for `fired(…)` inside a site rule's count/share).
    var fired: Set<String> = []
    /// Page counts gathered over the site, when evaluating a site rule.
    var tally: SiteTally?
    private var selections: [Matched?]
    private(set) var incomplete: String?
    /// Pages where the last count()/share() condition held, shown as the finding's locations.
    private(set) var countedPages: [String] = []

    struct Matched {
        let hits: [Hit]
        let ranges: [Range<Int>]
    }

    init(rule: CompiledRule, document: PreparedDocument) {
        self.rule = rule
        self.document = document
        selections = Array(repeating: nil, count: rule.selections.count)
    }

    mutating func matched(_ index: Int) -> Matched {
        if let done = selections[index] { return done }
        let selection = rule.selections[index]
        let ranges = selection.scopes.count == 1
            ? document.ranges(of: selection.scopes[0], diacriticFree: selection.ignoreDiacritics)
            : Self.union(selection.scopes.flatMap { document.ranges(of: $0, diacriticFree: selection.ignoreDiacritics) })
        let result = document.scan.hits(pattern: selection.pattern, in: ranges)
        if let reason = result.incomplete { incomplete = "$\(selection.name): \(reason)" }
        let matched = Matched(hits: result.hits, ranges: ranges)
        selections[index] = matched
        return matched
    }

    mutating func holds(_ condition: Condition<Int>) -> Bool {
        switch condition {
        case .present(let i): return !matched(i).hits.isEmpty
        case .compare(let a, let op, let b): return op.holds(value(a), value(b))
        case .all(let cs): return cs.allSatisfy { holds($0) }
        case .any(let cs): return cs.contains { holds($0) }
        case .not(let c): return !holds(c)
        case .atLeast(let n, let cs):
            if n <= 0 { return true }
            var count = 0
            for c in cs where holds(c) {
                count += 1
                if count >= n { return true }
            }
            return false
        case .near(let a, let b, let words): return near(a, b, within: words)
        case .inFirst(let i, let words):
            let m = matched(i)
            let flag = rule.selections[i].ignoreDiacritics
            return m.hits.contains { document.wordOrdinal(of: $0.range, within: m.ranges, diacriticFree: flag).fromScopeStart < words }
        case .fired(let id): return fired.contains(id)
        }
    }

    mutating func value(_ operand: Operand<Int>) -> Double {
        switch operand {
        case .count(let i): return Double(matched(i).hits.count)
        case .score(let i): return matched(i).hits.reduce(0) { $0 + $1.weight }
        case .density(let i):
            let m = matched(i)
            let words = document.wordCount(in: m.ranges, diacriticFree: rule.selections[i].ignoreDiacritics)
            return words == 0 ? 0 : Double(m.hits.count) * 1000 / Double(words)
        case .number(let n): return n
        case .words: return Double(document.bodyWordCount)
        case .pages: return Double(tally?.pages ?? 0)
        case .pageCount(let c): return Double(pagesWhere(c))
        case .pageShare(let c):
            let total = tally?.pages ?? 0
            return total == 0 ? 0 : Double(pagesWhere(c)) / Double(total)
        }
    }

    private mutating func pagesWhere(_ condition: Condition<Int>) -> Int {
        let counted = tally?.counts[condition]
        countedPages = counted?.examples ?? []
        return counted?.count ?? 0
    }

    private mutating func near(_ a: Int, _ b: Int, within limit: Int) -> Bool {
        let first = matched(a), second = matched(b)
        let fa = rule.selections[a].ignoreDiacritics, fb = rule.selections[b].ignoreDiacritics
        func words(_ hit: Hit, _ m: Matched, _ flag: Bool) -> (Int, Int) {
            let start = document.wordOrdinal(of: hit.range, within: m.ranges, diacriticFree: flag).ordinal
            let last = document.wordOrdinal(of: (hit.range.upperBound - 1)..<hit.range.upperBound, within: m.ranges, diacriticFree: flag).ordinal
            return (start, max(start, last))
        }
        let left = first.hits.map { words($0, first, fa) }
        let right = second.hits.map { words($0, second, fb) }
        for (s1, e1) in left {
            for (s2, e2) in right {
                let gap = s2 > e1 ? s2 - e1 - 1 : s1 > e2 ? s1 - e2 - 1 : 0
                if gap <= limit { return true }
            }
        }
        return false
    }

    mutating func finding(day: Day, source: DateSource, spanLimit: Int) -> Finding {
        var spans: [Span] = []
        var total = 0
        var usedDiacriticFree = false
        var seen = DisjointRanges()
        let locator = document.locator
        // Diacritic-sensitive selections first, so a diacritic-free duplicate does not lower confidence.
        for index in rule.evidence.sorted(by: { !rule.selections[$0].ignoreDiacritics && rule.selections[$1].ignoreDiacritics }) {
            let selection = rule.selections[index]
            let m = matched(index)
            for hit in m.hits {
                let original = document.originalRange(of: hit.range, diacriticFree: selection.ignoreDiacritics)
                // The same words found with and without diacritics are one piece of evidence.
                guard seen.insert(original) else { continue }
                total += 1
                if selection.ignoreDiacritics { usedDiacriticFree = true }
                guard spans.count < spanLimit else { continue }
                let scope = document.scope(holding: hit.range.lowerBound, among: selection.scopes,
                                           diacriticFree: selection.ignoreDiacritics) ?? selection.scopes[0]
                spans.append(locator.span(original, scope: scope.rawValue, selection: selection.name, diacriticFree: selection.ignoreDiacritics))
            }
        }
        spans.sort { $0.start < $1.start }
        let message = render(rule.message, spans: spans, total: total)
        var citations = rule.citations(on: day)
        var citationWarning: String?
        if citations.isEmpty {
            // Better to show every candidate, clearly flagged, than to file a finding citing nothing.
            citations = rule.citations
            citationWarning = "Không có điều khoản nào của quy tắc có hiệu lực vào ngày \(day); các căn cứ dưới đây cần đối chiếu"
        }
        return Finding(
            ruleID: rule.id, title: rule.title, message: message, severity: rule.severity,
            confidence: usedDiacriticFree ? rule.confidence * 0.7 : rule.confidence, criterion: rule.criterion,
            citations: citations.map(CitedProvision.init), citationDate: day, citationDateSource: source,
            citationWarning: citationWarning,
            spans: spans, totalSpans: total, pages: countedPages)
    }

    private mutating func render(_ template: String, spans: [Span], total: Int) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            switch name {
            case "match": out += spans.first?.excerpt ?? ""
            case "count": out += String(total)
            case "title": out += rule.title
            case "pages": out += String(countedPages.count)
            default:
                let isCount = name.hasPrefix("#$")
                let selectionName = String(name.drop { $0 == "#" || $0 == "$" })
                if let index = rule.selections.firstIndex(where: { $0.name == selectionName }) {
                    let m = matched(index)
                    if isCount { out += String(m.hits.count) }
                    else if let hit = m.hits.first {
                        let flag = rule.selections[index].ignoreDiacritics
                        out += document.locator.excerpt(document.originalRange(of: hit.range, diacriticFree: flag))
                    }
                }
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    static func union(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var merged: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }
}

extension CitedProvision {
    init(_ citation: Citation) {
        let p = citation.provision
        self.init(id: citation.id, instrument: p.instrument, behaviour: p.behaviour,
                  confidence: p.confidence.rawValue, needsChecking: p.confidence != .verified)
    }
}

extension Condition where Ref == Int {
    /// A necessary condition in selections: every group must have a selection with a hit for the
    /// condition to hold (empty: it may hold with no hit at all). Sound, not exact.
    var requiredSelections: [[Int]] {
        switch self {
        case .present(let a), .inFirst(let a, _): return [[a]]
        case .near(let a, let b, _): return [[a], [b]]
        case .all(let cs): return cs.flatMap(\.requiredSelections)
        case .any(let cs):
            let children = cs.map(\.requiredSelections)
            if children.contains(where: \.isEmpty) { return [] }
            return [Array(Set(children.flatMap { $0.flatMap { $0 } })).sorted()]
        case .atLeast(let n, let cs):
            let requiring = cs.filter(\.requiresHit)
            guard cs.count - requiring.count < n else { return [] }
            return [Array(Set(requiring.flatMap { $0.requiredSelections.flatMap { $0 } })).sorted()]
        case .compare(let a, _, let b):
            guard requiresHit else { return [] }
            return [Array(Set(a.selections + b.selections)).sorted()]
        case .not, .fired: return []
        }
    }
}

extension Condition {
    /// True when the condition cannot hold unless some selection has a hit.
    var requiresHit: Bool {
        switch self {
        case .present, .near, .inFirst: return true
        case .all(let cs): return cs.contains { $0.requiresHit }
        case .any(let cs): return cs.allSatisfy { $0.requiresHit }
        case .not, .fired: return false
        case .atLeast(let n, let cs): return cs.filter { !$0.requiresHit }.count < n
        case .compare(let a, let op, let b):
            // With no hits every selection operand is 0; if the comparison is then false, a hit is needed.
            switch (a.zeroWithoutHits, b.zeroWithoutHits) {
            case (true, false): if case .number(let n) = b { return !op.holds(0, n) }
            case (false, true): if case .number(let n) = a { return !op.holds(n, 0) }
            default: break
            }
            return false
        }
    }
}

extension Operand where Ref == Int {
    var selections: [Int] {
        switch self {
        case .count(let r), .density(let r), .score(let r): return [r]
        default: return []
        }
    }
}

extension Operand {
    var zeroWithoutHits: Bool {
        switch self {
        case .count, .density, .score: return true
        default: return false
        }
    }
}

/// Ranges that do not overlap, sorted: inserting one that overlaps a kept range (or equals it)
/// fails. Binary search keeps a finding with thousands of hits from costing a quadratic pass.
struct DisjointRanges {
    private var ranges: [Range<Int>] = []

    mutating func insert(_ range: Range<Int>) -> Bool {
        var low = 0, high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].lowerBound < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        if low > 0, Self.clash(ranges[low - 1], range) { return false }
        if low < ranges.count, Self.clash(ranges[low], range) { return false }
        ranges.insert(range, at: low)
        return true
    }

    /// Overlapping, or the same place (empty ranges never overlap anything).
    private static func clash(_ a: Range<Int>, _ b: Range<Int>) -> Bool { a.overlaps(b) || a == b }
}
