import Foundation
import TonchiCore
import TonchiMatch
import TonchiNormalize
import TonchiRules
import XCTest

/// Real articles: the prefiltered matcher against a naive per-pattern PCRE2 scan, and every
/// reported offset against the original bytes.
final class CorpusTests: XCTestCase {
    static let terms = ["phóng viên", "tòa soạn", "theo", "cho biết", "hà nội", "việt nam", "bệnh viện", "công an",
                        "thời sự", "tin nóng", "ubnd", "tp.hcm", "khởi tố", "giải thưởng", "học sinh", "đ", "covid-19"]
    static let regexes = [#"\bcho biết\s*:?\s*["“]"#, #"(?:theo|nguồn)\s*:?\s*\p{L}+"#, #"\d+\s*(?:triệu|tỷ)\s*đồng"#,
                          #"\bngày\s+\d{1,2}/\d{1,2}"#, #"(?:ông|bà)\s+\p{L}+\s+\p{L}+"#, #"phó\s+chủ tịch"#,
                          #"\(ttxvn\)|\(t/h\)"#, #"\bpv\b"#]

    func testPrefilteredMatcherFindsExactlyWhatANaiveScanFinds() throws {
        var specs: [PatternSpec] = []
        var naive: [PCRE2Pattern] = []
        for term in Self.terms {
            let folded = Vietnamese.normalize(term)
            specs.append(PatternSpec(source: .terms([(Array(folded.utf8), 1)]), diacriticFree: false))
            naive.append(try PCRE2Pattern(Self.boundedTermPattern(folded)))
        }
        for source in Self.regexes {
            let literals = RegexLiterals.required(in: source)?.map { Array(Vietnamese.normalize($0).utf8) }
            XCTAssertNotNil(literals, "no prefilter literal for \(source)")
            specs.append(PatternSpec(source: .regex(try PCRE2Pattern(source), prefilter: literals), diacriticFree: false))
            naive.append(try PCRE2Pattern(source))
        }
        let database = MatchDatabase(patterns: specs)
        var compared = 0, hitsSeen = 0
        let files = ["dantri-10cat.jsonl", "baomoi-aggregator.jsonl", "danes-unlabeled-516-domains.jsonl"]
        for text in try files.flatMap(corpusArticles) {
            let original = Array(text.utf8)
            let normalized = NormalizedText(normalizing: original)
            let scan = DocumentScan(database: database, normalized: normalized.bytes, diacriticFree: nil)
            let whole = [0..<normalized.bytes.count]
            normalized.bytes.withUnsafeBufferPointer { buffer in
                for (index, pattern) in naive.enumerated() {
                    let fast = scan.hits(pattern: index, in: whole)
                    guard case .complete(let expected) = pattern.matches(in: buffer, starts: 0..<buffer.count) else {
                        return XCTFail("naive scan hit a limit")
                    }
                    XCTAssertEqual(fast.hits.map(\.range), expected, "pattern \(index) on: \(text.prefix(80))")
                    XCTAssertNil(fast.incomplete)
                    compared += 1
                    for hit in fast.hits {
                        hitsSeen += 1
                        // The original bytes at the reported offsets normalize to exactly what matched.
                        let excerpt = original[normalized.map.sourceRange(of: hit.range)]
                        let matched = String(decoding: normalized.bytes[hit.range], as: UTF8.self)
                        XCTAssertEqual(Vietnamese.normalize(String(decoding: excerpt, as: UTF8.self)),
                                       matched.trimmingCharacters(in: .whitespacesAndNewlines))
                    }
                }
            }
        }
        XCTAssertGreaterThan(compared, 200_000)
        XCTAssertGreaterThan(hitsSeen, 10_000)
    }

    /// The naive equivalent of a term: the same text, not touching another letter, digit or mark.
    static func boundedTermPattern(_ term: String) -> String {
        let escaped = term.unicodeScalars.map { "\\^$.|?*+()[]{}/#-".unicodeScalars.contains($0) ? "\\\($0)" : String($0) }.joined()
        let word = #"[\p{L}\p{M}\p{N}]"#
        let first = term.unicodeScalars.first.map(Vietnamese.isWordScalar) ?? false
        let last = term.unicodeScalars.last.map(Vietnamese.isWordScalar) ?? false
        // The matcher lets a line break stand for a space inside a phrase (wrapped lines).
        let spaced = escaped.replacingOccurrences(of: " ", with: "[ \\n]")
        return (first ? "(?<!\(word))" : "") + spaced + (last ? "(?!\(word))" : "")
    }
}
