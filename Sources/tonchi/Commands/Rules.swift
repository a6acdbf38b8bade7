import ArgumentParser

/// `tonchi rules …`: work on rule files.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check, test and list rules.",
        subcommands: [RulesCheck.self, RulesTest.self, RulesList.self])
}
