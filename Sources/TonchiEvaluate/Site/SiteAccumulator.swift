import TonchiCore
import TonchiRules

/// Page counts for one site, gathered page by page so a site of any size needs no page kept in
/// memory: for every `count(…)`/`share(…)` condition of every site rule, how many pages held it.
public struct SiteTally: Sendable {
    public struct Count: Sendable {
        public var count = 0
        /// The first pages that counted, shown as the finding's locations.
        public var examples: [String] = []
    }
    public internal(set) var pages = 0
    var counts: [Condition<Int>: Count] = [:]
}

/// Collects a site's pages as they are scanned, then evaluates the site rules once all are in.
public final class SiteAccumulator {
    public let ruleSet: RuleSet
    public private(set) var tallies: [String: SiteTally] = [:]
    private let exampleLimit = 50

    public init(ruleSet: RuleSet) { self.ruleSet = ruleSet }

    /// Which page conditions of which site rules hold on one page: evaluated by the worker that
    /// checked the page, outside any lock; then counted with `add(_:name:)`.
    public struct PageVerdicts: Sendable {
        let holding: [(rule: String, condition: Condition<Int>)]
        let rules: [String]
    }

    public static func verdicts(_ document: PreparedDocument, result: DocumentResult, ruleSet: RuleSet,
                                context: CheckContext) -> PageVerdicts {
        let fired = Set(result.findings.map(\.ruleID))
        var holding: [(String, Condition<Int>)] = []
        // Every site rule of the kind: which apply is decided on the site's date, once all pages are in.
        let rules = applicableSiteRules(ruleSet, kind: context.kind, on: nil)
        for rule in rules {
            for condition in rule.pageConditions {
                var state = RuleState(rule: rule, document: document)
                state.fired = fired
                if state.holds(condition) { holding.append((rule.id, condition)) }
            }
        }
        return PageVerdicts(holding: holding, rules: rules.map(\.id))
    }

    /// Counts one scanned page for every site rule applicable to the context.
    public func add(_ document: PreparedDocument, result: DocumentResult, context: CheckContext) {
        add(Self.verdicts(document, result: result, ruleSet: ruleSet, context: context), name: document.name)
    }

    public func add(_ verdicts: PageVerdicts, name: String) {
        for rule in verdicts.rules {
            var tally = tallies[rule] ?? SiteTally()
            tally.pages += 1
            for (_, condition) in verdicts.holding.filter({ $0.rule == rule }) {
                var count = tally.counts[condition] ?? SiteTally.Count()
                count.count += 1
                // Keep the first pages by name, not by arrival, so parallel scans agree.
                count.examples.append(name)
                if count.examples.count > exampleLimit {
                    count.examples.sort()
                    count.examples.removeLast()
                }
                tally.counts[condition] = count
            }
            tallies[rule] = tally
        }
    }

    /// Evaluates the site rules; `site` supplies the site scopes (site name, home page, menus).
    public func finish(site: PreparedDocument, context: CheckContext) -> DocumentResult {
        // The site as captured (its latest capture), unless --date says otherwise.
        let (day, source) = context.undatedDay
        var findings: [Finding] = []
        var incomplete: [Incomplete] = []
        for rule in Self.applicableSiteRules(ruleSet, kind: context.kind, on: day) {
            var state = RuleState(rule: rule, document: site)
            var tally = tallies[rule.id] ?? SiteTally()
            for key in tally.counts.keys { tally.counts[key]!.examples.sort() }
            state.tally = tally
            if state.holds(rule.when) && !(rule.unless.map { state.holds($0) } ?? false) {
                findings.append(state.finding(day: day, source: source, spanLimit: Evaluator.defaultSpanLimit))
            }
            if let reason = state.incomplete { incomplete.append(Incomplete(ruleID: rule.id, reason: reason)) }
        }
        return DocumentResult(name: site.name, findings: findings, incomplete: incomplete, notes: [])
    }

    private static func applicableSiteRules(_ ruleSet: RuleSet, kind: PublicationKind, on day: Day?) -> [CompiledRule] {
        ruleSet.siteRules.filter { $0.status != .deprecated && $0.applies(to: kind, on: day) }
    }
}

extension CompiledRule {
    /// The conditions inside `count(…)` and `share(…)`, each evaluated once per page.
    var pageConditions: [Condition<Int>] {
        var found: [Condition<Int>] = []
        func visit(_ c: Condition<Int>) {
            switch c {
            case .compare(let a, _, let b):
                for operand in [a, b] {
                    if case .pageCount(let inner) = operand { found.append(inner) }
                    if case .pageShare(let inner) = operand { found.append(inner) }
                }
            case .all(let cs), .any(let cs), .atLeast(_, let cs): cs.forEach(visit)
            case .not(let inner): visit(inner)
            case .present, .near, .inFirst, .fired: break
            }
        }
        visit(when)
        unless.map(visit)
        return Array(Set(found))
    }
}
