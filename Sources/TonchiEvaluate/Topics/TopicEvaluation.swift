import Foundation
import TonchiRules

/// Measures the off-charter decision on a labelled corpus (Dân trí articles with their section):
/// each section in turn plays the charter, and every article of the other sections should be flagged.
public enum TopicEvaluation {
    /// The topics a publication licensed for one Dân trí section would list. Chosen once by hand
    /// from what each section publishes (Dân trí's "Xã hội" carries politics, traffic, labour and
    /// environment, incidents; "Thế giới" carries foreign military affairs; "Kinh doanh" carries property),
    /// then left fixed.
    public static let sectionTopics: [String: [String]] = [
        "business": ["kinh-te-tai-chinh", "bat-dong-san", "xay-dung"],
        "education": ["giao-duc"],
        "entertainment": ["giai-tri", "van-hoa-nghe-thuat"],
        "health": ["y-te-suc-khoe"],
        "science": ["khoa-hoc-cong-nghe", "moi-truong"],
        "society": ["xa-hoi", "thoi-su-chinh-tri", "phap-luat-hinh-su", "giao-thong", "lao-dong-viec-lam", "moi-truong"],
        "sport": ["the-thao"],
        "tech": ["cong-nghe-so"],
        "travel": ["du-lich"],
        "world": ["the-gioi", "quoc-phong-an-ninh"],
    ]

    public struct Article: Sendable {
        /// 1-based line in the corpus file.
        public let line: Int
        public let section: String
        public let text: String
    }

    public struct CorpusError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads JSON Lines with `category` and `body` (and `title` when present).
    public static func loadCorpus(path: String) throws -> [Article] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorpusError(description: "\(path): cannot read the corpus file")
        }
        struct Record: Decodable { let category: String?; let title: String?; let body: String? }
        var articles: [Article] = []
        let decoder = JSONDecoder()
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) else { continue }
            let record: Record
            do { record = try decoder.decode(Record.self, from: Data(line)) } catch {
                throw CorpusError(description: "\(path):\(index + 1): not a JSON object with category and body: \(error)")
            }
            guard let section = record.category, let body = record.body else {
                throw CorpusError(description: "\(path):\(index + 1): missing 'category' or 'body'")
            }
            articles.append(Article(line: index + 1, section: section, text: [record.title, body].compactMap { $0 }.joined(separator: "\n")))
        }
        return articles
    }

    /// The development split (used to choose lexicon weights and the policy) is the even lines;
    /// the odd lines are held out.
    public enum Split: String, Sendable, Codable, CaseIterable {
        case development, heldOut = "held-out", all
        public func contains(line: Int) -> Bool {
            switch self {
            case .development: return line % 2 == 0
            case .heldOut: return line % 2 == 1
            case .all: return true
            }
        }
    }

    public struct Figures: Sendable, Codable {
        public let section: String
        public let topics: [String]
        /// Articles of the other sections (should be flagged) and of this one (should not).
        public let positives: Int
        public let negatives: Int
        public let truePositives: Int
        public let falsePositives: Int
        public let precision: Double
        public let recall: Double
        /// Share of the charter's own articles wrongly flagged: the cost an editor sees.
        public let falseAccusationRate: Double

        init(section: String, topics: [String], positives: Int, negatives: Int, truePositives tp: Int, falsePositives fp: Int) {
            self.section = section; self.topics = topics; self.positives = positives; self.negatives = negatives
            truePositives = tp; falsePositives = fp
            // No flag at all accuses no one: precision 1, and the recall shows the miss.
            precision = tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp)
            recall = positives == 0 ? 0 : Double(tp) / Double(positives)
            falseAccusationRate = negatives == 0 ? 0 : Double(fp) / Double(negatives)
        }
    }

    public struct Report: Sendable, Codable {
        public let split: Split
        public let articles: Int
        public let sections: [Figures]
        public let macroPrecision: Double
        public let macroRecall: Double
        public let macroFalseAccusationRate: Double

        init(split: Split, articles: Int, sections: [Figures]) {
            self.split = split; self.articles = articles; self.sections = sections
            func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
            macroPrecision = mean(sections.map(\.precision))
            macroRecall = mean(sections.map(\.recall))
            macroFalseAccusationRate = mean(sections.map(\.falseAccusationRate))
        }
    }

    /// Scores every article once; the decisions per charter reuse the scores.
    public static func classify(_ articles: [Article], with classifier: TopicClassifier) -> [TopicScores] {
        var scores = [TopicScores?](repeating: nil, count: articles.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: articles.count) { i in
            let result = classifier.classify(classifier.prepare(text: articles[i].text, name: "line \(articles[i].line)"))
            lock.lock(); scores[i] = result; lock.unlock()
        }
        return scores.map { $0! }
    }

    /// Figures per section on one split. Sections the mapping does not know are an error.
    public static func evaluate(_ articles: [Article], scores: [TopicScores], classifier: TopicClassifier,
                                policy: OffCharterPolicy = .standard, split: Split) throws -> Report {
        let chosen = articles.indices.filter { split.contains(line: articles[$0].line) }
        let sections = Set(chosen.map { articles[$0].section }).sorted()
        if let unknown = sections.first(where: { sectionTopics[$0] == nil }) {
            throw CorpusError(description: "section '\(unknown)' has no topic mapping; known: \(sectionTopics.keys.sorted().joined(separator: ", "))")
        }
        var figures: [Figures] = []
        for section in sections {
            let topics = sectionTopics[section]!
            let check = try OffCharterCheck(classifier: classifier, allowedTopics: topics, catalog: LegalCatalog(), policy: policy)
            var positives = 0, negatives = 0, tp = 0, fp = 0
            for i in chosen {
                let own = articles[i].section == section
                if own { negatives += 1 } else { positives += 1 }
                guard check.decide(scores[i]).isOffCharter else { continue }
                if own { fp += 1 } else { tp += 1 }
            }
            figures.append(Figures(section: section, topics: topics, positives: positives, negatives: negatives,
                                   truePositives: tp, falsePositives: fp))
        }
        return Report(split: split, articles: chosen.count, sections: figures)
    }
}
