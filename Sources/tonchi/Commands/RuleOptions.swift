import ArgumentParser
import Foundation
import TonchiRules

/// Options every command that loads rules shares.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: "Rules directory (default: the rules bundled with tonchi).")
    var rules: String?

    @Flag(name: .long, help: "Treat any rule error as fatal instead of skipping the broken rule.")
    var strict = false

    /// Reads and compiles the rules; a missing directory or unreadable file exits 2.
    func compile() throws -> RuleSet {
        do {
            return try rules.map { try RuleLoader.load(directory: URL(fileURLWithPath: $0)) } ?? RuleLoader.loadBundled()
        } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
    }

    /// Compiles the rules and prints their errors; exits 2 when nothing usable loaded or --strict is set.
    func load() throws -> RuleSet {
        let ruleSet = try compile()
        for diagnostic in ruleSet.errors { printError(diagnostic.description) }
        if !ruleSet.errors.isEmpty {
            printError("tonchi: \(ruleSet.errors.count) rule error(s); \(strict ? "--strict: stopping" : "the broken rules are skipped")")
            if strict { throw ExitStatus.usage.exitCode }
        }
        if ruleSet.rules.isEmpty {
            printError("tonchi: no usable rule loaded")
            throw ExitStatus.usage.exitCode
        }
        return ruleSet
    }
}
