import ArgumentParser

/// `tonchi charter …`: work on charter files (named so as not to shadow TonchiCharter.Charter).
struct CharterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charter",
        abstract: "Work on charter files (tôn chỉ, mục đích).",
        subcommands: [CharterSuggest.self])
}
