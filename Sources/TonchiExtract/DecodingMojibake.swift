import TonchiCore

/// Double-encoded UTF-8: UTF-8 bytes read as windows-1252 (or Latin-1) and encoded to UTF-8
/// again, so "Việt" (56 69 E1 BB 87 74) became "Viá»‡t". Each run of characters whose
/// windows-1252 bytes form one valid UTF-8 sequence is put back, mapped to all the bytes it came
/// from; anything that does not undo cleanly is left as it is.
enum DoubleEncoding {
    struct Census {
        /// Sequences that undo to one character.
        var repairable = 0
        /// Of those, the ones that give a printable character (not a C1 control).
        var printable = 0
        /// Other non-ASCII characters (genuine ones, or pieces that do not undo).
        var others = 0

        /// Most non-ASCII text undoes, into printable characters: the page is double-encoded.
        var isDoubleEncoded: Bool {
            repairable > 0 && printable * 2 >= repairable && repairable > others
        }
    }

    static func census(_ bytes: [UInt8]) -> Census {
        var census = Census()
        walk(bytes) { event in
            switch event {
            case .repaired(let scalar, _):
                census.repairable += 1
                if scalar >= 0xA0 { census.printable += 1 }
            case .other(let isASCII, _):
                if !isASCII { census.others += 1 }
            }
        }
        return census
    }

    /// The repaired text and its map to `bytes`, with the number of characters repaired.
    static func repair(_ bytes: [UInt8]) -> (utf8: [UInt8], map: OffsetMap, repaired: Int) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var map = OffsetMap()
        var repaired = 0
        walk(bytes) { event in
            switch event {
            case .repaired(let scalar, let source):
                let before = out.count
                UTF8Reader.append(scalar, to: &out)
                map.appendReplacement(derivedLength: out.count - before, source: source)
                repaired += 1
            case .other(_, let source):
                out.append(contentsOf: bytes[source])
                map.appendIdentity(sourceStart: source.lowerBound, length: source.count)
            }
        }
        map.appendReplacement(derivedLength: 0, source: bytes.count..<bytes.count)
        return (out, map, repaired)
    }

    private enum Event {
        case repaired(UInt32, Range<Int>)
        case other(isASCII: Bool, Range<Int>)
    }

    /// Reads `bytes` as UTF-8 and reports, in order, each undone sequence and each character
    /// (or ASCII run, or invalid byte run) left as it is.
    private static func walk(_ bytes: [UInt8], _ body: (Event) -> Void) {
        let n = bytes.count
        var i = 0
        var asciiStart = 0
        func flushASCII(_ end: Int) {
            if asciiStart < end { body(.other(isASCII: true, asciiStart..<end)) }
        }
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            flushASCII(i)
            if b == 0xC3, let (scalar, end) = undo(bytes, at: i) {
                body(.repaired(scalar, i..<end))
                i = end
            } else {
                let length = UTF8Reader.scalar(in: bytes, at: i).length
                body(.other(isASCII: false, i..<(i + length)))
                i += length
            }
            asciiStart = i
        }
        flushASCII(n)
    }

    /// The character whose UTF-8 bytes, read as windows-1252 and written as UTF-8, start at `i`
    /// (U+00C2–U+00F4, then continuation characters), and where its mojibake ends.
    private static func undo(_ bytes: [UInt8], at i: Int) -> (UInt32, Int)? {
        guard let (leadScalar, leadLength) = scalar(bytes, i), leadScalar >= 0xC2, leadScalar <= 0xF4 else { return nil }
        let lead = UInt8(leadScalar)
        let need = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3
        var value = UInt32(lead) & (lead < 0xE0 ? 0x1F : lead < 0xF0 ? 0x0F : 0x07)
        var j = i + leadLength
        for k in 0..<need {
            guard let (s, length) = scalar(bytes, j), let byte = Charset.cp1252Byte(of: s), byte & 0xC0 == 0x80 else { return nil }
            if k == 0 {   // the second byte's range keeps out overlongs and surrogates
                switch lead {
                case 0xE0: guard byte >= 0xA0 else { return nil }
                case 0xED: guard byte <= 0x9F else { return nil }
                case 0xF0: guard byte >= 0x90 else { return nil }
                case 0xF4: guard byte <= 0x8F else { return nil }
                default: break
                }
            }
            value = value << 6 | UInt32(byte & 0x3F)
            j += length
        }
        return (value, j)
    }

    @inline(__always) private static func scalar(_ bytes: [UInt8], _ i: Int) -> (UInt32, Int)? {
        guard i < bytes.count else { return nil }
        let (scalar, length) = UTF8Reader.scalar(in: bytes, at: i)
        guard let scalar else { return nil }
        return (scalar, length)
    }
}
