import TonchiCore
import TonchiExtract
import TonchiRules

/// Runs the `hit`/`miss` examples embedded in rules: each example is a plain-text document checked
/// against its own rule alone. A hit must fire (on the marked span, when one is marked); a miss must not.
public struct ExampleRunner {
    public struct Failure: Sendable, CustomStringConvertible {
        public let ruleID: String
        public let location: SourceLocation
        public let problem: String
        public var description: String { "\(location): rule \(ruleID): \(problem)" }
    }

    public let ruleSet: RuleSet

    public init(ruleSet: RuleSet) { self.ruleSet = ruleSet }

    public func run(today: Day) -> (passed: Int, failures: [Failure]) {
        let evaluator = Evaluator(ruleSet: ruleSet)
        var passed = 0
        var failures: [Failure] = []
        for rule in ruleSet.documentRules where rule.status != .deprecated {
            guard let kind = rule.kinds.sorted(by: { $0.rawValue < $1.rawValue }).first else { continue }
            let context = CheckContext(kind: kind, date: rule.appliesFrom ?? rule.appliesUntil ?? today, scanDate: today)
            for example in rule.examples {
                let bytes = Array(example.text.utf8)
                let document = PreparedDocument(name: "example", extracted: Extractor.extract(bytes, format: .plainText),
                                                database: ruleSet.database)
                let result = evaluator.evaluate(document, context: context, only: [rule.id])
                if let problem = check(example, result.findings.first) {
                    failures.append(Failure(ruleID: rule.id, location: example.location, problem: problem))
                } else {
                    passed += 1
                }
            }
        }
        return (passed, failures)
    }

    private func check(_ example: RuleExample, _ finding: Finding?) -> String? {
        let quoted = "\"\(example.text)\""
        guard example.expectHit else {
            return finding.map { "miss example \(quoted) fired on «\($0.spans.first?.excerpt ?? "")»" }
        }
        guard let finding else { return "hit example \(quoted) did not fire" }
        let text = Array(example.text.utf8)
        let missing = example.expectedSpans.filter { expected in
            !finding.spans.contains { $0.start == expected.lowerBound && $0.end == expected.upperBound }
        }
        guard let expected = missing.first else { return nil }
        let want = String(decoding: text[expected], as: UTF8.self)
        let got = finding.spans.map { "«\($0.excerpt)» \($0.start)–\($0.end)" }.joined(separator: ", ")
        return "hit example \(quoted): expected span «\(want)» \(expected.lowerBound)–\(expected.upperBound), got \(got)"
    }
}
