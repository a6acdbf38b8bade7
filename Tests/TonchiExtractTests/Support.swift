import Foundation
import XCTest
import TonchiCore
import TonchiExtract
import TonchiTestSupport

/// The html pages of the shared corpus (found by `SharedCorpus`).
enum Corpus {
    struct CorpusMissing: Error, CustomStringConvertible {
        var description: String { "shared/corpus not found (set TONCHI_SHARED to the shared folder)" }
    }

    struct Page {
        let file: String
        let bytes: Int
        let encodingState: String
        let title: String
        let cues: [String]
        let licence: String
    }

    /// The html corpus folder, or a skip (locally) / failure (CI=true) when it is missing.
    static func htmlDirectory(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try SharedCorpus.require(file: file, line: line).appendingPathComponent("html").path
    }

    static func pages() throws -> [Page] {
        let dir = try htmlDirectory()
        let tsv = try String(contentsOfFile: dir + "/PAGES.tsv", encoding: .utf8)
        return tsv.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Page(file: f[0], bytes: Int(f[1]) ?? -1, encodingState: f[2], title: f[3],
                        cues: f[4].split(separator: ";").map(String.init), licence: f.count > 5 ? f[5] : "")
        }
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        let path = try htmlDirectory() + "/" + relative
        guard let data = FileManager.default.contents(atPath: path) else { throw CorpusMissing() }
        return [UInt8](data)
    }

    /// Every page file in the html corpus (PAGES.tsv or not), so new pages are covered too.
    static func allPageFiles() throws -> [String] {
        let dir = try htmlDirectory()
        var result: [String] = []
        for sub in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir + "/" + sub, isDirectory: &isDir), isDir.boolValue else { continue }
            for file in try FileManager.default.contentsOfDirectory(atPath: dir + "/" + sub).sorted() {
                result.append(sub + "/" + file)
            }
        }
        return result
    }
}

// MARK: - Text helpers

/// Whitespace (U+00A0 included) collapsed to single spaces and trimmed.
func collapsed(_ s: String) -> String {
    s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{A0}" }).joined(separator: " ")
}

/// Undoes "UTF-8 read as Latin-1 and encoded again" (Python's s.encode('latin-1').decode('utf-8')),
/// leniently: characters the page added as references (U+2013 from &ndash;) stay as they are,
/// and bytes that do not form UTF-8 become U+FFFD. Nil when nothing needed undoing.
func repairMojibake(_ s: String) -> String? {
    var bytes: [UInt8] = []
    var changed = false
    for scalar in s.unicodeScalars {
        if scalar.value <= 0xFF {
            bytes.append(UInt8(scalar.value))
            changed = changed || scalar.value >= 0x80
        } else {
            bytes.append(contentsOf: Array(String(scalar).utf8))
        }
    }
    return changed ? String(decoding: bytes, as: UTF8.self) : nil
}

/// Strict UTF-8 check (String(validating:) needs macOS 15; the package supports macOS 13).
func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}

/// What a correct string looks like after the mojibake of the 2021 pages.
func mojibake(_ s: String) -> String {
    String(String.UnicodeScalarView(s.utf8.map { Unicode.Scalar($0) }))
}

extension ExtractedDocument {
    func strings(_ scope: Scope) -> [String] { ranges(scope).map { string($0) } }

    /// All lines of a scope, whitespace-collapsed: what a reader sees as separate items.
    func lines(_ scope: Scope) -> [String] {
        strings(scope).flatMap { $0.split(separator: "\n").map { collapsed(String($0)) } }.filter { !$0.isEmpty }
    }

    func joined(_ scope: Scope) -> String { collapsed(strings(scope).joined(separator: "\n")) }
}

// MARK: - Independent HTML reading for the property test

/// A deliberately simple reference, written apart from the extractor: character references are
/// decoded by plain rules (numeric, and names through the public table). Where browsers differ
/// on a name without ";" (`&eacute` vs `&hellip`), `bothForms` keeps the raw and decoded text.
func referenceDecode(_ bytes: ArraySlice<UInt8>, bothForms: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    var i = bytes.startIndex
    while i < bytes.endIndex {
        if bytes[i] == UInt8(ascii: "&"), let (length, value, ambiguous) = referenceEntity(bytes[i...]) {
            if bothForms && ambiguous { out.append(contentsOf: bytes[i..<(i + length)]) }
            out.append(contentsOf: Array(String(Character(value)).utf8))
            i += length
        } else {
            out.append(bytes[i])
            i += 1
        }
    }
    return out
}

private let cp1252: [UInt32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
]

/// Length and value of the character reference at the start of `s`, if it is one; `ambiguous`
/// marks a name without ";".
func referenceEntity(_ s: ArraySlice<UInt8>) -> (Int, Unicode.Scalar, Bool)? {
    let b = Array(s.prefix(40))
    guard b.count >= 3, b[0] == UInt8(ascii: "&") else { return nil }
    func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
    if b[1] == UInt8(ascii: "#") {
        let hex = b[2] | 0x20 == UInt8(ascii: "x")
        var j = hex ? 3 : 2
        var digits = ""
        while j < b.count, hex ? isHex(b[j]) : isDigit(b[j]) { digits.append(Character(Unicode.Scalar(b[j]))); j += 1 }
        guard !digits.isEmpty else { return nil }
        if j < b.count, b[j] == UInt8(ascii: ";") { j += 1 }
        var value = UInt32(digits, radix: hex ? 16 : 10) ?? 0xFFFD
        if (0x80...0x9F).contains(value) { value = cp1252[Int(value - 0x80)] }
        let scalar = value == 0 ? nil : Unicode.Scalar(value)
        return (j, scalar ?? "\u{FFFD}", false)
    }
    var j = 1
    while j < b.count, isDigit(b[j]) || (b[j] | 0x20 >= 0x61 && b[j] | 0x20 <= 0x7A) { j += 1 }
    let name = String(decoding: b[1..<j], as: UTF8.self)
    guard let value = HTMLEntities.scalar(named: name).flatMap(Unicode.Scalar.init) else { return nil }
    if j < b.count, b[j] == UInt8(ascii: ";") { return (j + 1, value, false) }
    return (j, value, true)
}

/// The readable content of an HTML slice: text and attribute values with references decoded,
/// tags, comments and script/style bodies removed.
func referenceContent(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    var i = bytes.startIndex
    let end = bytes.endIndex
    var textStart = i
    func lowerPrefix(_ at: Int, _ word: String) -> Bool {
        let w = Array(word.utf8)
        guard end - at >= w.count else { return false }
        for k in 0..<w.count where (bytes[at + k] | (bytes[at + k] >= 0x41 && bytes[at + k] <= 0x5A ? 0x20 : 0)) != w[k] { return false }
        return true
    }
    while i < end {
        guard bytes[i] == UInt8(ascii: "<"), i + 1 < end else { i += 1; continue }
        let next = bytes[i + 1]
        let isLetter = (next | 0x20) >= 0x61 && (next | 0x20) <= 0x7A
        guard isLetter || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || next == UInt8(ascii: "?") else { i += 1; continue }
        out.append(contentsOf: referenceDecode(bytes[textStart..<i], bothForms: true))
        out.append(0x20)
        if lowerPrefix(i, "<!--") {
            var j = i + 4
            while j + 2 < end, !(bytes[j] == 0x2D && bytes[j + 1] == 0x2D && bytes[j + 2] == 0x3E) { j += 1 }
            i = min(end, j + 3)
        } else {
            // A tag: keep its attribute values (alt text and meta content are extracted).
            var j = i + 1
            var quote: UInt8? = nil
            var valueStart = 0
            while j < end {
                let c = bytes[j]
                if let q = quote {
                    if c == q {
                        out.append(contentsOf: referenceDecode(bytes[valueStart..<j], bothForms: true)); out.append(0x20); quote = nil
                    }
                } else if c == 0x22 || c == 0x27 {
                    quote = c; valueStart = j + 1
                } else if c == 0x3E {
                    break
                } else {
                    out.append(c)   // unquoted values and names: harmless extra characters
                }
                j += 1
            }
            // A slice may stop inside an attribute value (alt text, meta content).
            if quote != nil { out.append(contentsOf: referenceDecode(bytes[valueStart..<end], bothForms: true)) }
            let tagEnd = min(end, j + 1)
            for raw in ["script", "style"] where lowerPrefix(i, "<" + raw) {
                var k = tagEnd
                while k < end, !lowerPrefix(k, "</" + raw) { k += 1 }
                j = k
            }
            i = min(end, max(tagEnd, j))
        }
        textStart = i
    }
    out.append(contentsOf: referenceDecode(bytes[min(textStart, end)..<end], bothForms: true))
    return out
}

/// Whether `needle` (whitespace removed) can be read in order inside `haystack`.
func isSubsequenceIgnoringWhitespace(_ needle: [UInt8], of haystack: [UInt8]) -> Bool {
    func keep(_ b: UInt8) -> Bool { !(b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C) }
    var j = 0
    for b in needle where keep(b) {
        while j < haystack.count, haystack[j] != b { j += 1 }
        guard j < haystack.count else { return false }
        j += 1
    }
    return true
}

/// Checks every byte of the text against the source through the map: copied bytes must be the
/// same byte; replaced runs must be a decoded reference or a separator on a tag. Returns problems.
func mappingProblems(_ doc: ExtractedDocument, limit: Int = 5) -> [String] {
    var problems: [String] = []
    let text = doc.text, source = doc.source
    var p = 0
    var lastLower = 0, lastUpper = 0
    while p < text.count && problems.count < limit {
        let sr = doc.map.sourceRange(of: p..<(p + 1))
        guard sr.lowerBound >= 0, sr.upperBound <= source.count else {
            problems.append("position \(p) maps outside the source: \(sr)"); break
        }
        // Source order is kept, which OffsetMap.derivedPosition's binary search relies on.
        if sr.lowerBound < lastLower || sr.upperBound < lastUpper {
            problems.append("position \(p) maps backwards (\(sr) after \(lastLower)..<\(lastUpper))")
        }
        lastLower = sr.lowerBound
        lastUpper = sr.upperBound
        if sr.count == 1 && source[sr.lowerBound] == text[p] { p += 1; continue }
        // A replacement: every text byte mapping to the same source range.
        var q = p + 1
        while q < text.count, doc.map.sourceRange(of: q..<(q + 1)) == sr { q += 1 }
        let produced = Array(text[p..<q])
        let original = source[sr]
        if sr.isEmpty && sr.lowerBound == source.count {
            // url / domain lines: not in the page, mapped to its end.
        } else if doc.encoding != "utf-8", SourceDecoder.decode(Array(original), as: doc.encoding)?.utf8 == produced {
            // A character decoded from the page's encoding (a repaired double-encoded letter).
        } else if original.first == UInt8(ascii: "&") {
            // The whole reference, ";" included, must be covered.
            if original.last != UInt8(ascii: ";"), sr.upperBound < source.count, source[sr.upperBound] == UInt8(ascii: ";") {
                problems.append("entity at \(sr) stops short of its ';'")
            }
            if referenceEntity(original)?.0 != original.count || referenceDecode(original) != produced {
                problems.append("entity \(String(decoding: original, as: UTF8.self)) became \(String(decoding: produced, as: UTF8.self)) at \(p)")
            }
        } else if produced == [0x0A], original.first == UInt8(ascii: "<") || original.last == UInt8(ascii: ">") {
            // separator on a tag
        } else {
            problems.append("text \(p)..<\(q) \(produced) maps to \(sr) \(Array(original.prefix(20)))")
        }
        p = q
    }
    return problems
}

/// Sorted, non-overlapping, inside the text, trimmed and cut off from neighbours by "\n".
func scopeShapeProblems(_ doc: ExtractedDocument, requireLineBreaks: Bool) -> [String] {
    var problems: [String] = []
    let text = doc.text
    func isSpace(_ i: Int) -> Bool {
        if text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0D || text[i] == 0x0C { return true }
        return text[i] == 0xA0 && i > 0 && text[i - 1] == 0xC2 || text[i] == 0xC2 && i + 1 < text.count && text[i + 1] == 0xA0
    }
    for (scope, ranges) in doc.scopes {
        var previousEnd = -1
        for r in ranges {
            if r.isEmpty || r.lowerBound < 0 || r.upperBound > text.count { problems.append("\(scope) \(r) out of text"); continue }
            if r.lowerBound < previousEnd { problems.append("\(scope) \(r) overlaps or is unsorted") }
            previousEnd = r.upperBound
            guard requireLineBreaks, scope != .text else { continue }
            var before = r.lowerBound - 1
            while before >= 0, isSpace(before) { before -= 1 }
            if before >= 0 && text[before] != 0x0A { problems.append("\(scope) \(r) not preceded by a line break") }
            var after = r.upperBound
            while after < text.count, isSpace(after) { after += 1 }
            if after < text.count && text[after] != 0x0A { problems.append("\(scope) \(r) not followed by a line break") }
        }
    }
    return problems
}

/// Small hand-made pages: extract, read a range's source bytes, check the map and scope shapes.
func html(_ s: String, url: String? = nil) -> ExtractedDocument {
    Extractor.extract(Array(s.utf8), format: .html, url: url)
}

func source(_ doc: ExtractedDocument, _ r: Range<Int>) -> String {
    String(decoding: doc.source[doc.map.sourceRange(of: r)], as: UTF8.self)
}

func assertSound(_ doc: ExtractedDocument, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(mappingProblems(doc), [], file: file, line: line)
    XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: true), [], file: file, line: line)
}
