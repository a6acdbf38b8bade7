import TonchiCore

/// Vietnamese text from before Unicode: TCVN3 (ABC) and VNI font encodings, whose letters are
/// Latin-1 bytes that only the site's special font (.VnTime, VNI-Times) draws as Vietnamese, and
/// Windows-1258 text mislabelled as Windows-1252. The bytes come either raw (a page read as a
/// single-byte charset) or as Latin-1 characters in UTF-8 (a page converted from such a file).
///
/// Which reading is right is decided by words: every word holding a byte ≥ 0xA1 is read each
/// way, and the reading under which most words are possible Vietnamese syllables wins, if it
/// clearly beats the plain reading.
enum LegacyFont: String, Sendable {
    case tcvn3
    case vni

    var displayName: String { self == .tcvn3 ? "TCVN3" : "VNI" }
}

/// The units a legacy reading works on: one per byte of a single-byte page, or one per scalar
/// of UTF-8 text (its windows-1252 byte when it has one, else opaque).
struct LegacyUnits {
    static let opaque: UInt16 = 0xFFFF

    let source: [UInt8]
    /// How the bytes are read when no legacy reading applies: UTF-8, or a single-byte code page.
    let carrier: Charset
    private(set) var values: [UInt16] = []
    /// UTF-8 only: source start of each unit, with `source.count` at the end.
    private(set) var starts: [Int] = []

    init(source: [UInt8], carrier: Charset) {
        self.source = source
        self.carrier = carrier
        guard carrier == .utf8 else { return }
        values.reserveCapacity(source.count)
        starts.reserveCapacity(source.count + 1)
        var i = 0
        while i < source.count {
            starts.append(i)
            let (scalar, length) = UTF8Reader.scalar(in: source, at: i)
            if let scalar, let byte = Charset.cp1252Byte(of: scalar) {
                values.append(UInt16(byte))
            } else {
                values.append(LegacyUnits.opaque)
            }
            i += length
        }
        starts.append(source.count)
    }

    var count: Int { carrier == .utf8 ? values.count : source.count }

    @inline(__always) func value(_ i: Int) -> UInt16 { carrier == .utf8 ? values[i] : UInt16(source[i]) }

    @inline(__always) func range(_ i: Int) -> Range<Int> { carrier == .utf8 ? starts[i]..<starts[i + 1] : i..<(i + 1) }

    /// The unit as the carrier reads it.
    func plainScalar(_ i: Int) -> UInt32 {
        if carrier == .utf8 { return UTF8Reader.scalar(in: source, at: starts[i]).scalar ?? 0xFFFD }
        let b = source[i]
        return b < 0x80 ? UInt32(b) : carrier.highHalf[Int(b) - 0x80]
    }
}

enum LegacyReading: Equatable {
    /// The carrier's own reading (UTF-8 copied, single bytes through their code page).
    case plain
    case font(LegacyFont)
    case windows1258

    var font: LegacyFont? { if case .font(let font) = self { return font } else { return nil } }
}

struct LegacyVerdict {
    /// Distinct words holding a byte ≥ 0xA1 (two to twelve letters long).
    var words = 0
    /// Words that mix legacy bytes with real Unicode letters (a Unicode page quoting old text).
    var mixedWords = 0
    /// Words that are Vietnamese syllables read plainly, as TCVN3, as VNI, as windows-1258.
    var plain = 0
    var tcvn3 = 0
    var vni = 0
    var cp1258 = 0
    /// ASCII words right next to those words (same run of text), and how many are syllables:
    /// Vietnamese prose is syllables throughout, a Danish or German text is not.
    var neighbours = 0
    var syllableNeighbours = 0

    /// The reading to convert with, if one is clearly right for the whole text.
    var conversion: LegacyReading? {
        guard let (reading, score) = best, mixedWords * 10 <= words, isConvincing(score) else { return nil }
        return reading
    }

    /// A font encoding that shows but is not converted: part of a Unicode page.
    var partialFont: LegacyFont? {
        guard conversion == nil, let (reading, score) = best, case .font(let font) = reading,
              isConvincing(score, outOf: words - mixedWords) else { return nil }
        return font
    }

    /// Real legacy text reads as syllables nine words in ten or better (checked on 400 news
    /// articles in each encoding); twenty-odd other languages read as legacy text stay under
    /// nine, and their ASCII words around are not syllables (Vietnamese ones mostly are).
    private func isConvincing(_ score: Int, outOf total: Int? = nil) -> Bool {
        let total = total ?? words
        guard total >= 5, score >= plain + max(2, total / 4) else { return false }
        if score * 10 >= total * 9 { return true }
        return score * 10 >= total * 8 && neighbours >= 4 && syllableNeighbours * 2 >= neighbours
    }

    private var best: (LegacyReading, Int)? {
        let candidates: [(LegacyReading, Int)] = [(.font(.tcvn3), tcvn3), (.font(.vni), vni), (.windows1258, cp1258)]
        guard let top = candidates.max(by: { $0.1 < $1.1 }), top.1 > 0 else { return nil }
        return top
    }
}

enum LegacyDecoder {
    /// Words looked at; enough to decide, bounded for huge pages.
    static let maxWords = 4000

    static func verdict(_ units: LegacyUnits) -> LegacyVerdict {
        var verdict = LegacyVerdict()
        let n = units.count
        let readsCP1258 = units.carrier != .windows1258
        // The word before, for the neighbour count: where it ends, whether it is a plain ASCII
        // word, whether it is a legacy word, and whether it was counted already.
        var previous: (range: Range<Int>, ascii: Bool, legacy: Bool, counted: Bool)? = nil
        func isASCIISyllable(_ range: Range<Int>) -> Bool {
            VietnameseSyllable.isValid(range.lazy.map { UInt32(units.value($0)) })
        }
        func adjacent(_ before: Range<Int>, _ start: Int) -> Bool {
            guard start - before.upperBound <= 3 else { return false }
            for k in before.upperBound..<start where units.value(k) == 0x3C || units.value(k) == 0x3E || units.value(k) == 0x0A { return false }
            return true
        }
        var seen = Set<[UInt16]>()
        var i = 0
        while i < n && verdict.words < maxWords {
            guard isWordUnit(units.value(i)) else { i += 1; continue }
            let start = i
            var legacy = false, opaque = false
            while i < n, isWordUnit(units.value(i)) {
                let v = units.value(i)
                if v == LegacyUnits.opaque { opaque = true } else if v >= 0xA1 { legacy = true }
                i += 1
            }
            let range = start..<i
            let ascii = !legacy && !opaque && range.count >= 2
            // One-letter words prove nothing ("â" alone reads as "õ" in TCVN3).
            let candidate = legacy && range.count >= 2 && range.count <= 12
            var counted = false
            if candidate, let p = previous, p.ascii, !p.counted, adjacent(p.range, start) {
                verdict.neighbours += 1
                if isASCIISyllable(p.range) { verdict.syllableNeighbours += 1 }
            } else if ascii, let p = previous, p.legacy, adjacent(p.range, start) {
                verdict.neighbours += 1
                if isASCIISyllable(range) { verdict.syllableNeighbours += 1 }
                counted = true
            }
            previous = (range, ascii, candidate, counted)
            guard candidate else { continue }
            // Distinct words only: one word said a hundred times is one piece of evidence.
            let word = range.map { units.value($0) }
            guard seen.insert(word).inserted else { continue }
            verdict.words += 1
            if opaque { verdict.mixedWords += 1; continue }
            if VietnameseSyllable.isValid(range.map { units.plainScalar($0) }) { verdict.plain += 1 }
            if VietnameseSyllable.isValid(word.map(tcvn3Scalar)) { verdict.tcvn3 += 1 }
            if VietnameseSyllable.isValid(vniScalars(word).map(\.scalar)) { verdict.vni += 1 }
            if readsCP1258, VietnameseSyllable.isValid(word.map { $0 < 0x80 ? UInt32($0) : Charset.cp1258High[Int($0) - 0x80] }) {
                verdict.cp1258 += 1
            }
        }
        return verdict
    }

    /// Letters, bytes ≥ 0xA1 (letters in every legacy font) and opaque Unicode scalars.
    @inline(__always) static func isWordUnit(_ v: UInt16) -> Bool {
        v >= 0xA1 || (v | 0x20 >= 0x61 && v | 0x20 <= 0x7A)
    }

    // MARK: TCVN3

    /// TCVN 5712:1993 bytes 0xA0–0xFF (VN1, of which TCVN3 "ABC" is the part without capitals
    /// with tones). Bytes below stay as the carrier reads them: ABC fonts keep Windows
    /// punctuation there.
    static let tcvn3High: [UInt32] = [
        0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110, 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0x1EB0,
        0x0300, 0x0309, 0x0303, 0x0301, 0x0323, 0x00E0, 0x1EA3, 0x00E3, 0x00E1, 0x1EA1, 0x1EB2, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB4,
        0x1EAE, 0x1EA6, 0x1EA8, 0x1EAA, 0x1EA4, 0x1EC0, 0x1EB7, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0x1EC2, 0x1EBB, 0x1EBD,
        0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC, 0x1EC9, 0x1EC4, 0x1EBE, 0x1ED2, 0x0129, 0x00ED, 0x1ECB, 0x00F2,
        0x1ED4, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
        0x1ED6, 0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF, 0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0x1ED0,
    ]

    @inline(__always) static func tcvn3Scalar(_ v: UInt16) -> UInt32 {
        v >= 0xA0 && v <= 0xFF ? tcvn3High[Int(v) - 0xA0] : UInt32(v)
    }

    // MARK: VNI

    /// What a VNI mark byte (lowercase form; uppercase is 0x20 less) does to the vowel before it.
    private enum VNIMark {
        case tone(Int)
        case circumflex(Int)
        case breve(Int)
    }

    private static func vniMark(_ v: UInt16) -> VNIMark? {
        let lower = (v >= 0xC0 && v <= 0xDF) ? v + 0x20 : v
        switch lower {
        case 0xF8: return .tone(1)        // ø huyền
        case 0xF9: return .tone(2)        // ù sắc
        case 0xFB: return .tone(3)        // û hỏi
        case 0xF5: return .tone(4)        // õ ngã
        case 0xEF: return .tone(5)        // ï nặng
        case 0xE2: return .circumflex(0)  // â
        case 0xE0: return .circumflex(1)  // à
        case 0xE1: return .circumflex(2)  // á
        case 0xE5: return .circumflex(3)  // å
        case 0xE3: return .circumflex(4)  // ã
        case 0xE4: return .circumflex(5)  // ä
        case 0xEA: return .breve(0)       // ê
        case 0xE8: return .breve(1)       // è
        case 0xE9: return .breve(2)       // é
        case 0xFA: return .breve(3)       // ú
        case 0xFC: return .breve(4)       // ü
        case 0xEB: return .breve(5)       // ë
        default: return nil
        }
    }

    /// VNI bytes that are letters by themselves (lowercase form): ơ ư đ and the i/y with tones.
    private static func vniLetter(_ v: UInt16) -> (base: Unicode.Scalar, tone: Int, upper: Bool)? {
        let upper = v >= 0xC0 && v <= 0xDF
        switch upper ? v + 0x20 : v {
        case 0xF4: return ("ơ", 0, upper)   // ô
        case 0xF6: return ("ư", 0, upper)   // ö
        case 0xF1: return ("đ", 0, upper)   // ñ
        case 0xEC: return ("i", 1, upper)   // ì
        case 0xED: return ("i", 2, upper)   // í
        case 0xE6: return ("i", 3, upper)   // æ
        case 0xF3: return ("i", 4, upper)   // ó
        case 0xF2: return ("i", 5, upper)   // ò
        case 0xEE: return ("y", 5, upper)   // î
        default: return nil
        }
    }

    /// A VNI letter starting at `i` of `value`: the scalar and how many units it takes (1 or 2);
    /// nil when the unit is not VNI-specific (it stays as it is).
    static func vniLetter(at i: Int, count: Int, value: (Int) -> UInt16) -> (scalar: UInt32, length: Int)? {
        let v = value(i)
        var base: Unicode.Scalar? = nil, upper = false, single: UInt32? = nil
        if v < 0x80, let letter = VietnameseLetters.letter(UInt32(v)), VietnameseLetters.isVowel(letter.base), letter.base != "i" {
            base = letter.base; upper = letter.upper
        } else if let letter = vniLetter(v) {
            if letter.base == "đ" {
                return (letter.upper ? 0x110 : 0x111, 1)
            }
            single = VietnameseLetters.compose(base: letter.base, tone: letter.tone, upper: letter.upper)
            if letter.base == "ơ" || letter.base == "ư" { base = letter.base; upper = letter.upper }
        }
        if let b = base, i + 1 < count, let mark = vniMark(value(i + 1)) {
            var composed: UInt32? = nil
            switch mark {
            case .tone(let tone):
                composed = VietnameseLetters.compose(base: b, tone: tone, upper: upper)
            case .circumflex(let tone):
                let hat: Unicode.Scalar? = b == "a" ? "â" : b == "e" ? "ê" : b == "o" ? "ô" : nil
                if let hat { composed = VietnameseLetters.compose(base: hat, tone: tone, upper: upper) }
            case .breve(let tone):
                if b == "a" { composed = VietnameseLetters.compose(base: "ă", tone: tone, upper: upper) }
            }
            if let composed { return (composed, 2) }
        }
        if let single { return (single, 1) }
        return nil
    }

    /// A word read as VNI (scalars with the number of units each took).
    static func vniScalars(_ word: [UInt16]) -> [(scalar: UInt32, length: Int)] {
        var result: [(UInt32, Int)] = []
        var i = 0
        while i < word.count {
            if let letter = vniLetter(at: i, count: word.count, value: { word[$0] }) {
                result.append(letter)
                i += letter.length
            } else {
                result.append((UInt32(word[i]), 1))
                i += 1
            }
        }
        return result
    }

    // MARK: Conversion

    /// The text read with `reading`, mapped unit by unit to the source. Units the reading leaves
    /// alone are copied (UTF-8) or read by the carrier.
    static func convert(_ units: LegacyUnits, reading: LegacyReading) -> (utf8: [UInt8], map: OffsetMap) {
        var out: [UInt8] = []
        out.reserveCapacity(units.source.count + units.source.count / 4)
        var map = OffsetMap()
        let n = units.count
        let isUTF8 = units.carrier == .utf8

        func keep(_ i: Int) {
            let r = units.range(i)
            if isUTF8 || units.source[i] < 0x80 {
                out.append(contentsOf: units.source[r])
                map.appendIdentity(sourceStart: r.lowerBound, length: r.count)
            } else {
                emit(units.plainScalar(i), source: r)
            }
        }
        func emit(_ scalar: UInt32, source: Range<Int>) {
            let before = out.count
            UTF8Reader.append(scalar, to: &out)
            map.appendReplacement(derivedLength: out.count - before, source: source)
        }

        var i = 0
        while i < n {
            let v = units.value(i)
            if v < 0x80 && reading != .font(.vni) || v == LegacyUnits.opaque { keep(i); i += 1; continue }
            switch reading {
            case .plain:
                keep(i)
                i += 1
            case .font(.tcvn3):
                if v >= 0xA0 { emit(tcvn3Scalar(v), source: units.range(i)) } else { keep(i) }
                i += 1
            case .windows1258:
                if v >= 0x80 { emit(Charset.cp1258High[Int(v) - 0x80], source: units.range(i)) } else { keep(i) }
                i += 1
            case .font(.vni):
                if let letter = vniLetter(at: i, count: n, value: { units.value($0) }) {
                    let end = i + letter.length
                    emit(letter.scalar, source: units.range(i).lowerBound..<units.range(end - 1).upperBound)
                    i = end
                } else {
                    keep(i)
                    i += 1
                }
            }
        }
        map.appendReplacement(derivedLength: 0, source: units.source.count..<units.source.count)
        return (out, map)
    }
}
