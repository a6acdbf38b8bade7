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
        s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{A0}" }).joined(separator: " ")
    }

    /// `s` split at every occurrence of `separator`.
    static func split(_ s: String, by separator: String) -> [String] {
        let b = Array(s.utf8), sep = Array(separator.utf8)
        guard !sep.isEmpty, b.count >= sep.count else { return [s] }
        var parts: [String] = []
        var start = 0, i = 0
        while i + sep.count <= b.count {
            if b[i] == sep[0] && Array(b[i..<(i + sep.count)]) == sep {
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
    static func fold(_ s: String, spaces: Bool = false) -> String {
        var out = ""
        var gap = false
        for scalar in s.lowercased().unicodeScalars {
            var c: Character? = nil
            if scalar.isASCII {
                let v = scalar.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { c = Character(scalar) }
            } else if let folded = foldTable[scalar] {
                c = folded
            } else if (0x300...0x36F).contains(scalar.value) {
                continue   // a combining mark of a decomposed letter
            }
            if let c {
                if gap && spaces && !out.isEmpty { out.append(" ") }
                gap = false
                out.append(c)
            } else {
                gap = true
            }
        }
        return out
    }

    // MARK: Words

    /// Whitespace-separated tokens.
    static func tokens(_ s: String) -> [Substring] {
        s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{A0}" })
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
        guard !trimmedName.isEmpty, trimmedName.count <= 60 else { return false }
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
        if let colon = s.firstIndex(of: ":") {
            let credit = fold(String(s[..<colon]), spaces: true)
            let rest = String(s[s.index(after: colon)...]).trimmingSpaces()
            if credit == "anh" || credit == "anh minh hoa" || credit == "video" || credit == "do hoa" { return .photoCredit }
            if writerCredits.contains(credit), !rest.isEmpty, tokens(rest).count <= 8 {
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
        let words = tokens(s).count
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
            if isSourceMarker(inner), !isNameLike(before), tokens(before).count > 6 { return inner }
        }
        if f == "ttxvn" { return s }
        return nil
    }

    private static func mayBeAttribution(_ line: String, position: LinePosition) -> Bool {
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
        let l = s.lowercased()
        return l.contains("published on") || l.contains("posted on") || l.contains("last updated")
    }
}
