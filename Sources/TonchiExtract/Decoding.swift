import TonchiCore

/// A source turned into UTF-8, with the way back to its bytes.
public struct Decoded: Sendable {
    /// The text as UTF-8. For UTF-8 input this is the input itself (invalid bytes are kept as
    /// they are, for the normalizer to show as U+FFFD).
    public let utf8: [UInt8]
    /// Positions in `utf8` to positions in the original bytes. Each decoded character maps to
    /// exactly the bytes it came from (one byte of windows-1258, the 2–9 bytes of a repaired
    /// double-encoded letter, the two bytes of a VNI letter).
    public let map: OffsetMap
    /// "utf-8", "utf-8 (repaired double encoding)", "windows-1258", "windows-1252", "utf-16le",
    /// "utf-16be", "tcvn3", "vni", "utf-8 (tcvn3 converted)", "utf-8 (vni converted)".
    /// `SourceDecoder.decode(_:as:)` reads bytes again the same way.
    public let encoding: String
    /// What a report must say about the decoding.
    public let notes: [String]
    /// True when `utf8` is the input unchanged and `map` the identity.
    public let isIdentity: Bool

    init(utf8: [UInt8], map: OffsetMap, encoding: String, notes: [String], isIdentity: Bool = false) {
        self.utf8 = utf8
        self.map = map
        self.encoding = encoding
        self.notes = notes
        self.isIdentity = isIdentity
    }

    static func identity(_ bytes: [UInt8], encoding: String = "utf-8", notes: [String]) -> Decoded {
        Decoded(utf8: bytes, map: .identity(length: bytes.count), encoding: encoding, notes: notes, isIdentity: true)
    }
}

/// Turns the bytes of a page into UTF-8 before extraction.
public enum SourceDecoder {
    /// The charset comes from (in order) a byte order mark, the caller's declared charset (an
    /// HTTP header), and for HTML a `<meta charset>` or `<meta http-equiv="content-type">` in the
    /// first 4 KB; UTF-8 otherwise. Then what the bytes say wins over a wrong label: valid UTF-8
    /// declared as something else is read as UTF-8, double-encoded UTF-8 is repaired, and
    /// TCVN3/VNI font encodings and unlabelled windows-1258 are recognised by their words.
    ///
    /// Valid UTF-8 that needs none of this (the common case) comes back as the same array with
    /// an identity map after one quick pass.
    public static func decode(_ bytes: [UInt8], declaredCharset: String?, isHTML: Bool) -> Decoded {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return utf8(bytes, scan: UTF8Scan(bytes), notes: [], labelled: true) }
        if bytes.starts(with: [0xFF, 0xFE]) { return utf16(bytes, bigEndian: false, notes: ["UTF-16LE byte order mark"]) }
        if bytes.starts(with: [0xFE, 0xFF]) { return utf16(bytes, bigEndian: true, notes: ["UTF-16BE byte order mark"]) }

        var notes: [String] = []
        var chosen: (charset: Charset, origin: String)? = nil
        if let declared = declaredCharset?.trimmingSpaces(), !declared.isEmpty {
            let label = CharsetSniffer.charsetParameter(declared) ?? declared   // a whole Content-Type is fine too
            if let charset = Charset.named(label) { chosen = (charset, "HTTP header") }
            else { notes.append("declared charset \(label) is not supported; read as UTF-8") }
        }
        if chosen == nil, isHTML, let label = CharsetSniffer.declaredLabel(in: bytes) {
            if let charset = Charset.named(label) {
                // A page that can say "utf-16" in ASCII is not UTF-16 (HTML5 reads it as UTF-8).
                chosen = (charset == .utf16LE || charset == .utf16BE ? .utf8 : charset, "<meta> tag")
            } else {
                notes.append("declared charset \(label) is not supported; read as UTF-8")
            }
        }

        switch chosen?.charset ?? .utf8 {
        case .utf8:
            return utf8(bytes, scan: UTF8Scan(bytes), notes: notes, labelled: chosen != nil)
        case .utf16LE:
            return utf16(bytes, bigEndian: false, notes: notes + ["declared utf-16le (\(chosen!.origin))"])
        case .utf16BE:
            return utf16(bytes, bigEndian: true, notes: notes + ["declared utf-16be (\(chosen!.origin))"])
        case let charset:
            let declared = "declared \(charset.name) (\(chosen!.origin))"
            let scan = UTF8Scan(bytes)
            if scan.invalid == 0 {
                // Pure ASCII reads the same either way; real UTF-8 letters outvote the label.
                if scan.multibyte == 0 { return .identity(bytes, encoding: charset.name, notes: notes) }
                return utf8(bytes, scan: scan, notes: notes + [declared + " but the bytes are valid UTF-8; read as UTF-8"], labelled: true)
            }
            return singleByte(bytes, charset: charset, notes: notes + [declared])
        }
    }

    /// Reads bytes exactly as a `Decoded.encoding` says, with no detection: for checking that
    /// a slice of the source says what the decoded text says. Nil for an unknown name.
    public static func decode(_ bytes: [UInt8], as encoding: String) -> Decoded? {
        switch encoding {
        case "utf-8": return .identity(bytes, notes: [])
        case "utf-8 (repaired double encoding)":
            let (utf8, map, _) = DoubleEncoding.repair(bytes)
            return Decoded(utf8: utf8, map: map, encoding: encoding, notes: [])
        case "utf-16le", "utf-16be":
            return utf16(bytes, bigEndian: encoding == "utf-16be", notes: [], skipBOM: false)
        case "tcvn3", "vni", "utf-8 (tcvn3 converted)", "utf-8 (vni converted)":
            let font: LegacyFont = encoding.contains("tcvn3") ? .tcvn3 : .vni
            let units = LegacyUnits(source: bytes, carrier: encoding.hasPrefix("utf-8") ? .utf8 : .windows1252)
            let (utf8, map) = LegacyDecoder.convert(units, reading: .font(font))
            return Decoded(utf8: utf8, map: map, encoding: encoding, notes: [])
        default:
            guard let charset = Charset.named(encoding), charset.isSingleByte else { return nil }
            let (utf8, map) = LegacyDecoder.convert(LegacyUnits(source: bytes, carrier: charset), reading: .plain)
            return Decoded(utf8: utf8, map: map, encoding: charset.name, notes: [])
        }
    }

    // MARK: UTF-8

    /// UTF-8, or what hides in it: double encoding, a font encoding carried as Latin-1 letters,
    /// or (unlabelled, mostly invalid) a legacy single-byte page.
    static func utf8(_ bytes: [UInt8], scan: UTF8Scan, notes: [String], labelled: Bool) -> Decoded {
        var notes = notes
        var lookedForFonts = false
        if scan.invalid > 0 && !labelled && scan.invalid > scan.multibyte {
            lookedForFonts = true
            // Not UTF-8 and nothing said what it is: believe it only if its words say so.
            let units = LegacyUnits(source: bytes, carrier: .windows1252)
            let verdict = LegacyDecoder.verdict(units)
            if let reading = verdict.conversion, let (encoding, note) = describe(reading) {
                let (utf8, map) = LegacyDecoder.convert(units, reading: reading)
                notes.append("no charset declared and the bytes are not UTF-8; " + note)
                return Decoded(utf8: utf8, map: map, encoding: encoding, notes: notes)
            }
            if let font = verdict.partialFont { notes.append("\(font.displayName) font encoding detected, not converted") }
        }
        if scan.invalid > 0 {
            notes.append("invalid UTF-8 at byte \(scan.firstInvalid) kept as U+FFFD"
                         + (scan.invalid > 1 ? " (\(scan.invalid - 1) more invalid sequence\(scan.invalid > 2 ? "s" : ""))" : ""))
        }
        if scan.mojibakePairs > 0 {
            let census = DoubleEncoding.census(bytes)
            if census.isDoubleEncoded {
                let (utf8, map, repaired) = DoubleEncoding.repair(bytes)
                notes.append("double-encoded UTF-8 repaired (\(repaired) characters)")
                return Decoded(utf8: utf8, map: map, encoding: "utf-8 (repaired double encoding)", notes: notes)
            }
            if census.repairable >= 8 {
                notes.append("part of the text looks double-encoded (\(census.repairable) sequences); not repaired")
            }
        }
        if scan.mayHoldFontEncoding && !lookedForFonts {
            let units = LegacyUnits(source: bytes, carrier: .utf8)
            let verdict = LegacyDecoder.verdict(units)
            // Converting would spoil the real Vietnamese letters' neighbours in a Unicode page.
            if let reading = verdict.conversion, case .font(let font) = reading, scan.otherLetters * 20 <= scan.latin1 {
                let (utf8, map) = LegacyDecoder.convert(units, reading: reading)
                notes.append("\(font.displayName) font encoding detected and converted")
                return Decoded(utf8: utf8, map: map, encoding: "utf-8 (\(font.rawValue) converted)", notes: notes)
            }
            if let font = verdict.partialFont ?? verdict.conversion.flatMap(\.font) {
                notes.append("\(font.displayName) font encoding detected, not converted")
            }
        }
        return .identity(bytes, notes: notes)
    }

    // MARK: Single-byte charsets

    static func singleByte(_ bytes: [UInt8], charset: Charset, notes: [String]) -> Decoded {
        var notes = notes
        let units = LegacyUnits(source: bytes, carrier: charset)
        let verdict = LegacyDecoder.verdict(units)
        if let reading = verdict.conversion, let (encoding, note) = describe(reading) {
            // Font encodings are always read over windows-1252 (what `decode(_:as:)` does too).
            let carrier = reading == .windows1258 ? units : LegacyUnits(source: bytes, carrier: .windows1252)
            let (utf8, map) = LegacyDecoder.convert(carrier, reading: reading)
            notes.append(reading == .windows1258 ? "the words read as windows-1258, not \(charset.name); read as windows-1258" : note)
            return Decoded(utf8: utf8, map: map, encoding: encoding, notes: notes)
        }
        if let font = verdict.partialFont { notes.append("\(font.displayName) font encoding detected, not converted") }
        let (utf8, map) = LegacyDecoder.convert(units, reading: .plain)
        return Decoded(utf8: utf8, map: map, encoding: charset.name, notes: notes)
    }

    /// The encoding name and note for a legacy reading of raw bytes.
    private static func describe(_ reading: LegacyReading) -> (encoding: String, note: String)? {
        switch reading {
        case .plain: return nil
        case .windows1258: return ("windows-1258", "windows-1258 detected by its words")
        case .font(let font): return (font.rawValue, "\(font.displayName) font encoding detected and converted")
        }
    }

    // MARK: UTF-16

    static func utf16(_ bytes: [UInt8], bigEndian: Bool, notes: [String], skipBOM: Bool = true) -> Decoded {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var map = OffsetMap()
        var notes = notes
        var invalid = 0, firstInvalid = -1
        func unit(_ i: Int) -> UInt32 {
            bigEndian ? UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1]) : UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i])
        }
        func emit(_ scalar: UInt32, _ source: Range<Int>) {
            let before = out.count
            UTF8Reader.append(scalar, to: &out)
            map.appendReplacement(derivedLength: out.count - before, source: source)
        }
        var i = 0
        if skipBOM, bytes.count >= 2, unit(0) == 0xFEFF { map.appendReplacement(derivedLength: 0, source: 0..<2); i = 2 }
        while i + 1 < bytes.count {
            let u = unit(i)
            if u >= 0xD800 && u <= 0xDBFF, i + 3 < bytes.count, case let low = unit(i + 2), low >= 0xDC00 && low <= 0xDFFF {
                emit(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), i..<(i + 4))
                i += 4
            } else if u >= 0xD800 && u <= 0xDFFF {
                if firstInvalid < 0 { firstInvalid = i }
                invalid += 1
                emit(0xFFFD, i..<(i + 2))
                i += 2
            } else {
                emit(u, i..<(i + 2))
                i += 2
            }
        }
        if i < bytes.count {
            if firstInvalid < 0 { firstInvalid = i }
            invalid += 1
            emit(0xFFFD, i..<bytes.count)
        }
        if invalid > 0 { notes.append("invalid UTF-16 at byte \(firstInvalid) read as U+FFFD") }
        return Decoded(utf8: out, map: map, encoding: bigEndian ? "utf-16be" : "utf-16le", notes: notes)
    }
}

// MARK: - The quick pass over UTF-8

/// One pass over UTF-8 input: is it valid, and is there any sign of double encoding or of a
/// font encoding worth a closer look? ASCII goes eight bytes at a time.
struct UTF8Scan {
    /// Invalid sequences (maximal subparts, as U+FFFD would replace them) and where the first is.
    var invalid = 0
    var firstInvalid = -1
    /// Valid non-ASCII characters.
    var multibyte = 0
    /// U+0080–U+00FF characters: Latin-1 letters, or the carrier of mojibake and font encodings.
    var latin1 = 0
    /// Letters beyond Latin-1: Latin Extended (Đ Ă Ơ Ư, ș…), combining marks, U+1Exx.
    var otherLetters = 0
    /// "Ã" to "ô" followed directly by U+0080–U+00BF or windows-1252 punctuation: how every
    /// double-encoded letter starts.
    var mojibakePairs = 0

    /// Whether the "Ã"…"ô" at `i` is followed by as many characters standing for continuation
    /// bytes (U+0080–U+00BF or windows-1252 punctuation) as the UTF-8 lead it stands for needs.
    static func isMojibake(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let lead = p[i + 1] &+ 0x40
        var need = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3
        var j = i + 2
        let n = p.count
        while need > 0 {
            guard j + 1 < n else { return false }
            let b0 = p[j], b1 = p[j + 1]
            switch b0 {
            case 0xC2: guard b1 >= 0x80 && b1 <= 0xBF else { return false }; j += 2
            case 0xC5: guard b1 == 0x92 || b1 == 0x93 || b1 == 0xA0 || b1 == 0xA1 || b1 == 0xB8 || b1 == 0xBD || b1 == 0xBE else { return false }; j += 2
            case 0xC6: guard b1 == 0x92 else { return false }; j += 2
            case 0xCB: guard b1 == 0x86 || b1 == 0x9C else { return false }; j += 2
            case 0xE2:
                guard j + 2 < n, b1 == 0x80 || (b1 == 0x84 && p[j + 2] == 0xA2) || (b1 == 0x82 && p[j + 2] == 0xAC) else { return false }
                j += 3
            default: return false
            }
            need -= 1
        }
        return true
    }

    /// Latin-1 letters outnumber real Vietnamese ones: TCVN3/VNI text could hide there.
    var mayHoldFontEncoding: Bool { latin1 >= 4 && latin1 > 2 * otherLetters }

    init(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { scan($0) }
    }

    private mutating func scan(_ p: UnsafeBufferPointer<UInt8>) {
        guard let base = p.baseAddress else { return }
        let n = p.count
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i < n {
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let b0 = p[i]
            if b0 < 0x80 { i += 1; continue }
            let length = UTF8Reader.validLength(p, at: i)
            if length == 0 {
                if firstInvalid < 0 { firstInvalid = i }
                invalid += 1
                i += UTF8Reader.invalidLength(p, at: i)
                continue
            }
            multibyte += 1
            switch b0 {
            case 0xC2:
                latin1 += 1
            case 0xC3:
                latin1 += 1
                if p[i + 1] >= 0x82, p[i + 1] <= 0xB4, UTF8Scan.isMojibake(p, at: i) { mojibakePairs += 1 }
            case 0xC4...0xCD, 0xE1:
                otherLetters += 1
            default:
                break
            }
            i += length
        }
    }
}

/// Small UTF-8 reading and writing helpers shared by the decoders.
enum UTF8Reader {
    /// Length of the valid sequence at `i` (0 if invalid); the byte at `i` is ≥ 0x80.
    @inline(__always) static func validLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        if b0 < 0xC2 || b0 > 0xF4 { return 0 }
        guard i + 1 < n else { return 0 }
        let b1 = p[i + 1]
        if b0 < 0xE0 { return b1 & 0xC0 == 0x80 ? 2 : 0 }
        let low: UInt8 = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF
        guard b1 >= low, b1 <= high, i + 2 < n, p[i + 2] & 0xC0 == 0x80 else { return 0 }
        if b0 < 0xF0 { return 3 }
        guard i + 3 < n, p[i + 3] & 0xC0 == 0x80 else { return 0 }
        return 4
    }

    /// Length of the maximal ill-formed subpart at `i` (what one U+FFFD replaces).
    static func invalidLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        if b0 < 0xC2 || b0 > 0xF4 || i + 1 >= n { return 1 }
        let b1 = p[i + 1]
        if b0 < 0xE0 { return 1 }
        let low: UInt8 = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF
        guard b1 >= low, b1 <= high else { return 1 }
        guard i + 2 < n, p[i + 2] & 0xC0 == 0x80 else { return 2 }
        return 3   // only a four-byte lead gets here: its fourth byte is missing
    }

    /// The scalar at `i` and its length; nil (with the ill-formed length) when invalid.
    static func scalar(in bytes: [UInt8], at i: Int) -> (scalar: UInt32?, length: Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let n = bytes.count
        guard b0 >= 0xC2, b0 <= 0xF4, i + 1 < n else { return (nil, 1) }
        let b1 = bytes[i + 1]
        if b0 < 0xE0 {
            return b1 & 0xC0 == 0x80 ? (UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), 2) : (nil, 1)
        }
        let low: UInt8 = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80
        let high: UInt8 = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF
        guard b1 >= low, b1 <= high else { return (nil, 1) }
        guard i + 2 < n, bytes[i + 2] & 0xC0 == 0x80 else { return (nil, 2) }
        let b2 = bytes[i + 2]
        if b0 < 0xF0 { return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3) }
        guard i + 3 < n, bytes[i + 3] & 0xC0 == 0x80 else { return (nil, 3) }
        return (UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F), 4)
    }

    @inline(__always) static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6)); out.append(UInt8(0x80 | scalar & 0x3F))
        case 0xD800...0xDFFF:
            append(0xFFFD, to: &out)
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12)); out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x110000:
            out.append(UInt8(0xF0 | scalar >> 18)); out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F)); out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            append(0xFFFD, to: &out)
        }
    }
}
