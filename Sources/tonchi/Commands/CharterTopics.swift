import Foundation
import TonchiCharter
import TonchiEvaluate
import TonchiRules

/// The topic taxonomy of the loaded rules (lexicons `topic.*`, Rules/topics); exits 2 without one.
func loadTopicClassifier(_ ruleSet: RuleSet) throws -> TopicClassifier {
    guard let classifier = TopicClassifier(ruleSet: ruleSet) else {
        printError("tonchi: the rules define no topic lexicons (lexicon topic.<id> …, see docs/topics.md)")
        throw ExitStatus.usage.exitCode
    }
    return classifier
}

/// The off-charter check for a charter file, or nil when the charter lists no topics (nothing to
/// hold articles against: said on standard error, not guessed). An unknown topic id exits 2.
func offCharterCheck(for charter: Charter, path: String, ruleSet: RuleSet) throws -> OffCharterCheck? {
    guard !charter.topics.isEmpty else {
        printError("tonchi: \(path): the charter lists no topics; the off-charter check is skipped (see 'tonchi charter suggest')")
        return nil
    }
    do {
        return try OffCharterCheck(classifier: try loadTopicClassifier(ruleSet), allowedTopics: charter.topics, catalog: ruleSet.catalog)
    } catch let error as OffCharterCheck.UnknownTopics {
        printError("tonchi: \(path): charter field 'topics': \(error)")
        throw ExitStatus.usage.exitCode
    }
}
