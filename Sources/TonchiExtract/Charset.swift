/// The byte encodings the decoder reads, how pages name them, and where an HTML page says which
/// one it uses.
enum Charset: Sendable, Equatable {
    case utf8
    case utf16LE
    case utf16BE
    case windows1252
    case windows1258

    /// The name reports use.
    var name: String {
        switch self {
        case .utf8: return "utf-8"
        case .utf16LE: return "utf-16le"
        case .utf16BE: return "utf-16be"
        case .windows1252: return "windows-1252"
        case .windows1258: return "windows-1258"
        }
    }

    var isSingleByte: Bool { self == .windows1252 || self == .windows1258 }

    /// Scalar values of bytes 0x80–0xFF (bytes below are ASCII).
    var highHalf: [UInt32] {
        switch self {
        case .windows1258: return Charset.cp1258High
        default: return Charset.cp1252High
        }
    }

    /// A label as pages and HTTP headers write it ("UTF8", "latin1", "x-cp1258", "text/html;
    /// charset=…" is not a label). Follows the WHATWG aliases: ISO-8859-1 and ASCII are read as
    /// windows-1252, as browsers do. Nil for labels we do not read (Shift_JIS, KOI8-R…).
    static func named(_ raw: String) -> Charset? {
        var label = raw.lowercased()
        while let f = label.first, f == " " || f == "\t" || f == "\"" || f == "'" { label.removeFirst() }
        while let l = label.last, l == " " || l == "\t" || l == "\"" || l == "'" || l == ";" { label.removeLast() }
        switch label {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8":
            return .utf8
        case "utf-16", "utf-16le", "utf16", "utf16le", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicodefeff":
            return .utf16LE
        case "utf-16be", "utf16be", "unicodefffe":
            return .utf16BE
        case "windows-1258", "cp1258", "x-cp1258", "win-1258", "windows1258":
            return .windows1258
        case "windows-1252", "cp1252", "x-cp1252", "win-1252", "windows1252",
             "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591", "iso_8859-1:1987", "iso-ir-100", "latin1", "l1",
             "csisolatin1", "ibm819", "cp819", "ascii", "us-ascii", "ansi_x3.4-1968", "iso646-us", "cp367", "csascii":
            return .windows1252
        default:
            return nil
        }
    }

    /// windows-1252 bytes 0x80–0xFF. The five bytes it leaves undefined read as the C1 control of
    /// the same value, as in browsers.
    static let cp1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ] + (0xA0...0xFF).map { UInt32($0) }

    /// windows-1258 bytes 0x80–0xFF: windows-1252 with Ă Đ Ơ Ư ă đ ơ ư ₫ and five combining tone
    /// marks (grave 0xCC, hook 0xD2, tilde 0xDE, acute 0xEC, dot below 0xF2) in place of letters
    /// Vietnamese does not use.
    static let cp1258High: [UInt32] = {
        var table = cp1252High
        for (byte, scalar) in [(0x8A, 0x008A), (0x8E, 0x008E), (0x9A, 0x009A), (0x9E, 0x009E),
                               (0xC3, 0x0102), (0xCC, 0x0300), (0xD0, 0x0110), (0xD2, 0x0309), (0xD5, 0x01A0),
                               (0xDD, 0x01AF), (0xDE, 0x0303), (0xE3, 0x0103), (0xEC, 0x0301), (0xF0, 0x0111),
                               (0xF2, 0x0323), (0xF5, 0x01A1), (0xFD, 0x01B0), (0xFE, 0x20AB)] {
            table[byte - 0x80] = UInt32(scalar)
        }
        return table
    }()

    /// The byte a windows-1252 reading turned into `scalar`, if any: the inverse used to undo
    /// mojibake and to read font encodings carried in Unicode text.
    @inline(__always) static func cp1252Byte(of scalar: UInt32) -> UInt8? {
        if scalar < 0x100 { return UInt8(scalar) }
        switch scalar {
        case 0x20AC: return 0x80
        case 0x201A: return 0x82
        case 0x0192: return 0x83
        case 0x201E: return 0x84
        case 0x2026: return 0x85
        case 0x2020: return 0x86
        case 0x2021: return 0x87
        case 0x02C6: return 0x88
        case 0x2030: return 0x89
        case 0x0160: return 0x8A
        case 0x2039: return 0x8B
        case 0x0152: return 0x8C
        case 0x017D: return 0x8E
        case 0x2018: return 0x91
        case 0x2019: return 0x92
        case 0x201C: return 0x93
        case 0x201D: return 0x94
        case 0x2022: return 0x95
        case 0x2013: return 0x96
        case 0x2014: return 0x97
        case 0x02DC: return 0x98
        case 0x2122: return 0x99
        case 0x0161: return 0x9A
        case 0x203A: return 0x9B
        case 0x0153: return 0x9C
        case 0x017E: return 0x9E
        case 0x0178: return 0x9F
        default: return nil
        }
    }
}

// MARK: - Declarations inside the page

enum CharsetSniffer {
    /// How far into an HTML page a declaration is looked for (the HTML5 prescan reads 1024 bytes;
    /// real pages put long scripts first, so a little more).
    static let window = 4096

    /// The label of the first `<meta charset>` or `<meta http-equiv="content-type" content="…;
    /// charset=…">` in the first 4 KB outside comments, or of an XML declaration's `encoding`.
    static func declaredLabel(in bytes: [UInt8]) -> String? {
        let n = min(bytes.count, window)
        if n >= 5, bytes[0] == 0x3C, bytes[1] == 0x3F, lower(bytes[2]) == 0x78, lower(bytes[3]) == 0x6D, lower(bytes[4]) == 0x6C,
           let end = index(of: 0x3E, in: bytes, from: 5, to: n) {
            let attributes = self.attributes(bytes, from: 5, to: end)
            if let encoding = attributes.first(where: { $0.name == "encoding" })?.value { return encoding }
        }
        var i = 0
        while i + 5 < n {
            guard bytes[i] == 0x3C else { i += 1; continue }   // '<'
            if bytes[i + 1] == 0x21, bytes[i + 2] == 0x2D, bytes[i + 3] == 0x2D {   // comment
                var j = i + 4
                while j + 2 < n, !(bytes[j] == 0x2D && bytes[j + 1] == 0x2D && bytes[j + 2] == 0x3E) { j += 1 }
                i = j + 3
                continue
            }
            if lower(bytes[i + 1]) == 0x6D, lower(bytes[i + 2]) == 0x65, lower(bytes[i + 3]) == 0x74, lower(bytes[i + 4]) == 0x61,
               isSpace(bytes[i + 5]) || bytes[i + 5] == 0x2F {
                let end = index(of: 0x3E, in: bytes, from: i + 5, to: n) ?? n
                let attributes = self.attributes(bytes, from: i + 5, to: end)
                if let charset = attributes.first(where: { $0.name == "charset" })?.value { return charset }
                if attributes.contains(where: { $0.name == "http-equiv" && $0.value.lowercased() == "content-type" }),
                   let content = attributes.first(where: { $0.name == "content" })?.value,
                   let label = charsetParameter(content) {
                    return label
                }
                i = end
                continue
            }
            i += 1
        }
        return nil
    }

    /// The value after "charset=" in a content type ("text/html; charset=windows-1258").
    static func charsetParameter(_ contentType: String) -> String? {
        let value = Array(contentType.utf8).map(lower)
        let key = Array("charset".utf8)
        guard value.count > key.count else { return nil }
        for at in 0...(value.count - key.count) where value[at..<(at + key.count)].elementsEqual(key) {
            var j = at + key.count
            while j < value.count, value[j] == 0x20 { j += 1 }
            guard j < value.count, value[j] == 0x3D else { continue }   // '='
            j += 1
            while j < value.count, value[j] == 0x20 || value[j] == 0x22 || value[j] == 0x27 { j += 1 }
            let start = j
            while j < value.count, value[j] != 0x3B, value[j] != 0x20, value[j] != 0x22, value[j] != 0x27 { j += 1 }
            return j > start ? String(decoding: value[start..<j], as: UTF8.self) : nil
        }
        return nil
    }

    private static func attributes(_ bytes: [UInt8], from start: Int, to end: Int) -> [(name: String, value: String)] {
        var result: [(String, String)] = []
        var j = start
        while j < end {
            while j < end, isSpace(bytes[j]) || bytes[j] == 0x2F || bytes[j] == 0x3F { j += 1 }
            let nameStart = j
            while j < end, !isSpace(bytes[j]), bytes[j] != 0x3D, bytes[j] != 0x2F { j += 1 }
            guard j > nameStart else { break }
            let name = String(decoding: bytes[nameStart..<j].map(lower), as: UTF8.self)
            while j < end, isSpace(bytes[j]) { j += 1 }
            var value = ""
            if j < end, bytes[j] == 0x3D {
                j += 1
                while j < end, isSpace(bytes[j]) { j += 1 }
                if j < end, bytes[j] == 0x22 || bytes[j] == 0x27 {
                    let quote = bytes[j]
                    let valueStart = j + 1
                    j = index(of: quote, in: bytes, from: valueStart, to: end) ?? end
                    value = String(decoding: bytes[valueStart..<j], as: UTF8.self)
                    j += 1
                } else {
                    let valueStart = j
                    while j < end, !isSpace(bytes[j]) { j += 1 }
                    value = String(decoding: bytes[valueStart..<j], as: UTF8.self)
                }
            }
            result.append((name, value))
        }
        return result
    }

    private static func index(of byte: UInt8, in bytes: [UInt8], from: Int, to: Int) -> Int? {
        var j = from
        while j < to { if bytes[j] == byte { return j }; j += 1 }
        return nil
    }

    @inline(__always) private static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
    @inline(__always) private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C }
}
