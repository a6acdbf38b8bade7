import TonchiTestSupport
import XCTest
@testable import TonchiMatch

final class AhoCorasickTests: XCTestCase {
    struct Hit: Hashable, Comparable {
        let pattern: Int, end: Int
        static func < (a: Hit, b: Hit) -> Bool { (a.end, a.pattern) < (b.end, b.pattern) }
    }

    private func engine(_ ac: AhoCorasick, _ text: [UInt8]) -> [Hit] {
        var hits: [Hit] = []
        ac.forEachMatch(in: text) { hits.append(Hit(pattern: $0, end: $1)) }
        return hits
    }

    /// Every (pattern, end) by trying every pattern at every position.
    private func naive(_ patterns: [[UInt8]], _ text: [UInt8]) -> [Hit] {
        var byFirst = [[Int]](repeating: [], count: 256)
        for (id, p) in patterns.enumerated() where !p.isEmpty { byFirst[Int(p[0])].append(id) }
        var hits: [Hit] = []
        text.withUnsafeBufferPointer { t in
            for i in 0..<t.count {
                candidates: for id in byFirst[Int(t[i])] {
                    let p = patterns[id]
                    guard i + p.count <= t.count else { continue }
                    for j in 1..<max(p.count, 1) where t[i + j] != p[j] { continue candidates }
                    hits.append(Hit(pattern: id, end: i + p.count))
                }
            }
        }
        return hits
    }

    /// (end, pattern) packed in one Int, sorted: cheap to compare even in debug builds.
    private func keys(_ hits: [Hit]) -> [Int] { hits.map { $0.end << 24 | $0.pattern }.sorted() }

    /// Both table layouts against the naive search.
    private func assertSame(_ patterns: [[UInt8]], _ text: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        let expected = keys(naive(patterns, text))
        assertSame(AhoCorasick(patterns: patterns, compact: false), expected, text, file: file, line: line)
        assertSame(AhoCorasick(patterns: patterns, compact: true), expected, text, file: file, line: line)
    }

    private func assertSame(_ ac: AhoCorasick, _ expected: [Int], _ text: [UInt8], file: StaticString, line: UInt) {
        let got = engine(ac, text)
        let layout = ac.usesCompactTable ? "16-bit" : "32-bit"
        // Promised order: ends never go backwards.
        XCTAssertTrue(zip(got, got.dropFirst()).allSatisfy { $0.end <= $1.end }, "\(layout): ends out of order", file: file, line: line)
        let actual = keys(got)
        XCTAssertEqual(actual.count, expected.count, "\(layout): match count", file: file, line: line)
        XCTAssertTrue(actual == expected, "\(layout): different (pattern, end) pairs", file: file, line: line)
    }

    func testClassicOverlaps() {
        let patterns = ["he", "she", "his", "hers"].map(bytes)
        let ac = AhoCorasick(patterns: patterns)
        XCTAssertEqual(ac.patternCount, 4)
        XCTAssertEqual(engine(ac, bytes("ushers")).sorted(),
                       [Hit(pattern: 0, end: 4), Hit(pattern: 1, end: 4), Hit(pattern: 3, end: 6)])
        assertSame(patterns, bytes("ushers she his hershe"))
    }

    func testEmptyDuplicateAndNestedPatterns() {
        let patterns = ["", "tòa soạn", "soạn", "tòa soạn", "ạ", "a", ""].map(bytes)
        let ac = AhoCorasick(patterns: patterns)
        let hits = engine(ac, bytes("tòa soạn"))
        XCTAssertFalse(hits.contains { $0.pattern == 0 || $0.pattern == 6 }, "empty patterns never match")
        XCTAssertEqual(Set(hits.filter { $0.end == 11 }.map(\.pattern)), [1, 2, 3])
        assertSame(patterns, bytes("tòa soạn, tòa soạn báo; soạn thảo"))
        XCTAssertTrue(engine(AhoCorasick(patterns: []), bytes("abc")).isEmpty)
        XCTAssertTrue(engine(AhoCorasick(patterns: [[]]), bytes("abc")).isEmpty)
        XCTAssertTrue(engine(ac, []).isEmpty)
    }

    func testEveryByteValue() {
        // All 256 bytes in use: no shared "other" class.
        let patterns = (0..<256).map { [UInt8($0)] } + [[0, 255], [255, 255, 255]]
        var text: [UInt8] = []
        for i in 0..<5000 { text.append(UInt8(truncatingIfNeeded: i &* 7919 >> 3)) }
        text += [255, 255, 255, 255]
        assertSame(patterns, text)
    }

    func testLaneSeamsAtEveryLength() {
        // Text lengths around the lane thresholds, with matches straddling the split points.
        let patterns = ["abab", "bab", "ba", "aaaaaaaaaaaaaaaaaaaab", "b"].map(bytes)
        var rng = SplitMix(seed: 7)
        for n in stride(from: 0, through: 3000, by: 37) + [255, 256, 257, 1023, 1024, 1025, 4096] {
            let text = (0..<n).map { _ in rng.next() % 5 == 0 ? UInt8(ascii: "b") : UInt8(ascii: "a") }
            assertSame(patterns, text)
        }
        // A long pattern raises the warm-up; lanes must still agree with the naive search.
        let long = [String(repeating: "ab", count: 300)].map(bytes) + patterns
        for n in [1200, 9000, 20_000, 40_000] {
            assertSame(long, Array(String(repeating: "ab", count: n / 2).utf8))
        }
    }

    func testAgainstNaiveOnCorpus() throws {
        let docs = try Corpus.bodies(limit: 40)
        // Real phrases, plus their prefixes and suffixes so that patterns overlap and nest.
        var rng = SplitMix(seed: 2024)
        var set = Set<[UInt8]>()
        let words = docs.prefix(40).flatMap { String(decoding: $0, as: UTF8.self).split(separator: " ").map(String.init) }
        while set.count < 300 {
            let k = 1 + Int(rng.next() % 3)
            let i = Int(rng.next() % UInt64(words.count - k))
            let phrase = bytes(words[i..<(i + k)].joined(separator: " "))
            set.insert(phrase)
            if phrase.count > 4 { set.insert(Array(phrase.suffix(3))); set.insert(Array(phrase.prefix(4))) }
        }
        var patterns = set.sorted { $0.lexicographicallyPrecedes($1) }
        patterns += ["he", "she", "hers", "n", "ng", "nguyễn", "người"].map(bytes)
        let whole = Array(docs.joined(separator: [10]))  // long: four lanes
        XCTAssertGreaterThan(whole.count, 50_000)
        assertSame(patterns, whole)
        for d in docs.prefix(25) { assertSame(patterns, d) }  // document-sized: one, two or four lanes
        // Some hits from every kind, so the comparison is not vacuous.
        XCTAssertGreaterThan(naive(patterns, whole).count, 5_000)
    }

    func testThousandsOfPatterns() throws {
        let docs = try Corpus.bodies(limit: 60)
        let text = Array(docs.joined(separator: [10]))
        var rng = SplitMix(seed: 99)
        var set = Set<[UInt8]>()
        while set.count < 3000 {
            let start = Int(rng.next() % UInt64(text.count - 40))
            var len = 2 + Int(rng.next() % 20)
            var s = start
            while s < text.count, text[s] & 0xC0 == 0x80 { s += 1 }
            while s + len < text.count, text[s + len] & 0xC0 == 0x80 { len += 1 }
            set.insert(Array(text[s..<min(text.count, s + len)]))
        }
        let patterns = Array(set)
        let ac = AhoCorasick(patterns: patterns)
        XCTAssertEqual(ac.patternCount, 3000)
        assertSame(patterns, Array(text.prefix(40_000)))
    }
}
