import ArgumentParser
import TonchiRules

/// `tonchi rules check`: every diagnostic of the rule files, errors and lint warnings.
struct RulesCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report rule errors and lint warnings (exit 2 on errors; with --strict, on warnings too).")

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let ruleSet: RuleSet
        do {
            ruleSet = try ruleOptions.rules.map { try RuleLoader.load(directory: .init(fileURLWithPath: $0)) } ?? RuleLoader.loadBundled()
        } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
        for diagnostic in ruleSet.diagnostics { print(diagnostic.description) }
        let errors = ruleSet.errors.count
        let warnings = ruleSet.diagnostics.count - errors
        print("\(ruleSet.rules.count) rule(s) loaded, \(ruleSet.lexicons.count) lexicon(s); \(errors) error(s), \(warnings) warning(s)")
        if errors > 0 || (ruleOptions.strict && warnings > 0) { throw ExitStatus.usage.exitCode }
    }
}
