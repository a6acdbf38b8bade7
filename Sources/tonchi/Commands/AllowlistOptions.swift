import ArgumentParser
import Foundation
import TonchiCharter
import TonchiCore
import TonchiEvaluate
import TonchiRules

/// `--allowlist FILE`, shared by `check` and `scan`.
struct AllowlistOptions: ParsableArguments {
    @Option(help: "Allowlist file (YAML: rule, url, reason, author, expires; see docs/pre-publication.md). Covered findings are listed apart.")
    var allowlist: String?

    /// The allowlist, if given (exit 2 on an error naming file, line and field). Entries whose rule
    /// is no longer loaded are kept (they survive rule updates) and reported, as are expired entries.
    func load(ruleSet: RuleSet, today: Day) throws -> Allowlist? {
        guard let path = allowlist else { return nil }
        let loaded: Allowlist
        do { loaded = try AllowlistFile.load(path: path) } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
        for entry in loaded.unknownRules(DocumentCheck.knownRuleIDs(ruleSet)) {
            printError("tonchi: \(entry.origin): allowlist entry names rule '\(entry.rule)', which no loaded rule matches (kept)")
        }
        for entry in loaded.expired(on: today) {
            printError("tonchi: \(entry.origin): allowlist entry for '\(entry.rule)' on '\(entry.url)' expired on \(entry.expires): not applied")
        }
        return loaded
    }
}
