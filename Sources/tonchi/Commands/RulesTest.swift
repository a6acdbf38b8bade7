import ArgumentParser
import TonchiCore
import TonchiEvaluate

/// `tonchi rules test`: run every rule's embedded examples.
struct RulesTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every rule's hit/miss examples; exit 1 when one fails or marks a wrong span.")

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let ruleSet = try ruleOptions.load()
        let (passed, failures) = ExampleRunner(ruleSet: ruleSet).run(today: Day.today)
        for failure in failures { print("FAIL \(failure)") }
        print("\(passed) example(s) passed, \(failures.count) failed, in \(ruleSet.documentRules.count) document rule(s)")
        // Broken rules have no examples to run: a test run with rule errors is not a pass.
        if !ruleSet.errors.isEmpty { throw ExitStatus.usage.exitCode }
        if !failures.isEmpty { throw ExitStatus.findings.exitCode }
    }
}
