import ArgumentParser
import Foundation
import TonchiCharter
import TonchiEvaluate
import TonchiReport

/// `tonchi charter suggest`: proposes topic ids for a licence's tôn chỉ, mục đích.
struct CharterSuggest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Propose topic ids (Rules/topics) for a charter's purpose text.",
        discussion: "INPUT is a charter file (.yaml/.yml: its 'purpose' is read), a text file, or '-' for standard input; --text gives the text itself.")

    @Argument(help: "A charter YAML, a text file, or '-' for standard input.")
    var input: String?

    @Option(help: "The purpose text itself, instead of INPUT.")
    var text: String?

    @Option(help: "Output format: text or json.")
    var format: DataFormat = .text

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let (purpose, listed) = try readPurpose()
        let classifier = try loadTopicClassifier(try ruleOptions.load())
        let proposals = classifier.suggest(purpose: purpose)
        switch format {
        case .text:
            if proposals.isEmpty { print("no topic recognised in the text; pick topics by hand (docs/topics.md)") }
            for score in proposals {
                let terms = score.terms.prefix(5).map { "\($0.term)×\($0.count)" }.joined(separator: ", ")
                let mark = listed.map { $0.contains(score.topic.id) ? "  (in charter)" : "  (not in charter)" } ?? ""
                print("\(score.topic.id)\t\(String(format: "%.1f", score.weight))\t\(score.topic.title)\t\(terms)\(mark)")
            }
            if let listed {
                let missing = listed.filter { id in !proposals.contains { $0.topic.id == id } }
                if !missing.isEmpty { print("charter topics not found in its purpose: \(missing.joined(separator: ", "))") }
            }
        case .json:
            struct Proposal: Encodable { let id: String; let title: String; let score: Double; let terms: [TopicScore.Term] }
            let out = proposals.map { Proposal(id: $0.topic.id, title: $0.topic.title, score: $0.weight, terms: $0.terms) }
            print(JSONFormat.render(out), terminator: "")
        }
    }

    /// The purpose text, and the charter's own topics when the input is a charter file.
    private func readPurpose() throws -> (String, [String]?) {
        if let text {
            guard input == nil else { return try fail("give INPUT or --text, not both") }
            return (text, nil)
        }
        guard let input else { return try fail("give a charter file, a text file, '-' or --text") }
        if input == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let text = String(data: data, encoding: .utf8) else { return try fail("standard input is not UTF-8 text") }
            return (text, nil)
        }
        if input.hasSuffix(".yaml") || input.hasSuffix(".yml") {
            let charter: Charter
            do { charter = try Charter.load(path: input) } catch { return try fail("\(error)") }
            guard let purpose = charter.purpose else { return try fail("\(input): charter field 'purpose': missing; nothing to suggest from") }
            return (purpose, charter.topics)
        }
        guard let data = FileManager.default.contents(atPath: input) else { return try fail("\(input): cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { return try fail("\(input): not UTF-8 text") }
        return (text, nil)
    }

    private func fail<T>(_ message: String) throws -> T {
        printError("tonchi: \(message)")
        throw ExitStatus.usage.exitCode
    }
}
