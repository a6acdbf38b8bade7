import TonchiCore
import TonchiExtract
import TonchiMatch
import TonchiNormalize
import TonchiRules

/// One topic of the taxonomy: a lexicon named `topic.<id>` in the rules (Rules/topics).
public struct Topic: Sendable, Codable, Equatable {
    public let id: String
    public let title: String
    public let termCount: Int
}

/// How strongly an article speaks of one topic.
public struct TopicScore: Sendable {
    public struct Term: Sendable, Codable, Equatable {
        /// The term as found in the normalized text (lowercase, NFC, one tone placement).
        public let term: String
        public let count: Int
        public let weight: Double
    }
    public let topic: Topic
    /// Sum of the weights of every hit.
    public let weight: Double
    /// `weight` per 1,000 words of the article, so long and short articles compare.
    public let perThousandWords: Double
    /// Terms by contribution (count × weight), largest first.
    public let terms: [Term]
    /// Hits in the normalized view, in text order (for evidence spans).
    let hits: [Hit]
}

/// Every topic's score for one article, best first.
public struct TopicScores: Sendable {
    public let words: Int
    public let scores: [TopicScore]
    public var leading: TopicScore? { scores.first.flatMap { $0.weight > 0 ? $0 : nil } }
    public func score(of id: String) -> TopicScore? { scores.first { $0.topic.id == id } }
}

/// Scores articles against the topic taxonomy: weighted term hits per 1,000 words, found by one
/// Aho–Corasick pass over the normalized view (the same matcher the rules use, with its own
/// database so topic terms never change which rules can fire).
public final class TopicClassifier: Sendable {
    public static let lexiconPrefix = "topic."
    /// What an article is about is read in its title, lead and body, not in menus or lists.
    static let scopes: [Scope] = [.title, .lead, .body]
    public let topics: [Topic]
    /// One term pattern per topic, in `topics` order.
    public let database: MatchDatabase

    /// Picks the `topic.*` lexicons of a rule set. Nil when it has none.
    public init?(ruleSet: RuleSet) {
        let lexicons = ruleSet.lexicons.values.filter { $0.name.hasPrefix(Self.lexiconPrefix) }.sorted { $0.name < $1.name }
        guard !lexicons.isEmpty else { return nil }
        topics = lexicons.map { Topic(id: String($0.name.dropFirst(Self.lexiconPrefix.count)), title: $0.title ?? $0.name,
                                      termCount: $0.entries.count) }
        database = MatchDatabase(patterns: lexicons.map { lexicon in
            PatternSpec(source: .terms(lexicon.entries.map { (Array(Vietnamese.normalize($0.term).utf8), $0.weight) }),
                        diacriticFree: false)
        })
    }

    public func topic(_ id: String) -> Topic? { topics.first { $0.id == id } }

    /// A hit's term as the lexicon spells it: a phrase may match across a line break.
    static func termKey(_ hit: ArraySlice<UInt8>) -> [UInt8] { hit.map { $0 == 0x0A ? 0x20 : $0 } }

    /// Scores the title, lead and body of a prepared document (built with any database: the
    /// classifier runs its own pass over the normalized view).
    public func classify(_ document: PreparedDocument) -> TopicScores {
        let ranges = RuleState.union(Self.scopes.flatMap { document.ranges(of: $0, diacriticFree: false) })
        let scan = DocumentScan(database: database, normalized: document.normalized.bytes, diacriticFree: nil, regions: ranges)
        let words = document.wordCount(in: ranges, diacriticFree: false)
        let bytes = document.normalized.bytes
        var scores: [TopicScore] = []
        for (index, topic) in topics.enumerated() {
            let hits = scan.hits(pattern: index, in: ranges).hits
            var tally: [[UInt8]: (count: Int, weight: Double)] = [:]
            for hit in hits { tally[Self.termKey(bytes[hit.range]), default: (0, hit.weight)].count += 1 }
            let terms = tally.map { TopicScore.Term(term: String(decoding: $0.key, as: UTF8.self), count: $0.value.count, weight: $0.value.weight) }
                .sorted { ($0.weight * Double($0.count), $1.term) > ($1.weight * Double($1.count), $0.term) }
            let weight = hits.reduce(0) { $0 + $1.weight }
            scores.append(TopicScore(topic: topic, weight: weight, perThousandWords: words == 0 ? 0 : weight * 1000 / Double(words),
                                     terms: terms, hits: hits))
        }
        scores.sort { ($0.perThousandWords, $1.topic.id) > ($1.perThousandWords, $0.topic.id) }
        return TopicScores(words: words, scores: scores)
    }

    /// Prepares plain text (a draft, a licence's purpose) for `classify`.
    public func prepare(text: String, name: String = "-") -> PreparedDocument {
        prepare(Extractor.extract(Array(text.utf8), format: .plainText), name: name)
    }

    public func prepare(_ extracted: ExtractedDocument, name: String) -> PreparedDocument {
        PreparedDocument(name: name, extracted: extracted, database: database)
    }

    /// Topics a licence's tôn chỉ, mục đích speaks of, best first. The text is short, so raw weights
    /// count, not densities: a topic is proposed when its weight reaches `minWeight` and a share of the best.
    public func suggest(purpose: String, minWeight: Double = 2, minShareOfBest: Double = 0.15) -> [TopicScore] {
        let scores = classify(prepare(text: purpose)).scores.sorted { ($0.weight, $1.topic.id) > ($1.weight, $0.topic.id) }
        guard let best = scores.first?.weight, best > 0 else { return [] }
        return scores.filter { $0.weight >= minWeight && $0.weight >= best * minShareOfBest }
    }
}
