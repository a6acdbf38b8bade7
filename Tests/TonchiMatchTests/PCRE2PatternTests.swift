import Dispatch
import Foundation
import XCTest
@testable import TonchiMatch

final class PCRE2PatternTests: XCTestCase {
    private func found(_ pattern: String, _ subject: String, caseless: Bool = true) throws -> [String] {
        let p = try PCRE2Pattern(pattern, caseless: caseless)
        let s = bytes(subject)
        return p.matches(in: s).ranges.map { String(decoding: s[$0], as: UTF8.self) }
    }

    func testJITIsUsed() throws {
        XCTAssertTrue(try PCRE2Pattern("tòa soạn").isJITCompiled)
    }

    func testWordBoundaryKnowsVietnameseLetters() throws {
        // Without UCP, ạ is a non-word byte sequence and "\bso\b" would match inside "soạn".
        XCTAssertEqual(try found("\\bsoạn\\b", "ban biên tập tòa soạn báo"), ["soạn"])
        XCTAssertEqual(try found("\\bso\\b", "tòa soạn"), [])
        XCTAssertEqual(try found("\\bđiện tử\\b", "báo điện tử, tạp chí điện tửx"), ["điện tử"])
        XCTAssertEqual(try found("\\w+", "ủy ban"), ["ủy", "ban"])
    }

    func testCaselessVietnamese() throws {
        XCTAssertEqual(try found("Đà Nẵng", "tin đà nẵng hôm nay"), ["đà nẵng"])
        XCTAssertEqual(try found("đà nẵng", "TIN ĐÀ NẴNG"), ["ĐÀ NẴNG"])
        XCTAssertEqual(try found("Đà Nẵng", "tin đà nẵng", caseless: false), [])
    }

    func testCompileErrorsReportByteOffsets() {
        func error(_ pattern: String) -> PCRE2Pattern.CompileError? {
            do { _ = try PCRE2Pattern(pattern); return nil } catch { return error as? PCRE2Pattern.CompileError }
        }
        let unmatched = error("tòa soạn)")
        XCTAssertEqual(unmatched?.patternOffset, "tòa soạn".utf8.count)  // bytes, not characters (8)
        XCTAssertEqual(unmatched?.code, 122)
        XCTAssertTrue(unmatched?.message.contains("unmatched closing parenthesis") ?? false, "\(String(describing: unmatched))")
        XCTAssertEqual(error("abc(def")?.patternOffset, 7)
        XCTAssertEqual(error("[abc")?.patternOffset, 4)
        XCTAssertEqual(error("a{2,1}")?.patternOffset, 5)
        XCTAssertEqual(error("x**")?.patternOffset, 2)
        XCTAssertEqual(error("\\p{Xyz}")?.patternOffset, 7)
        XCTAssertNotNil(error("a\\Cb"), "\\C could split a character")
        XCTAssertNil(error("(?<=theo )ttxvn"))
    }

    func testMinimumMatchLength() throws {
        XCTAssertEqual(try PCRE2Pattern("tòa").minimumMatchLength, 3)  // characters
        XCTAssertEqual(try PCRE2Pattern("x*").minimumMatchLength, 0)
        XCTAssertEqual(try PCRE2Pattern("").minimumMatchLength, 0)
        XCTAssertEqual(try PCRE2Pattern("ab|c\\d+").minimumMatchLength, 2)
    }

    func testEmptyMatchesAdvanceByWholeCharacters() throws {
        XCTAssertEqual(try PCRE2Pattern("x*").matches(in: bytes("axxb")), .complete([0..<0, 1..<3, 3..<3, 4..<4]))
        // đ is 2 bytes, ạ is 3: empty matches land only on character boundaries.
        XCTAssertEqual(try PCRE2Pattern("").matches(in: bytes("đạ")), .complete([0..<0, 2..<2, 5..<5]))
        XCTAssertEqual(try PCRE2Pattern("\\b").matches(in: bytes("tòa soạn")), .complete([0..<0, 4..<4, 5..<5, 11..<11]))
        XCTAssertEqual(try PCRE2Pattern("x*").matches(in: [UInt8]()), .complete([0..<0]))
        XCTAssertEqual(try PCRE2Pattern("x").matches(in: [UInt8]()), .complete([]))
    }

    func testEmptyPatternOnCorpusTerminates() throws {
        let doc = try Corpus.bodies(limit: 1)[0]
        let ranges = try PCRE2Pattern("").matches(in: doc).ranges
        let characters = String(decoding: doc, as: UTF8.self).unicodeScalars.count
        XCTAssertEqual(ranges.count, characters + 1)
    }

    func testStartsRangeBoundsStartsOnly() throws {
        let p = try PCRE2Pattern("soạn báo")
        let s = bytes("tòa soạn báo")
        let at = "tòa ".utf8.count
        s.withUnsafeBufferPointer { buf in
            // The match may run past starts.upperBound…
            XCTAssertEqual(p.matches(in: buf, starts: 0..<(at + 1)), .complete([at..<s.count]))
            // …but must start inside it.
            XCTAssertEqual(p.matches(in: buf, starts: 0..<at), .complete([]))
            XCTAssertEqual(p.matches(in: buf, starts: (at + 1)..<s.count), .complete([]))
        }
        // Text before `starts` is still context for \b and lookbehind.
        let word = try PCRE2Pattern("\\boạn")
        s.withUnsafeBufferPointer { buf in
            XCTAssertEqual(word.matches(in: buf, starts: (at + 1)..<s.count), .complete([]))
        }
        let behind = try PCRE2Pattern("(?<=tòa )soạn")
        s.withUnsafeBufferPointer { buf in
            XCTAssertEqual(behind.matches(in: buf, starts: at..<s.count), .complete([at..<(at + "soạn".utf8.count)]))
        }
        // A start inside a character moves to the next character rather than breaking UTF-8 rules.
        let any = try PCRE2Pattern(".")
        s.withUnsafeBufferPointer { buf in
            XCTAssertEqual(any.matches(in: buf, starts: 2..<3).ranges, [])  // byte 2 is inside ò
            XCTAssertEqual(any.matches(in: buf, starts: 2..<4).ranges, [3..<4])
        }
    }

    func testCatastrophicPatternHitsTheLimitAndKeepsEarlierMatches() throws {
        let p = try PCRE2Pattern("x|(a+)+$")
        let subject = bytes("x x " + String(repeating: "a", count: 20_000) + "b")
        let started = DispatchTime.now().uptimeNanoseconds
        let outcome = p.matches(in: subject)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        guard case .limitExceeded(let ranges, let reason) = outcome else {
            return XCTFail("expected the match limit to stop \(outcome)")
        }
        XCTAssertEqual(ranges, [0..<1, 2..<3])
        XCTAssertTrue(reason.contains("limit"), reason)
        XCTAssertLessThan(seconds, 5)
        // A tighter limit stops sooner; a generous one still stops (never hangs).
        let tight = p.matches(in: subject, limits: .init(matchLimit: 1_000, depthLimit: 1_000))
        if case .complete = tight { XCTFail("tight limit not applied") }
    }

    func testDepthLimitOnTheInterpreterPath() throws {
        // After an empty match the retry is anchored, which PCRE2 runs in the interpreter, where
        // the depth limit applies: `(a|b)*c` over a long run nests one frame per character.
        let p = try PCRE2Pattern("|(a|b)*c")
        let subject = bytes(String(repeating: "ab", count: 50_000))
        let outcome = p.matches(in: subject, limits: .init(matchLimit: 10_000_000, depthLimit: 100))
        guard case .limitExceeded(let ranges, let reason) = outcome else { return XCTFail("expected a limit: \(outcome)") }
        XCTAssertEqual(reason, "depth limit exceeded")
        XCTAssertEqual(ranges, [0..<0])
        // Such nesting under JIT runs into the JIT stack instead: still no crash.
        let jit = try PCRE2Pattern("(a|b)*(?=x)")
        XCTAssertEqual(jit.matches(in: subject), .limitExceeded([], reason: "JIT stack limit exceeded"))
    }

    func testManyThreadsShareOnePattern() throws {
        let docs = try Corpus.bodies(limit: 120)
        let p = try PCRE2Pattern("\\b(?:việt nam|hà nội|thành phố|người)\\b")
        let expected = docs.map { p.matches(in: $0) }
        XCTAssertGreaterThan(expected.reduce(0) { $0 + $1.ranges.count }, 100)
        let results = ResultBox(count: 16)
        DispatchQueue.concurrentPerform(iterations: 16) { t in
            var ok = true
            for round in 0..<3 {
                for (i, d) in docs.enumerated() where (i + t + round) % 2 == 0 {
                    if p.matches(in: d) != expected[i] { ok = false }
                }
            }
            results.set(t, ok)
        }
        XCTAssertEqual(results.all, Array(repeating: true, count: 16))
    }

    func testRealisticPatternsOnCorpus() throws {
        let docs = try Corpus.bodies("baomoi-aggregator.jsonl", limit: 400)
        let p = try PCRE2Pattern("\\((?:ttxvn|t/h|tổng hợp)\\)\\s*$")
        var hits = 0
        for d in docs {
            for r in p.matches(in: d).ranges {
                hits += 1
                XCTAssertEqual(d[r.lowerBound], UInt8(ascii: "("))
            }
        }
        XCTAssertGreaterThan(hits, 5, "source attributions at line ends are common in this corpus")
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Bool]
    init(count: Int) { values = Array(repeating: false, count: count) }
    func set(_ i: Int, _ v: Bool) { lock.lock(); values[i] = v; lock.unlock() }
    var all: [Bool] { lock.lock(); defer { lock.unlock() }; return values }
}
