import TonchiCore

// Text tests of the page anatomy: what a byline, a source line, a date or a brand looks like in
// Vietnamese pages. They work on single short lines, never on whole pages, so they cost nothing
// next to the reading itself.

enum Anatomy {
    // MARK: Lines

    /// The text's lines: what tags broke apart. `breaks` holds the positions of the line breaks
    /// written for tags, ascending; newlines the page's source keeps between words do not end
    /// a line.
    struct Lines {
        let text: [UInt8]
        let breaks: [Int]

        /// Index of the first break at or after `position`.
        private func firstBreak(from position: Int) -> Int {
            var low = 0, high = breaks.count
            while low < high {
                let mid = (low + high) / 2
                if breaks[mid] < position { low = mid + 1 } else { high = mid }
            }
            return low
        }

        func isBreak(_ position: Int) -> Bool {
            let k = firstBreak(from: position)
            return k < breaks.count && breaks[k] == position
        }

        /// The lines inside `range`, each trimmed; blank ones left out.
        func lines(in range: Range<Int>) -> [Range<Int>] {
            var result: [Range<Int>] = []
            var start = range.lowerBound
            var k = firstBreak(from: range.lowerBound)
            while k < breaks.count, breaks[k] < range.upperBound {
                if start < breaks[k], let line = trimmed(start..<breaks[k], in: text) { result.append(line) }
                start = breaks[k] + 1
                k += 1
            }
            if start < range.upperBound, let line = trimmed(start..<range.upperBound, in: text) { result.append(line) }
            return result
        }

        func lines(in ranges: [Range<Int>]) -> [Range<Int>] { ranges.flatMap { lines(in: $0) } }

        /// Whether only whitespace separates `range` from a tag's line break (or the text's
        /// ends) on both sides: a line, or a run of whole lines, of its own.
        func isLineBounded(_ range: Range<Int>) -> Bool {
            var before = range.lowerBound - 1
            while before >= 0 {
                if text[before] == 0x0A && isBreak(before) { break }
                guard Anatomy.isSpace(text, before) || text[before] == 0x0A else { return false }
                before -= 1
            }
            var after = range.upperBound
            while after < text.count {
                if text[after] == 0x0A && isBreak(after) { break }
                guard Anatomy.isSpace(text, after) || text[after] == 0x0A else { return false }
                after += 1
            }
            return true
        }
    }

    static func isSpace(_ text: [UInt8], _ i: Int) -> Bool {
        let b = text[i]
        if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0C { return true }
        return (b == 0xA0 && i > 0 && text[i - 1] == 0xC2) || (b == 0xC2 && i + 1 < text.count && text[i + 1] == 0xA0)
    }

    /// A range's text with whitespace collapsed (U+00A0 too).
    static func string(_ text: [UInt8], _ range: Range<Int>) -> String {
        collapse(String(decoding: text[range], as: UTF8.self))
    }

    static func collapse(_ s: String) -> String {
        var s = s
        if let fast = s.withUTF8({ collapseBytes($0) }) { return fast }
        return s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{A0}" }).joined(separator: " ")
    }

    /// Unicode White_Space scalars (what `Character.isWhitespace` tests on a character's first scalar).
    @inline(__always)
    static func isWhiteSpaceScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return v == 0x85 || v == 0xA0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200A) || v == 0x2028 || v == 0x2029
            || v == 0x202F || v == 0x205F || v == 0x3000
    }

    /// Non-ASCII scalars that never join a neighbouring scalar into one character (no combining
    /// marks, joiners, spacing marks or prepended signs): Latin letters, Vietnamese letters,
    /// general punctuation, currency signs.
    @inline(__always)
    private static func isIsolatedScalar(_ v: UInt32) -> Bool {
        (v >= 0x80 && v < 0x300) || (v >= 0x1E00 && v < 0x1F00) || (v >= 0x2010 && v < 0x2060) || (v >= 0x20A0 && v < 0x20D0)
    }

    /// The scalar starting at `i` of valid UTF-8 (a Swift string's bytes) and its length.
    @inline(__always)
    static func scalar(in b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let c = b[i]
        if c < 0x80 { return (UInt32(c), 1) }
        if c < 0xE0 { return ((UInt32(c & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F), 2) }
        if c < 0xF0 { return ((UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F), 3) }
        return ((UInt32(c & 0x07) << 18) | (UInt32(b[i + 1] & 0x3F) << 12) | (UInt32(b[i + 2] & 0x3F) << 6) | UInt32(b[i + 3] & 0x3F), 4)
    }

    /// `collapse` on the bytes, when no whitespace scalar sits next to a scalar that could join it
    /// into one character (then splitting on characters and on scalars agree); nil otherwise.
    private static func collapseBytes(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        let n = b.count
        var failed = false
        let result = String(unsafeUninitializedCapacity: max(n, 1)) { out -> Int in
            var i = 0, w = 0
            var pendingSpace = false, prevSpace = false, prevJoining = false
            while i < n {
                let (v, len) = scalar(in: b, at: i)
                if isWhiteSpaceScalar(v) {
                    if prevJoining { failed = true; return 0 }
                    if w > 0 { pendingSpace = true }
                    prevSpace = true
                    prevJoining = false
                } else {
                    let joining = v >= 0x80 && !isIsolatedScalar(v)
                    if joining && prevSpace { failed = true; return 0 }
                    if pendingSpace { out[w] = 0x20; w += 1; pendingSpace = false }
                    for k in 0..<len { out[w + k] = b[i + k] }
                    w += len
                    prevSpace = false
                    prevJoining = joining
                }
                i += len
            }
            return w
        }
        return failed ? nil : result
    }

    /// `s` split at every occurrence of `separator`.
    static func split(_ s: String, by separator: String) -> [String] {
        let b = Array(s.utf8), sep = Array(separator.utf8)
        guard !sep.isEmpty, b.count >= sep.count else { return [s] }
        var parts: [String] = []
        var start = 0, i = 0
        while i + sep.count <= b.count {
            if b[i] == sep[0] && b[i..<(i + sep.count)].elementsEqual(sep) {
                parts.append(String(decoding: b[start..<i], as: UTF8.self))
                i += sep.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: b[start...], as: UTF8.self))
        return parts
    }

    /// A URL without its "scheme://" (or "//").
    static func afterScheme(_ url: String) -> Substring {
        let parts = split(url, by: "://")
        if parts.count > 1, let scheme = parts.first, !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) }) {
            return Substring(parts.dropFirst().joined(separator: "://"))
        }
        return url.hasPrefix("//") ? Substring(url).dropFirst(2) : Substring(url)
    }

    static func looksLikeURL(_ s: String) -> Bool {
        // Every test below needs a "/" or a ":".
        guard s.utf8.contains(where: { $0 == 0x2F || $0 == 0x3A }) else { return false }
        let l = s.lowercased()
        return l.hasPrefix("http:") || l.hasPrefix("https:") || l.hasPrefix("//") || (l.contains("/") && !l.contains(" "))
    }

    // MARK: Folding

    private static let foldTable: [Unicode.Scalar: Character] = {
        var table: [Unicode.Scalar: Character] = [:]
        let groups: [(Character, String)] = [
            ("a", "àáảãạăằắẳẵặâầấẩẫậ"), ("e", "èéẻẽẹêềếểễệ"), ("i", "ìíỉĩị"),
            ("o", "òóỏõọôồốổỗộơờớởỡợ"), ("u", "ùúủũụưừứửữự"), ("y", "ỳýỷỹỵ"), ("d", "đ"),
        ]
        for (base, letters) in groups {
            for scalar in letters.unicodeScalars { table[scalar] = base }
        }
        return table
    }()

    /// Lowercase ASCII letters and digits only (diacritics dropped, "đ" → "d"); with
    /// `spaces`, runs of anything else become one space. "Dân trí" → "dantri" / "dan tri".
    /// (Lowercasing is per scalar, as `String.lowercased()` does it.)
    static func fold(_ s: String, spaces: Bool = false) -> String {
        fold(s, spaces: spaces, limit: Int.max)!
    }

    /// `fold(s, spaces:)`, or nil as soon as it would be longer than `limit` bytes.
    static func fold(_ s: String, spaces: Bool, limit: Int) -> String? {
        var over = false
        var out: [UInt8] = []
        out.reserveCapacity(min(s.utf8.count, limit))
        var gap = false
        @inline(__always) func emit(_ code: UInt8) {
            switch code {
            case foldGap: gap = true
            case foldSkip: break
            default:
                if gap && spaces && !out.isEmpty { out.append(0x20) }
                gap = false
                out.append(code)
                if out.count > limit { over = true }
            }
        }
        for scalar in s.unicodeScalars {
            if over { return nil }
            let v = scalar.value
            if v < 0x80 {
                var c = UInt8(v)
                if c >= 0x41 && c <= 0x5A { c |= 0x20 }
                emit((c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) ? c : foldGap)
            } else if v < UInt32(foldCodes.count), foldCodes[Int(v)] != foldComplex {
                emit(foldCodes[Int(v)])
            } else {
                for l in scalar.properties.lowercaseMapping.unicodeScalars { emit(foldCode(ofLowercase: l)) }
            }
        }
        if over { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    private static let foldGap: UInt8 = 0, foldSkip: UInt8 = 1, foldComplex: UInt8 = 2

    /// What an already lowercased scalar folds to: an ASCII byte, `foldGap` or `foldSkip`.
    private static func foldCode(ofLowercase l: Unicode.Scalar) -> UInt8 {
        if l.isASCII {
            let c = UInt8(l.value)
            return (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) ? c : foldGap
        }
        if let folded = foldTable[l] { return folded.asciiValue! }
        if (0x300...0x36F).contains(l.value) { return foldSkip }
        return foldGap
    }

    /// Fold codes of the scalars below U+2000 (their lowercase mapping folded); `foldComplex`
    /// where the lowercase mapping is more than one scalar.
    private static let foldCodes: [UInt8] = {
        var codes = [UInt8](repeating: foldComplex, count: 0x2000)
        for v in 0x80..<0x2000 {
            guard let scalar = Unicode.Scalar(UInt32(v)) else { continue }
            let lower = Array(scalar.properties.lowercaseMapping.unicodeScalars)
            if lower.count == 1 { codes[v] = foldCode(ofLowercase: lower[0]) }
        }
        return codes
    }()

    /// `haystack.contains(needle)` for ASCII strings (what `fold` returns): a byte search.
    static func asciiContains(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack, n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                let m = nb.count
                guard m > 0 else { return true }
                guard hb.count >= m else { return false }
                let first = nb[0]
                var i = 0
                while i <= hb.count - m {
                    if hb[i] == first {
                        var k = 1
                        while k < m && hb[i + k] == nb[k] { k += 1 }
                        if k == m { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    // MARK: Words

    /// Whitespace-separated tokens.
    static func tokens(_ s: String) -> [Substring] {
        s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{A0}" })
    }

    /// `tokens(s).count`, counted on the bytes when no whitespace scalar sits next to a scalar
    /// that could join it into one character (see `collapseBytes`).
    static func tokenCount(_ s: String) -> Int {
        var copy = s
        let fast: Int? = copy.withUTF8 { b in
            let n = b.count
            var i = 0, count = 0
            var prevSpace = true, prevJoining = false
            while i < n {
                let (v, len) = scalar(in: b, at: i)
                if isWhiteSpaceScalar(v) {
                    if prevJoining { return nil }
                    prevSpace = true
                    prevJoining = false
                } else {
                    let joining = v >= 0x80 && !isIsolatedScalar(v)
                    if joining && prevSpace && i > 0 { return nil }
                    if prevSpace { count += 1 }
                    prevSpace = false
                    prevJoining = joining
                }
                i += len
            }
            return count
        }
        return fast ?? tokens(s).count
    }

    static func hasLetter(_ s: Substring) -> Bool { s.contains { $0.isLetter } }

    /// Words that may stand lowercase between capitalised names ("Minh Anh và Thu Hà").
    private static let connectors: Set<String> = ["và", "-", "–", "&", "/", "|"]

    /// Staff tokens written in capitals or as words of a credit.
    private static let staffTokens: Set<String> = ["pv", "ctv", "btv", "nv", "pv.", "ctv.", "nhóm", "nhom"]

    /// A person's or a desk's name as a closing line signs it: 1–6 words, mostly capitalised
    /// (or PV/CTV), no digits, no sentence punctuation at the end.
    static func isNameLike(_ s: String) -> Bool {
        let trimmedName = s.trimmingSpaces()
        guard !trimmedName.isEmpty,
              trimmedName.index(trimmedName.startIndex, offsetBy: 61, limitedBy: trimmedName.endIndex) == nil else { return false }
        if let last = trimmedName.last, "!?:;,".contains(last) { return false }
        if trimmedName.contains(where: { $0.isNumber }) { return false }
        let words = tokens(trimmedName).filter { hasLetter($0) && !connectors.contains($0.lowercased()) }
        guard !words.isEmpty, words.count <= 6 else { return false }
        // A full stop ends sentences, not names, unless the last word is an initial ("H.V.", "PV.").
        if trimmedName.hasSuffix("."), let last = words.last, last.count > 4, !last.dropLast().contains(".") { return false }
        var capitalised = 0
        for word in words {
            let letters = word.drop { !$0.isLetter }
            guard let first = letters.first else { continue }
            if first.isUppercase || staffTokens.contains(word.lowercased()) { capitalised += 1 }
        }
        return capitalised * 5 >= words.count * 4 && capitalised > 0
    }

    /// What a line at the end of an article is.
    enum ClosingLine: Equatable {
        /// A signature; `name` is the signer, `source` a parenthesised "(theo …)" or marker.
        case byline(name: String, source: String?)
        /// "Ảnh: …": a photo credit, not the writer.
        case photoCredit
        /// A source line ("Theo …", "Nguồn: …", "(TTXVN)"); `text` is what metadata keeps.
        case attribution(text: String, isTheo: Bool)
        case other
    }

    /// Credits that name the writer, folded with spaces ("Tin, ảnh:" → "tin anh").
    private static let writerCredits: [String] = [
        "tin anh", "bai anh", "bai va anh", "bai va anh", "tin va anh", "bai", "tin", "thuc hien", "nhom thuc hien",
        "ghi chep", "tac gia", "but danh", "nhom pv", "phong vien", "bai tin",
    ]

    static func classifyClosing(_ line: String) -> ClosingLine {
        let s = line.trimmingSpaces()
        if let attribution = attributionText(s, position: .closing) {
            return .attribution(text: attribution, isTheo: fold(s, spaces: true).hasPrefix("theo "))
        }
        if s.utf8.contains(0x3A), let colon = s.firstIndex(of: ":") {
            // Credits are short: a longer fold names none (and no photo credit either).
            guard let credit = fold(String(s[..<colon]), spaces: true, limit: 32) else { return .other }
            let rest = String(s[s.index(after: colon)...]).trimmingSpaces()
            if credit == "anh" || credit == "anh minh hoa" || credit == "video" || credit == "do hoa" { return .photoCredit }
            if writerCredits.contains(credit), !rest.isEmpty, tokenCount(rest) <= 8 {
                return .byline(name: rest, source: nil)
            }
            return .other
        }
        var name = s
        var source: String? = nil
        if s.hasSuffix(")"), let open = s.lastIndex(of: "("), open > s.startIndex {
            let inner = String(s[s.index(after: open)..<s.index(before: s.endIndex)]).trimmingSpaces()
            if isSourceMarker(inner) {
                source = inner
                name = String(s[..<open]).trimmingSpaces()
            }
        }
        if isNameLike(name) { return .byline(name: name, source: source) }
        return .other
    }

    // MARK: Source lines

    enum LinePosition { case anywhere, closing }

    /// Parenthesised markers of a source at the end of an article: "TTXVN", "T/h", "Tổng hợp",
    /// "theo …", "st" (sưu tầm).
    static func isSourceMarker(_ inner: String) -> Bool {
        let f = fold(inner, spaces: true)
        if ["ttxvn", "t h", "th", "tong hop", "st", "suu tam", "theo ttxvn", "tong hop tu nhieu nguon"].contains(f) { return true }
        return f.hasPrefix("theo ") || f.hasPrefix("nguon ")
    }

    /// The source named by a line, or nil. "Theo …" lines must be short (and, away from the
    /// closing lines, free of commas: "Theo cáo trạng, khoảng 16 giờ…" is prose); "Nguồn:" lines
    /// may be longer; a marker line is the marker alone.
    static func attributionText(_ line: String, position: LinePosition) -> String? {
        // Called on every paragraph: reject the ordinary ones on their first and last letters
        // before the costly folding below.
        guard line.utf8.count <= 2400, mayBeAttribution(line, position: position) else { return nil }
        let s = collapse(line)
        guard !s.isEmpty, s.count <= 300 else { return nil }
        let f = fold(s, spaces: true)
        let words = tokenCount(s)
        if f.hasPrefix("theo ") {
            guard words <= 12, !s.hasSuffix(":") else { return nil }
            if position == .anywhere && (words > 8 || s.contains(",") || s.hasSuffix(".")) { return nil }
            return s
        }
        let lower = s.lowercased()
        for prefix in ["nguồn:", "nguồn :", "nguon:", "nguon :", "source:"] where lower.hasPrefix(prefix) {
            return words <= 30 && words >= 2 ? s : nil
        }
        if s.hasPrefix("("), s.hasSuffix(")") {
            let inner = String(s.dropFirst().dropLast()).trimmingSpaces()
            return isSourceMarker(inner) ? inner : nil
        }
        if position == .closing, s.hasSuffix(")"), let open = s.lastIndex(of: "(") {
            let inner = String(s[s.index(after: open)..<s.index(before: s.endIndex)]).trimmingSpaces()
            let before = String(s[..<open]).trimmingSpaces()
            // "Minh Anh (theo Tuổi Trẻ)" is a signature with a source, handled as a byline.
            if isSourceMarker(inner), !isNameLike(before), tokenCount(before) > 6 { return inner }
        }
        if f == "ttxvn" { return s }
        return nil
    }

    private static func mayBeAttribution(_ line: String, position: LinePosition) -> Bool {
        // Byte tests first: the first non-space scalar must be the ASCII first letter of one of the
        // prefixes (no other scalar lowercases to one, but U+0130 and U+212A, which go the long
        // way), followed by the rest of it in ASCII (case aside); the last non-space scalar must
        // be ")".
        var headDecided = false, tailDecided = false
        var copy = line
        copy.withUTF8 { b in
            let n = b.count
            var i = 0
            headDecided = true
            while i < n {
                let (v, len) = scalar(in: b, at: i)
                if isWhiteSpaceScalar(v) { i += len; continue }
                if v >= 0x80 { headDecided = v != 0x130 && v != 0x212A; break }
                func starts(_ word: StaticString) -> Bool {
                    let m = word.utf8CodeUnitCount
                    guard n - i >= m else { return false }
                    let w = word.utf8Start
                    for k in 0..<m where b[i + k] | 0x20 != w[k] { return false }
                    return true
                }
                headDecided = !(v == 0x28 || starts("theo") || starts("ngu") || starts("source") || starts("ttxvn"))
                break
            }
            guard headDecided, position == .closing else { return }
            var j = n
            tailDecided = true
            while j > 0 {
                var start = j - 1
                while start > 0 && b[start] & 0xC0 == 0x80 { start -= 1 }
                let (v, _) = scalar(in: b, at: start)
                if isWhiteSpaceScalar(v) { j = start; continue }
                tailDecided = v != 0x29
                break
            }
        }
        if headDecided && (position == .anywhere || tailDecided) { return false }
        let scalars = line.unicodeScalars
        let head = String(String.UnicodeScalarView(scalars.drop { $0.properties.isWhitespace }.prefix(12))).lowercased()
        if ["theo", "nguồn", "nguon", "source", "(", "ttxvn"].contains(where: { head.hasPrefix($0) }) { return true }
        return position == .closing && scalars.reversed().first { !$0.properties.isWhitespace } == ")"
    }

    // MARK: Dates

    /// The first date in a short text, read day first as Vietnamese pages write it:
    /// "Thứ Hai, 12/3/2012 - 08:30", "12.03.2012", "24/12/12", "ngày 12 tháng 3 năm 2012",
    /// and ISO "2012-03-12".
    static func parseDate(_ s: String) -> Day? {
        let scalars = Array(s.unicodeScalars.prefix(400))
        func number(at i: Int) -> (value: Int, end: Int, digits: Int)? {
            var j = i, v = 0
            while j < scalars.count, j - i < 5, let d = digit(scalars[j]) { v = v * 10 + d; j += 1 }
            return j > i ? (v, j, j - i) : nil
        }
        var i = 0
        while i < scalars.count {
            guard digit(scalars[i]) != nil, i == 0 || digit(scalars[i - 1]) == nil else { i += 1; continue }
            guard let first = number(at: i) else { i += 1; continue }
            // ISO: 2012-03-12
            if first.digits == 4, first.end < scalars.count, scalars[first.end] == "-",
               let month = number(at: first.end + 1), month.digits <= 2, month.end < scalars.count, scalars[month.end] == "-",
               let day = number(at: month.end + 1), day.digits <= 2, let d = Day(year: first.value, month: month.value, day: day.value) {
                return d
            }
            // d/m/y with "/", "." or "-"
            if first.digits <= 2, first.end < scalars.count, "/.-".unicodeScalars.contains(scalars[first.end]) {
                let separator = scalars[first.end]
                if let month = number(at: first.end + 1), month.digits <= 2, month.end < scalars.count, scalars[month.end] == separator,
                   let year = number(at: month.end + 1), year.digits == 4 || year.digits == 2,
                   year.end >= scalars.count || digit(scalars[year.end]) == nil {
                    let y = year.digits == 2 ? 2000 + year.value : year.value
                    if let d = Day(year: y, month: month.value, day: first.value) { return d }
                }
            }
            i = first.end
        }
        // "ngày 12 tháng 3 năm 2012"
        let words = tokens(fold(s, spaces: true)).map(String.init)
        var k = 0
        while k + 5 < words.count {
            if words[k] == "ngay", words[k + 2] == "thang", words[k + 4] == "nam",
               let d = Int(words[k + 1]), let m = Int(words[k + 3]), let y = Int(words[k + 5]),
               let day = Day(year: y, month: m, day: d) {
                return day
            }
            k += 1
        }
        return nil
    }

    private static func digit(_ s: Unicode.Scalar) -> Int? {
        s.value >= 0x30 && s.value <= 0x39 ? Int(s.value - 0x30) : nil
    }

    /// Month-first English dates ("Published on 03-08-2011") must not be read day first.
    static func isEnglishDateLine(_ s: String) -> Bool {
        // Each phrase has a "d" (only "d"/"D" lowercase to it).
        guard s.utf8.contains(where: { $0 | 0x20 == 0x64 }) else { return false }
        let l = s.lowercased()
        return l.contains("published on") || l.contains("posted on") || l.contains("last updated")
    }
}
