import ArgumentParser

/// `tonchi rules check`: every diagnostic of the rule files, errors and lint warnings.
struct RulesCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report rule errors and lint warnings (exit 2 on errors; with --strict, on warnings too).")

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let ruleSet = try ruleOptions.compile()
        for diagnostic in ruleSet.diagnostics { print(diagnostic.description) }
        let errors = ruleSet.errors.count
        let warnings = ruleSet.diagnostics.count - errors
        print("\(ruleSet.rules.count) rule(s) loaded, \(ruleSet.lexicons.count) lexicon(s); \(errors) error(s), \(warnings) warning(s)")
        if errors > 0 || (ruleOptions.strict && warnings > 0) { throw ExitStatus.usage.exitCode }
    }
}
