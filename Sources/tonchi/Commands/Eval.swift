import ArgumentParser
import Foundation
import TonchiEvaluate
import TonchiReport

/// `tonchi eval`: measured quality of the off-charter decision on the labelled Dân trí corpus.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure off-charter precision and recall on a labelled corpus (each section in turn as the charter).",
        discussion: """
            Every section of the corpus plays the charter in turn (its topics: see docs/topics.md); the articles \
            of all other sections should be flagged, its own should not. Figures are given for the development \
            split (even lines, used for tuning), the held-out split (odd lines) and the whole set. \
            Exit 1 when a macro figure of the held-out split or the whole set is below --min-precision/--min-recall.
            """)

    @Argument(help: "Corpus in JSON Lines with 'category' and 'body' (default: $TONCHI_SHARED/corpus/articles/dantri-10cat.jsonl, else ../shared/… beside the repository).")
    var corpus: String?

    @Option(help: "Output format: text or json.")
    var format: DataFormat = .text

    @Option(name: .customLong("min-precision"), help: "Lowest acceptable macro precision (held-out and all).")
    var minPrecision: Double?

    @Option(name: .customLong("min-recall"), help: "Lowest acceptable macro recall (held-out and all).")
    var minRecall: Double?

    @Option(name: .customLong("min-words"), help: "Policy override: shortest article judged.")
    var minWords: Int?

    @Option(name: .customLong("min-weight"), help: "Policy override: least weight of the leading topic.")
    var minWeight: Double?

    @Option(name: .customLong("min-per-thousand"), help: "Policy override: least weight per 1,000 words of the leading topic.")
    var minPerThousand: Double?

    @Option(help: "Policy override: factor by which the leading topic must outscore the best allowed one.")
    var margin: Double?

    @Flag(name: .customLong("show-errors"), help: "List the development split's false accusations and misses (never the held-out split's, which stays unseen).")
    var showErrors = false

    @Option(help: "Policy override: allowed-topic score (per 1,000 words) that clears an article.")
    var clearing: Double?

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let path = corpus ?? Self.defaultCorpus
        let articles: [TopicEvaluation.Article]
        do { articles = try TopicEvaluation.loadCorpus(path: path) } catch {
            printError("tonchi: \(error)")
            throw ExitStatus.usage.exitCode
        }
        let classifier = try loadTopicClassifier(try ruleOptions.load())
        var policy = OffCharterPolicy.standard
        if let minWords { policy.minWords = minWords }
        if let minWeight { policy.minWeight = minWeight }
        if let minPerThousand { policy.minPerThousand = minPerThousand }
        if let margin { policy.margin = margin }
        if let clearing { policy.clearingPerThousand = clearing }
        let scores = TopicEvaluation.classify(articles, with: classifier)
        var reports: [TopicEvaluation.Report] = []
        do {
            for split in TopicEvaluation.Split.allCases {
                reports.append(try TopicEvaluation.evaluate(articles, scores: scores, classifier: classifier, policy: policy, split: split))
            }
        } catch {
            printError("tonchi: \(path): \(error)")
            throw ExitStatus.usage.exitCode
        }
        switch format {
        case .text: print(Self.text(reports, policy: policy, corpus: path), terminator: "")
        case .json:
            struct Output: Encodable { let corpus: String; let policy: OffCharterPolicy; let reports: [TopicEvaluation.Report] }
            print(JSONFormat.render(Output(corpus: path, policy: policy, reports: reports)), terminator: "")
        }
        if showErrors { print(Self.errors(articles, scores: scores, classifier: classifier, policy: policy), terminator: "") }
        var missed: [String] = []
        for report in reports where report.split != .development {
            if let minPrecision, report.macroPrecision < minPrecision {
                missed.append("\(report.split.rawValue) macro precision \(Self.f(report.macroPrecision)) < \(minPrecision)")
            }
            if let minRecall, report.macroRecall < minRecall {
                missed.append("\(report.split.rawValue) macro recall \(Self.f(report.macroRecall)) < \(minRecall)")
            }
        }
        if !missed.isEmpty {
            printError("tonchi eval: below threshold: " + missed.joined(separator: "; "))
            throw ExitStatus.findings.exitCode
        }
    }

    static var defaultCorpus: String {
        let relative = "corpus/articles/dantri-10cat.jsonl"
        if let shared = ProcessInfo.processInfo.environment["TONCHI_SHARED"], !shared.isEmpty {
            return URL(fileURLWithPath: shared).appendingPathComponent(relative).path
        }
        // The repository root is the working directory under make/swift run; ../shared sits beside it.
        return "../shared/" + relative
    }

    /// One line per development article judged wrongly under its own section's charter (false
    /// accusation) or left unflagged under every other charter whose topics it does not share.
    static func errors(_ articles: [TopicEvaluation.Article], scores: [TopicScores], classifier: TopicClassifier,
                       policy: OffCharterPolicy) -> String {
        var out = "\ndevelopment errors\n"
        for (i, article) in articles.enumerated() where TopicEvaluation.Split.development.contains(line: article.line) {
            guard let own = TopicEvaluation.sectionTopics[article.section],
                  let check = try? OffCharterCheck(classifier: classifier, allowedTopics: own, catalog: .init(), policy: policy) else { continue }
            let decision = check.decide(scores[i])
            let lead = scores[i].leading
            let terms = lead?.terms.prefix(6).map { "\($0.term)×\($0.count)" }.joined(separator: ", ") ?? ""
            let head = "line \(article.line) \(article.section) \(scores[i].words)w lead \(lead?.topic.id ?? "-") \(f(lead?.perThousandWords ?? 0))"
            if decision.isOffCharter {
                out += "FALSE-ACCUSATION \(head) own-best \(decision.bestAllowed?.topic.id ?? "-") \(f(decision.bestAllowed?.perThousandWords ?? 0)): \(terms)\n"
            } else if decision.outcome == .notJudged {
                out += "NOT-JUDGED \(head): \(terms)\n"
            }
        }
        return out
    }

    static func f(_ value: Double) -> String { String(format: "%.3f", value) }

    static func text(_ reports: [TopicEvaluation.Report], policy: OffCharterPolicy, corpus: String) -> String {
        var out = "corpus: \(corpus)\n"
        out += "policy: min-words \(policy.minWords), min-weight \(policy.minWeight), min-per-thousand \(policy.minPerThousand), "
            + "margin \(policy.margin), clearing \(policy.clearingPerThousand)\n"
        for report in reports {
            out += "\n\(report.split.rawValue) (\(report.articles) articles)\n"
            out += "section        precision  recall  false-accusation  flagged/others  own-flagged/own\n"
            for s in report.sections {
                out += s.section.padding(toLength: 15, withPad: " ", startingAt: 0)
                    + f(s.precision).padding(toLength: 11, withPad: " ", startingAt: 0)
                    + f(s.recall).padding(toLength: 8, withPad: " ", startingAt: 0)
                    + f(s.falseAccusationRate).padding(toLength: 18, withPad: " ", startingAt: 0)
                    + "\(s.truePositives)/\(s.positives)".padding(toLength: 16, withPad: " ", startingAt: 0)
                    + "\(s.falsePositives)/\(s.negatives)\n"
            }
            out += "macro          \(f(report.macroPrecision))      \(f(report.macroRecall))   \(f(report.macroFalseAccusationRate))\n"
        }
        return out
    }
}
