/// Character references met in Vietnamese pages. The full HTML5 table (2,231 names) is not worth
/// its weight here: pages of this region use the Latin-1 letters, typography and a few others.
public enum HTMLEntities {
    /// The code point a named reference stands for (name without "&" and ";"), or nil if unknown.
    public static func scalar(named name: String) -> UInt32? { table[name] }

    /// Decodes the character reference starting at `start` (which holds "&"), reading no further
    /// than `end`. Returns its length in bytes and the UTF-8 of its value; nil means "leave literal".
    static func decode(_ p: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> (length: Int, utf8: [UInt8])? {
        var i = start + 1
        guard i < end else { return nil }
        if p[i] == 0x23 {   // '#'
            i += 1
            var hex = false
            if i < end, p[i] | 0x20 == 0x78 { hex = true; i += 1 }   // 'x' / 'X'
            let digitsStart = i
            var value: UInt32 = 0
            var overflow = false
            while i < end {
                let b = p[i]
                let digit: UInt32
                if b >= 0x30 && b <= 0x39 { digit = UInt32(b - 0x30) }
                else if hex && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x66 { digit = UInt32((b | 0x20) - 0x61 + 10) }
                else { break }
                // Keep consuming digits after overflow so the whole reference is one segment.
                if !overflow {
                    value = value * (hex ? 16 : 10) + digit
                    if value > 0x10FFFF { overflow = true }
                }
                i += 1
            }
            guard i > digitsStart else { return nil }
            if i < end, p[i] == 0x3B { i += 1 }   // ';' is optional for numeric references
            return (i - start, utf8(numericValue(overflow ? 0x110000 : value)))
        }
        // Named: letters and digits, then ';'. Only the legacy names may omit the ';'.
        let nameStart = i
        while i < end, i - nameStart <= maxNameLength, isAlphanumeric(p[i]) { i += 1 }
        let nameLength = i - nameStart
        guard nameLength > 0, nameLength <= maxNameLength else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: p[nameStart..<i]), as: UTF8.self)
        if i < end, p[i] == 0x3B {
            guard let value = table[name] else { return nil }
            return (i + 1 - start, utf8(value))
        }
        // "&amp" or "&eacute" without ';' is decoded by browsers, but not "&copy=2" in a URL.
        if legacy.contains(name), i >= end || p[i] != 0x3D, let value = table[name] {
            return (i - start, utf8(value))
        }
        return nil
    }

    static let maxNameLength = 32

    /// HTML5 rules for numeric references: NUL, surrogates and out-of-range become U+FFFD; C1
    /// controls are read as the Windows-1252 characters that pages meant by them.
    static func numericValue(_ value: UInt32) -> UInt32 {
        if value == 0 || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return 0xFFFD }
        if (0x80...0x9F).contains(value) { return windows1252[Int(value - 0x80)] }
        return value
    }

    static func utf8(_ value: UInt32) -> [UInt8] {
        switch value {
        case 0..<0x80: return [UInt8(value)]
        case 0x80..<0x800: return [UInt8(0xC0 | (value >> 6)), UInt8(0x80 | (value & 0x3F))]
        case 0x800..<0x10000:
            return [UInt8(0xE0 | (value >> 12)), UInt8(0x80 | ((value >> 6) & 0x3F)), UInt8(0x80 | (value & 0x3F))]
        default:
            return [UInt8(0xF0 | (value >> 18)), UInt8(0x80 | ((value >> 12) & 0x3F)),
                    UInt8(0x80 | ((value >> 6) & 0x3F)), UInt8(0x80 | (value & 0x3F))]
        }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A)
    }

    private static let windows1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// U+00A0 to U+00FF in order.
    private static let latin1Names = [
        "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
        "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
        "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
        "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
        "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
        "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
    ]

    private static let others: [String: UInt32] = [
        "quot": 0x22, "amp": 0x26, "apos": 0x27, "lt": 0x3C, "gt": 0x3E,
        "QUOT": 0x22, "AMP": 0x26, "LT": 0x3C, "GT": 0x3E, "COPY": 0xA9, "REG": 0xAE,
        // Vietnamese letters outside Latin-1 that HTML5 happens to name.
        "Abreve": 0x102, "abreve": 0x103, "Dstrok": 0x110, "dstrok": 0x111,
        "Itilde": 0x128, "itilde": 0x129, "Utilde": 0x168, "utilde": 0x169,
        "OElig": 0x152, "oelig": 0x153, "Scaron": 0x160, "scaron": 0x161, "Yuml": 0x178, "fnof": 0x192,
        "circ": 0x2C6, "tilde": 0x2DC,
        "ensp": 0x2002, "emsp": 0x2003, "thinsp": 0x2009, "zwnj": 0x200C, "zwj": 0x200D, "lrm": 0x200E, "rlm": 0x200F,
        "ndash": 0x2013, "mdash": 0x2014, "horbar": 0x2015, "lsquo": 0x2018, "rsquo": 0x2019, "sbquo": 0x201A,
        "ldquo": 0x201C, "rdquo": 0x201D, "bdquo": 0x201E, "dagger": 0x2020, "Dagger": 0x2021, "bull": 0x2022,
        "hellip": 0x2026, "permil": 0x2030, "prime": 0x2032, "Prime": 0x2033, "lsaquo": 0x2039, "rsaquo": 0x203A,
        "oline": 0x203E, "frasl": 0x2044, "euro": 0x20AC, "trade": 0x2122,
        "larr": 0x2190, "uarr": 0x2191, "rarr": 0x2192, "darr": 0x2193, "harr": 0x2194, "minus": 0x2212,
    ]

    /// Names browsers decode even without the closing ';'.
    private static let legacy: Set<String> = Set(latin1Names).union(["quot", "amp", "lt", "gt", "QUOT", "AMP", "LT", "GT", "COPY", "REG"])

    private static let table: [String: UInt32] = {
        var table = others
        for (offset, name) in latin1Names.enumerated() { table[name] = UInt32(0xA0 + offset) }
        return table
    }()
}
