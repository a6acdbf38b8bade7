import TonchiTestSupport
import XCTest
@testable import TonchiMatch

final class RegexLiteralsTests: XCTestCase {
    private func lits(_ p: String) -> [String]? { RegexLiterals.required(in: p) }

    func testRunsAndQuantifiers() {
        XCTAssertEqual(lits("\\btòa soạn\\b"), ["tòa soạn"])
        XCTAssertEqual(lits("abc+d"), ["abc"])            // c is there at least once; d may follow more c's
        XCTAssertEqual(lits("ab?cde"), ["cde"])           // b optional: a and cde are not adjacent
        XCTAssertEqual(lits("giấy phép số \\d+"), ["giấy phép số "])
        XCTAssertEqual(lits("tạp chí (điện tử)?"), ["tạp chí "])
        XCTAssertEqual(lits("x{2,}yz"), ["yz"])
        XCTAssertEqual(lits("ab{0,3}cd"), ["cd"])
        XCTAssertEqual(lits("ab{1,3}cd"), ["ab"])            // equal length: the first one found stays
        XCTAssertEqual(lits("ab+?cdef"), ["cdef"])
        XCTAssertEqual(lits("ab*+cd"), ["cd"])
        XCTAssertEqual(lits("a{x}b"), ["a{x}b"])          // not a quantifier: literal braces
        XCTAssertNil(lits("a{,3}b"))                      // read differently across PCRE2 versions
        XCTAssertEqual(lits("covid-?19"), ["covid"])
        XCTAssertEqual(lits("\\d+%"), nil)
        XCTAssertEqual(lits("a|b"), nil)                  // one-byte literals are useless as filters
        XCTAssertEqual(lits("đ|b"), nil)                  // every branch must give one
    }

    func testGroupsAndAlternation() {
        XCTAssertEqual(lits("phóng viên|biên tập viên"), ["phóng viên", "biên tập viên"])
        XCTAssertEqual(lits("(?:phóng viên|biên tập viên) \\w+"), ["phóng viên", "biên tập viên"])
        XCTAssertEqual(lits("(?:t\\.p\\.|thành phố) hồ chí minh"), [" hồ chí minh"])
        XCTAssertEqual(lits("(tòa) soạn"), ["tòa soạn"])            // a plain group joins the run
        XCTAssertEqual(lits("(ab)+cd"), ["ab"])
        XCTAssertEqual(lits("x(ab)+"), ["xab"])
        XCTAssertEqual(lits("(?:ab|)cde"), ["cde"])
        XCTAssertEqual(lits("(?<tên>báo) chí"), ["báo chí"])
        XCTAssertEqual(lits("(?P<x>ab)c"), ["abc"])
        XCTAssertEqual(lits("(?>ab|cd)ef"), ["ef"])          // equal length: one literal beats two
        XCTAssertEqual(lits("(?i)việt nam"), ["việt nam"])
        XCTAssertEqual(lits("(?i:việt) nam"), ["việt nam"])
        XCTAssertEqual(lits("(?#ghi chú)thời sự"), ["thời sự"])
        XCTAssertEqual(lits("\\b(thời sự|tin nóng)\\b"), ["thời sự", "tin nóng"])
    }

    func testZeroWidthAndLookarounds() {
        XCTAssertEqual(lits("^theo\\b"), ["theo"])
        XCTAssertEqual(lits("(?<=theo )ttxvn"), ["ttxvn"])       // lookbehind text is outside the match
        XCTAssertEqual(lits("ttxvn(?! online)"), ["ttxvn"])
        XCTAssertNil(lits("(?=abc)"))
        XCTAssertEqual(lits("ab(?=c)de"), ["ab"])
    }

    func testEscapes() {
        XCTAssertEqual(lits("\\Qa.b\\E"), ["a.b"])
        XCTAssertEqual(lits("\\Qab\\E+c"), ["ab"])
        XCTAssertEqual(lits("\\x{1EA1}n"), ["ạn"])
        XCTAssertEqual(lits("t\\x41b"), ["tAb"])
        XCTAssertEqual(lits("a\\.b"), ["a.b"])
        XCTAssertEqual(lits("a\\tb"), ["a\tb"])
        XCTAssertEqual(lits("[abc]def"), ["def"])
        XCTAssertEqual(lits("[]a]bc"), ["bc"])
        XCTAssertEqual(lits("[[:alpha:]]xy"), ["xy"])
        XCTAssertEqual(lits("(ab)\\1cd"), ["ab"])
        XCTAssertEqual(lits("\\p{L}+ bộ"), [" bộ"])
        XCTAssertEqual(lits("\\d{1,2}/\\d{1,2}/20\\d\\d"), ["/20"])
    }

    func testGivesUpOnWhatItDoesNotModel() {
        XCTAssertNil(lits("ab\\Kcd"))          // \K moves the match start past "ab"
        XCTAssertNil(lits("(?(1)abc|def)"))
        XCTAssertNil(lits("(*UTF)abc"))
        XCTAssertNil(lits("(?x) a b c"))      // extended mode: spaces are not literal
        XCTAssertNil(lits("(?C1)abc"))
        XCTAssertNil(lits("abc\\u0041"))
        XCTAssertNil(lits("abc)"))
        XCTAssertNil(lits("(abc"))
        XCTAssertNil(lits("[abc"))
        XCTAssertNil(lits("*abc"))
        XCTAssertNil(lits("ab(?#c)+"))       // comments vanish, so + would bind to b
        XCTAssertNil(lits(""))
    }

    // MARK: - Soundness on real text

    /// Every PCRE2 match found in `docs` must contain one of the pattern's literals.
    /// Returns how many matches were checked.
    @discardableResult
    private func assertSound(_ pattern: String, _ docs: [[UInt8]], file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        guard let literals = RegexLiterals.required(in: pattern) else { return 0 }
        XCTAssertTrue(literals.allSatisfy { $0.utf8.count >= 2 }, file: file, line: line)
        let folded = literals.map { bytes(Corpus.fold($0)) }
        let compiled = try PCRE2Pattern(pattern)
        var checked = 0
        for d in docs {
            for r in compiled.matches(in: d).ranges {
                checked += 1
                if !folded.contains(where: { d.containsBytes($0, in: r) }) {
                    XCTFail("\(pattern): match \"\(String(decoding: d[r], as: UTF8.self))\" holds none of \(literals)", file: file, line: line)
                    return checked
                }
            }
        }
        return checked
    }

    func testSoundOnRulePatterns() throws {
        let docs = try Corpus.bodies(limit: 300) + Corpus.bodies("baomoi-aggregator.jsonl", limit: 300)
        let patterns = [
            "\\btòa soạn\\b", "phóng viên|biên tập viên", "\\b(?:thời sự|tin nóng)\\b",
            "\\((?:ttxvn|t/h|tổng hợp)\\)", "theo\\s+(?:vnexpress|tuổi trẻ|thanh niên)",
            "giấy phép số \\d+", "\\d+ (?:người|ca)", "(?:tp\\.?|thành phố) hồ chí minh",
            "(?i)việt nam", "covid-?19", "bộ (?:y tế|công an|tài chính)", "\\bhà nội\\b",
            "ngày \\d{1,2}/\\d{1,2}", "\\bủy ban nhân dân\\b", "(?<=theo )\\p{L}+ \\p{L}+",
            "chủ tịch \\p{L}+", "(?:đồng chí|ông|bà) \\p{Lu}?\\p{L}+", "tỷ (?:đồng|usd)",
            "học sinh(?: giỏi)?", "\\d+(?:\\.\\d+)* đồng", "(?:thủ tướng|chủ tịch nước) chính phủ",
            "nguyễn (?:văn|thị) \\w+", "[0-9]+%", "t\\.ư|trung ương", "(ab)+c|đại học",
        ]
        var total = 0
        var withLiterals = 0
        for p in patterns {
            if RegexLiterals.required(in: p) != nil { withLiterals += 1 }
            total += try assertSound(p, docs)
        }
        XCTAssertGreaterThan(withLiterals, patterns.count - 3)
        XCTAssertGreaterThan(total, 1_000, "enough real matches to mean something")
    }

    /// Patterns made by mutating real excerpts (so they do match the corpus): optional and
    /// repeated characters, classes, groups with alternatives, lookarounds, word boundaries.
    func testSoundOnMutatedExcerpts() throws {
        let docs = try Corpus.bodies(limit: 150)
        var rng = SplitMix(seed: 31337)
        var total = 0, analysed = 0, generated = 0
        while generated < 250 {
            let d = docs[Int(rng.next() % UInt64(docs.count))]
            let text = String(decoding: d, as: UTF8.self).unicodeScalars.filter { $0 != "\n" }
            guard text.count > 60 else { continue }
            let start = Int(rng.next() % UInt64(text.count - 40))
            let excerpt = Array(text.dropFirst(start).prefix(8 + Int(rng.next() % 24)))
            let pattern = mutate(excerpt[...], &rng, depth: 0)
            guard (try? PCRE2Pattern(pattern)) != nil else { continue }
            generated += 1
            if RegexLiterals.required(in: pattern) != nil { analysed += 1 }
            total += try assertSound(pattern, docs)
        }
        XCTAssertGreaterThan(analysed, 150, "most mutated excerpts keep a provable literal")
        XCTAssertGreaterThan(total, 250)
    }

    private func escaped(_ c: Unicode.Scalar) -> String {
        "\\^$.|?*+()[]{}".unicodeScalars.contains(c) ? "\\" + String(c) : String(c)
    }

    private func mutate(_ s: ArraySlice<Unicode.Scalar>, _ rng: inout SplitMix, depth: Int) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            let roll = rng.next() % 100
            switch roll {
            case 0..<55: out += escaped(c)
            case 55..<60: out += "."
            case 60..<64: out += escaped(c) + ["?", "??", "?+"][Int(rng.next() % 3)]
            case 64..<68: out += escaped(c) + ["+", "+?", "{1,2}", "{1}"][Int(rng.next() % 4)]
            case 68..<71: out += escaped(c) + ["*", "{0,2}", "*?"][Int(rng.next() % 3)]
            case 71..<74: out += c.properties.isAlphabetic ? "\\w" : (c == " " ? "\\s" : escaped(c))
            case 74..<77: out += "[" + escaped(c) + "xyz]"
            case 77..<80: out += "\\b" + escaped(c)
            case 80..<83: out += "(?=" + escaped(c) + ")" + escaped(c)
            case 83..<85: out += "(?<!qqq)" + escaped(c)
            default:
                guard depth < 3 else { out += escaped(c); break }
                let length = min(s.endIndex - i, 1 + Int(rng.next() % 8))
                let inner = mutate(s[i..<(i + length)], &rng, depth: depth + 1)
                let open = ["(", "(?:", "(?i:", "(?>", "(?<g\(depth)x\(i)>"][Int(rng.next() % 5)]
                let other = ["khác", "zz", "", "\\d+", "một lần"][Int(rng.next() % 5)]
                let alternatives = rng.next() % 2 == 0 ? inner : (rng.next() % 2 == 0 ? inner + "|" + other : other + "|" + inner)
                let quantifier = ["", "", "?", "+", "{1,3}", "*"][Int(rng.next() % 6)]
                out += open + alternatives + ")" + quantifier
                i += length
                continue
            }
            i += 1
        }
        return out
    }
}
