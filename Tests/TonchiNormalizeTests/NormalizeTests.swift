import Foundation
import TonchiCore
import TonchiNormalize
import TonchiTestSupport
import XCTest

/// Normalizes `input` and returns the view as a String plus the text.
private func view(_ input: String, strip: Bool = false) -> (String, NormalizedText) {
    let text = NormalizedText(normalizing: Array(input.utf8), options: strip ? .stripDiacritics : [])
    return (String(decoding: text.bytes, as: UTF8.self), text)
}

private func norm(_ input: String, strip: Bool = false) -> String { view(input, strip: strip).0 }

/// The original text behind a span of the view.
private func source(_ input: String, _ text: NormalizedText, _ range: Range<Int>) -> String {
    let bytes = Array(input.utf8)
    return String(decoding: bytes[text.map.sourceRange(of: range)], as: UTF8.self)
}

/// Byte range of the first occurrence of `needle` in the view.
private func find(_ needle: String, in text: NormalizedText) -> Range<Int>? {
    let n = Array(needle.utf8), h = text.bytes
    guard n.count <= h.count else { return nil }
    for i in 0...(h.count - n.count) where h[i..<(i + n.count)].elementsEqual(n) { return i..<(i + n.count) }
    return nil
}

final class NormalizeTests: XCTestCase {
    // MARK: NFC

    func testComposesDecomposedLetters() {
        XCTAssertEqual(norm("Vie\u{0323}\u{0302}t Nam"), "việt nam")
        XCTAssertEqual(norm("Vie\u{0302}\u{0323}t"), "việt")             // non-canonical mark order
        XCTAssertEqual(norm("vi\u{1EB9}\u{0302}t"), "việt")               // ẹ + circumflex, as in dantri
        XCTAssertEqual(norm("nh\u{00EA}\u{0301}"), "nhế")                 // Windows-1258 style base + tone
        XCTAssertEqual(norm("ca\u{0301}c"), "các")
        XCTAssertEqual(norm("u\u{031B}\u{0323}"), "ự")
        XCTAssertEqual(norm("a\u{0341}"), "á")                            // U+0341 is a singleton for U+0301
        XCTAssertEqual(norm("e\u{0301}\u{0302}"), "é\u{0302}")            // same class: no reordering, NFC keeps it
        XCTAssertEqual(norm("\u{212B}ngstr\u{00F6}m"), "ångström")         // ANGSTROM SIGN singleton
        XCTAssertEqual(norm("=\u{0338}"), "≠")
        XCTAssertEqual(norm("\u{0439}"), "й")
        XCTAssertEqual(norm("\u{0418}\u{0306}"), "й")                     // Cyrillic through Foundation, folded
        XCTAssertEqual(norm("\u{1100}\u{1161}\u{11A8}"), "각")             // Hangul jamo
    }

    func testMarkAfterAFastCopiedLetter() {
        // The fast loop copies letters before it sees the mark; the letter must come back as the base.
        XCTAssertEqual(norm("ab e\u{0302}"), "ab ê")
        XCTAssertEqual(norm("huy\u{1EB9}\u{0302}n"), "huyện")
        XCTAssertEqual(norm("\u{1EB9}\u{0302}"), "ệ")
        XCTAssertEqual(norm("Đ\u{0323}"), "đ\u{0323}")
        XCTAssertEqual(norm("x \u{0301}"), "x \u{0301}")
        XCTAssertEqual(norm("a\t\u{00E2}\u{0301}"), "a ấ")
        // Two-byte letters past the Latin tables (IPA, small capitals) take the general path.
        XCTAssertEqual(norm("Gɪɑп ᴄ ʀ"), "gɪɑп ᴄ ʀ")
        XCTAssertEqual(norm("\u{0245}\u{024F}\u{0250}"), "\u{028C}\u{024F}\u{0250}")
    }

    func testComposedLetterIsOneSegment() {
        let input = "Vie\u{0323}\u{0302}t"
        let (s, text) = view(input)
        XCTAssertEqual(s, "việt")
        let letter = find("ệ", in: text)!
        // Any byte of the composed letter maps to all of e + U+0323 + U+0302.
        XCTAssertEqual(text.map.sourceRange(of: letter), 2..<7)
        XCTAssertEqual(text.map.sourceRange(of: letter.lowerBound..<(letter.lowerBound + 1)), 2..<7)
        XCTAssertEqual(source(input, text, 0..<text.bytes.count), input)
        XCTAssertEqual(text.map.sourceRange(of: 0..<2), 0..<2)
    }

    func testLatinCompositionAgreesWithFoundation() {
        // Random Latin bases with random marks, including reorderings the tables must handle.
        // canonicalForm is plain NFC here: a single cluster never holds an o/u + toned a/e/y pair.
        var rng = SplitMix(seed: 7)
        let bases: [UInt32] = Array(0x41...0x5A) + Array(0x61...0x7A) + [0xC2, 0xCA, 0xD4, 0xE2, 0xEA, 0xF4, 0x1A0, 0x1A1,
            0x1AF, 0x1B0, 0x102, 0x103, 0x1EA1, 0x1EB9, 0x1ECD, 0x1EE5, 0x1EC7, 0xA8, 0x3D, 0x3C, 0x1E36, 0x1E5A]
        let marks: [UInt32] = [0x300, 0x301, 0x302, 0x303, 0x306, 0x307, 0x308, 0x309, 0x30A, 0x30C, 0x31B,
                               0x323, 0x327, 0x328, 0x331, 0x338, 0x340, 0x341, 0x342, 0x344, 0x345, 0x35C]
        for _ in 0..<3000 {
            var scalars = [bases[rng.next(bases.count)]]
            for _ in 0..<(1 + rng.next(3)) { scalars.append(marks[rng.next(marks.count)]) }
            let s = String(String.UnicodeScalarView(scalars.map { Unicode.Scalar($0)! }))
            let expected = s.precomposedStringWithCanonicalMapping
            let got = Vietnamese.canonicalForm(s)
            XCTAssertTrue(got.unicodeScalars.elementsEqual(expected.unicodeScalars),
                          "\(scalars.map { String($0, radix: 16) }): \(got.unicodeScalars.map(\.value)) vs \(expected.unicodeScalars.map(\.value))")
        }
    }

    func testSingleScalarTablesAgreeWithFoundation() {
        // Every BMP scalar alone, and after "a", must come out as Foundation's NFC.
        var mismatches: [String] = []
        for v in UInt32(0x80)..<0x10000 {
            guard let u = Unicode.Scalar(v) else { continue }
            let s = "a" + String(u)
            let got = Vietnamese.canonicalForm(s)
            if !got.unicodeScalars.elementsEqual(s.precomposedStringWithCanonicalMapping.unicodeScalars) {
                mismatches.append(String(v, radix: 16))
            }
        }
        XCTAssertEqual(mismatches, [])
    }

    // MARK: Case

    func testCaseFolding() {
        XCTAssertEqual(norm("ĐẢNG CỘNG SẢN VIỆT NAM"), "đảng cộng sản việt nam")
        XCTAssertEqual(norm("Đ"), "đ")
        XCTAssertNotEqual(norm("Đ"), "d")
        XCTAssertEqual(norm("ƯƠ Ă Â Ê Ô Ơ"), "ươ ă â ê ô ơ")
        XCTAssertEqual(norm("ΑΘΗΝΑ Москва"), "αθηνα москва")
        XCTAssertEqual(norm("\u{212A}"), "k")                               // KELVIN SIGN
        // Same-length folding keeps the map as one identity segment.
        let (_, text) = view("VIỆT NAM")
        XCTAssertEqual(text.map.segmentCount, 1)
    }

    // MARK: Tone placement

    func testOldStyleTonesMoveToFirstVowel() {
        let cases = ["hoá": "hóa", "thuỷ": "thủy", "toà": "tòa", "khoẻ": "khỏe", "uỷ": "ủy", "loé": "lóe",
                     "tuỳ": "tùy", "hoạ": "họa", "HOÁ": "hóa", "Thuỷ": "thủy", "hoã": "hõa", "thuỹ": "thũy",
                     "hoá học": "hóa học", "hoá.": "hóa.", "(toà)": "(tòa)", "hoá\n": "hóa\n"]
        for (input, expected) in cases { XCTAssertEqual(norm(input), expected, input) }
    }

    func testToneStaysWhereItBelongs() {
        for word in ["quý", "quỳ", "quỹ", "QUÝ", "hoàn", "hoạt", "thuyền", "khuya", "khuỷu", "ngoài", "xoáy",
                     "thuở", "hoặc", "tuế", "hóa", "thủy", "quá", "buổi", "ngoằn"] {
            XCTAssertEqual(norm(word), word.lowercased(), word)
        }
    }

    func testDecomposedOldToneIsMoved() {
        XCTAssertEqual(norm("hoa\u{0301}"), "hóa")
        XCTAssertEqual(norm("thuy\u{0309}"), "thủy")
        XCTAssertEqual(norm("HOA\u{0301}"), "hóa")
    }

    func testMovedPairIsOneSegment() {
        let input = "cơ giới hoá nông nghiệp"
        let (s, text) = view(input)
        XCTAssertEqual(s, "cơ giới hóa nông nghiệp")
        let o = find("ó", in: text)!
        // The tone moved between two letters, so either letter maps to both.
        XCTAssertEqual(source(input, text, o), "oá")
        XCTAssertEqual(source(input, text, (o.upperBound)..<(o.upperBound + 1)), "oá")
        XCTAssertEqual(source(input, text, find("hóa", in: text)!), "hoá")
        XCTAssertEqual(source(input, text, find("nông", in: text)!), "nông")
    }

    // MARK: Whitespace and invisible characters

    func testWhitespaceRuns() {
        XCTAssertEqual(norm("a  \t b"), "a b")
        XCTAssertEqual(norm("a \r\n  b"), "a\nb")
        XCTAssertEqual(norm("a\u{00A0}b\u{2009}c\u{202F}d\u{3000}e\u{205F}f"), "a b c d e f")
        XCTAssertEqual(norm("a\u{2028}b\u{2029}c\u{0085}d\re"), "a\nb\nc\nd\ne")
        XCTAssertEqual(norm("a\u{0001}\u{0002}b"), "a b")
        XCTAssertEqual(norm("  a  "), " a ")
        XCTAssertEqual(norm("a\n\n\nb"), "a\nb")
        // Runs ended by each kind of scalar the fast loop copies, and by a space it must not copy.
        XCTAssertEqual(norm("a \t\u{00C0}b  ốc\u{00A0} ệ  x \u{1680}y"), "a àb ốc ệ x y")
        XCTAssertEqual(norm("a  o  u  q"), "a o u q")
    }

    func testWhitespaceRunMapsToWholeRun() {
        let input = "báo \u{00A0}\t điện"
        let (s, text) = view(input)
        XCTAssertEqual(s, "báo điện")
        let space = find(" ", in: text)!
        XCTAssertEqual(source(input, text, space), " \u{00A0}\t ")
        XCTAssertEqual(source(input, text, find("điện", in: text)!), "điện")
    }

    func testZeroWidthRemoved() {
        XCTAssertEqual(norm("c\u{200B}ộng\u{200C} s\u{200D}ản\u{2060} \u{FEFF}x"), "cộng sản x")
        XCTAssertEqual(norm("phóng\u{00AD}viên"), "phóngviên")
        XCTAssertEqual(norm("a \u{200B} b"), "a b")                     // no double space
        XCTAssertEqual(norm("ho\u{200B}á"), "hóa")                        // invisible inside the pair: still one syllable
        XCTAssertEqual(norm("hoá\u{200B} x"), "hóa x")
        XCTAssertEqual(norm("hoá\u{200B}n"), "hoán")
        let input = "x\u{200B}y"
        let (_, text) = view(input)
        XCTAssertEqual(text.bytes, Array("xy".utf8))
        XCTAssertEqual(source(input, text, 0..<1), "x")
        XCTAssertEqual(source(input, text, 1..<2), "y")
        XCTAssertEqual(text.map.sourceEnd, input.utf8.count)
    }

    func testOrdinaryTextKeepsTheMapSmall() {
        // Single spaces, single newlines and same-length case folding all count as copied bytes.
        let (s, text) = view("Việt Nam là một quốc gia.\nHà Nội là THỦ ĐÔ, có 8 triệu dân (2023).")
        XCTAssertEqual(s, "việt nam là một quốc gia.\nhà nội là thủ đô, có 8 triệu dân (2023).")
        XCTAssertEqual(text.map.segmentCount, 1)
    }

    // MARK: Invalid UTF-8

    func testInvalidBytesBecomeReplacementMappedToThem() {
        let input: [UInt8] = Array("ab".utf8) + [0xFF] + Array("c".utf8) + [0xE1, 0xBA] + Array(" d".utf8) + [0xC3]
        let text = NormalizedText(normalizing: input)
        XCTAssertEqual(String(decoding: text.bytes, as: UTF8.self), "ab\u{FFFD}c\u{FFFD} d\u{FFFD}")
        XCTAssertEqual(text.map.sourceRange(of: 2..<5), 2..<3)
        XCTAssertEqual(text.map.sourceRange(of: 6..<9), 4..<6)          // truncated sequence: one U+FFFD
        XCTAssertEqual(text.map.sourceRange(of: 9..<11), 6..<8)
        XCTAssertEqual(text.map.sourceRange(of: 11..<14), 8..<9)
    }

    func testRandomBytesNeverCrashAndAgreeWithSwiftDecoding() {
        var rng = SplitMix(seed: 42)
        let alphabet: [[UInt8]] = [[0x61], [0x6F], [0x20], [0x0A], [0xFF], [0x80], [0xC3], [0xC3, 0xA1], [0xE1], [0xE1, 0xBA],
                                   [0xE1, 0xBB, 0xB7], [0xCC, 0x81], [0xCC, 0xA3], [0xED, 0xA0, 0x80], [0xF0, 0x9F],
                                   [0xF0, 0x9F, 0x98, 0x80], [0xE2, 0x80, 0x8B], [0xC2, 0xA0], [0x75], [0x79], [0x71]]
        for _ in 0..<2000 {
            var input: [UInt8] = []
            for _ in 0..<rng.next(24) { input += alphabet[rng.next(alphabet.count)] }
            let text = NormalizedText(normalizing: input)
            // Valid UTF-8 is exactly what survives a decode/encode round trip unchanged.
            XCTAssertEqual(Array(String(decoding: text.bytes, as: UTF8.self).utf8), text.bytes, "\(input)")
            XCTAssertEqual(text.map.derivedLength, text.bytes.count)
            XCTAssertEqual(text.map.sourceEnd, input.count)
            // The byte pipeline and the String pipeline see the same text.
            let viaString = Vietnamese.normalize(String(decoding: input, as: UTF8.self))
            let trimmed = String(decoding: text.bytes, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \n"))
            XCTAssertEqual(viaString, trimmed, "\(input)")
        }
    }

    func testInvisibleInsertionsDoNotChangeTheView() {
        // A zero-width space between two scalars sends the text down other code paths (the fast
        // loop stops, holds and whitespace runs must carry across it); the view must not change.
        var rng = SplitMix(seed: 9)
        let pieces = ["a", "o", "u", "q", "y", "Q", "U", "O", "á", "ý", "ẻ", "Ố", "đ", "Đ", " ", "  ", "\t", "\n", "\r\n",
                      "\u{00A0}", "\u{1680}", "\u{2003}", "\u{3000}", "\u{200B}", "\u{00AD}", ".", "1", "ư", "ɪ", "ʀ",
                      "\u{1E9E}", "İ", "K", "\u{212A}", "Ω", "й", "中", "😀", "hoá", "thuỷ", "quý", "khuya"]
        for _ in 0..<10_000 {
            var parts: [String] = []
            for _ in 0..<(1 + rng.next(10)) { parts.append(pieces[rng.next(pieces.count)]) }
            let plain = parts.joined()
            let scalars = Array(plain.unicodeScalars)
            guard scalars.count > 1 else { continue }
            let at = 1 + rng.next(scalars.count - 1)
            var perturbed = String.UnicodeScalarView(scalars[..<at])
            perturbed.append("\u{200B}")
            perturbed.append(contentsOf: scalars[at...])
            for strip in [false, true] {
                XCTAssertEqual(norm(String(perturbed), strip: strip), norm(plain, strip: strip),
                               "\(plain.unicodeScalars.map { String($0.value, radix: 16) }) at \(at)")
            }
        }
    }

    // MARK: Diacritic-free view

    func testStripDiacritics() {
        XCTAssertEqual(norm("Phóng Viên", strip: true), "phong vien")
        XCTAssertEqual(norm("ĐƯỜNG ĐI", strip: true), "duong di")
        XCTAssertEqual(norm("Vie\u{0323}\u{0302}t Nam hoá", strip: true), "viet nam hoa")
        XCTAssertEqual(norm("Việt  Nam\u{200B}", strip: true), "viet nam")
        let input = "Tổng Biên tập"
        let (s, text) = view(input, strip: true)
        XCTAssertEqual(s, "tong bien tap")
        XCTAssertEqual(source(input, text, find("tong", in: text)!), "Tổng")
        XCTAssertEqual(source(input, text, find("bien", in: text)!), "Biên")
        XCTAssertEqual(Vietnamese.normalize("Phóng Viên", stripDiacritics: true), "phong vien")
    }

    // MARK: String entry points

    func testShortStringAPI() {
        XCTAssertEqual(Vietnamese.normalize("  Báo  ĐIỆN TỬ \n"), "báo điện tử")
        XCTAssertEqual(Vietnamese.normalize("\u{200B} "), "")
        XCTAssertEqual(Vietnamese.canonicalForm("HOÁ (học|chất)\\s+  Hoá"), "HÓA (học|chất)\\s+  Hóa")
        XCTAssertEqual(Vietnamese.canonicalForm("Vie\u{0323}\u{0302}t\tquý"), "Việt\tquý")
        XCTAssertEqual(Vietnamese.canonicalForm("a\u{200B}\u{00A0}b\r\n"), "a\u{200B}\u{00A0}b\r\n")
        XCTAssertTrue(Vietnamese.isNFC("Việt Nam hoá"))
        XCTAssertFalse(Vietnamese.isNFC("Vie\u{0323}\u{0302}t"))
        XCTAssertFalse(Vietnamese.isNFC("\u{212B}"))
        XCTAssertTrue(Vietnamese.isNFC("e\u{0301}\u{0302}".precomposedStringWithCanonicalMapping))
    }

    func testWordScalars() {
        for s in "aZ09đĐươệỹ" + "\u{0301}й中" { XCTAssertTrue(s.unicodeScalars.allSatisfy(Vietnamese.isWordScalar), "\(s)") }
        for s in " .,-_\u{00A0}“”…€\u{1F600}" { XCTAssertFalse(s.unicodeScalars.allSatisfy(Vietnamese.isWordScalar), "\(s)") }
        let bytes = Array("(việt) ươ".utf8)
        bytes.withUnsafeBufferPointer { b in
            XCTAssertFalse(Vietnamese.isWordCharacter(before: 0, in: b))
            XCTAssertFalse(Vietnamese.isWordCharacter(at: 0, in: b))
            XCTAssertTrue(Vietnamese.isWordCharacter(at: 1, in: b))
            XCTAssertFalse(Vietnamese.isWordCharacter(before: 1, in: b))
            let close = bytes.firstIndex(of: UInt8(ascii: ")"))!
            XCTAssertTrue(Vietnamese.isWordCharacter(before: close, in: b))   // ends with ệ + t
            XCTAssertTrue(Vietnamese.isWordCharacter(before: close - 1, in: b)) // before t: ệ, 3 bytes
            XCTAssertTrue(Vietnamese.isWordCharacter(before: b.count, in: b))  // ơ
            XCTAssertFalse(Vietnamese.isWordCharacter(at: b.count, in: b))
            XCTAssertFalse(Vietnamese.isWordCharacter(before: b.count + 1, in: b))
            XCTAssertFalse(Vietnamese.isWordCharacter(at: -1, in: b))
        }
    }

    func testWordIndex() {
        let text = NormalizedText(normalizing: Array("Báo điện tử, 24h; “Việt-Nam”!".utf8))
        text.bytes.withUnsafeBufferPointer { b in
            let words = WordIndex(b)
            XCTAssertEqual(words.count, 6)   // báo điện tử 24h việt nam
            XCTAssertEqual(words.ordinal(ofWordAtOrAfter: 0), 0)
            XCTAssertEqual(words.ordinal(ofWordAtOrAfter: 1), 0)          // inside "báo"
            let comma = text.bytes.firstIndex(of: UInt8(ascii: ","))!
            XCTAssertEqual(words.ordinal(ofWordAtOrAfter: comma), 3)       // the next word, "24h"
            XCTAssertEqual(words.ordinal(ofWordAtOrAfter: b.count), words.count)
            XCTAssertEqual(words.count(in: 0..<b.count), words.count)
            XCTAssertEqual(words.count(in: 0..<1), 1)
            XCTAssertEqual(words.count(in: 1..<comma), 2)                 // điện, tử
            XCTAssertEqual(words.count(in: comma..<comma), 0)
        }
        let empty = [UInt8]()
        empty.withUnsafeBufferPointer { XCTAssertEqual(WordIndex($0).count, 0) }
    }

    func testEmptyAndTinyInputs() {
        XCTAssertEqual(NormalizedText(normalizing: []).bytes, [])
        XCTAssertEqual(NormalizedText(normalizing: []).map.sourceRange(of: 0..<0), 0..<0)
        XCTAssertEqual(norm("\u{0301}"), "\u{0301}")
        XCTAssertEqual(norm(" \u{0301}a"), " \u{0301}a")
        XCTAssertEqual(norm("o"), "o")
        XCTAssertEqual(norm("q"), "q")
    }
}
