import ArgumentParser
import TonchiRules

/// `tonchi rules list`: what the loaded rules are and what they cite.
struct RulesList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the loaded rules.")

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let ruleSet = try ruleOptions.load()
        for rule in ruleSet.rules.sorted(by: { $0.id < $1.id }) {
            let kinds = rule.kinds.map(\.rawValue).sorted().joined(separator: ",")
            let cites = rule.citations.map(\.id).joined(separator: ", ")
            print("\(rule.id)\t\(rule.isSiteRule ? "site" : "document")\t\(rule.severity.rawValue)\t\(rule.status.rawValue)\t\(kinds)\t\(rule.criterion)\t\(cites)\t\(rule.title)")
        }
    }
}
