import TonchiCore
import TonchiRules

/// One page of a site as the site rules see it: the prepared page and the document rules it fired.
public struct SitePage {
    public let document: PreparedDocument
    public let fired: Set<String>
    public init(document: PreparedDocument, result: DocumentResult) {
        self.document = document
        self.fired = Set(result.findings.map(\.ruleID))
    }
}

/// Evaluates site rules after every page of a site has been read: counts and shares of pages,
/// and selections over the site scopes of `site` (site name, home page, all pages' menus).
public struct SiteEvaluator {
    public let ruleSet: RuleSet

    public init(ruleSet: RuleSet) { self.ruleSet = ruleSet }

    public func evaluate(site: PreparedDocument, pages: [SitePage], context: CheckContext) -> DocumentResult {
        let day = context.date ?? context.scanDate
        let source: DateSource = context.date == nil ? .scan : .given
        var findings: [Finding] = []
        var incomplete: [Incomplete] = []
        for rule in ruleSet.siteRules where rule.status != .deprecated && rule.applies(to: context.kind, on: day) {
            var state = RuleState(rule: rule, document: site)
            state.pages = pages
            if state.holds(rule.when) && !(rule.unless.map { state.holds($0) } ?? false) {
                findings.append(state.finding(day: day, source: source, spanLimit: 20))
            }
            if let reason = state.incomplete { incomplete.append(Incomplete(ruleID: rule.id, reason: reason)) }
        }
        return DocumentResult(name: site.name, findings: findings, incomplete: incomplete, notes: [])
    }
}
