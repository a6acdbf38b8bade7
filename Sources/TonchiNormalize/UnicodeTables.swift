import Foundation

/// Per-scalar facts the normalizer needs, built once per process. The standard library exposes
/// general category, combining class and case mappings but not decompositions or NFC quick-check
/// data, so those few facts are hard-coded (from Unicode's DerivedNormalizationProps) or read from
/// Foundation once at start-up; tests check them against Foundation.
enum ScalarFlag {
    /// Letter, decimal digit or combining mark: part of a word.
    static let word: UInt8 = 1
    /// Can interact with the scalar before it under NFC (combining class > 0, or NFC_QC=Maybe).
    static let join: UInt8 = 2
    static let space: UInt8 = 4
    static let lineBreak: UInt8 = 8
    /// Invisible characters removed from the normalized view.
    static let zeroWidth: UInt8 = 16
    /// NFC_QC=No starter (a singleton or exclusion such as U+212A KELVIN SIGN): NFC changes it alone.
    static let slowNFC: UInt8 = 32
    static let caseChanges: UInt8 = 64
}

/// What a unit of output means to the stateful parts of the pipeline (tone placement, whitespace).
enum Kind {
    static let other: UInt8 = 0
    static let word: UInt8 = 1
    static let vowelO: UInt8 = 2   // plain o/O, may take the tone of a following a/e
    static let vowelU: UInt8 = 3   // plain u/U, may take the tone of a following y
    static let letterQ: UInt8 = 4  // "qu" owns its u, so quý keeps its tone on y
    static let tonedAE: UInt8 = 5  // a/e carrying only a tone mark
    static let tonedY: UInt8 = 6
    static let space: UInt8 = 7
    static let lineBreak: UInt8 = 8
    static let drop: UInt8 = 9

    @inline(__always) static func isWord(_ k: UInt8) -> Bool { k &- 1 < 6 }
}

/// Which steps of the pipeline run. The public API uses the fixed combinations below.
struct Mode: Hashable, Sendable {
    var fold: Bool
    /// Collapse whitespace runs and remove zero-width characters.
    var whitespace: Bool
    var tones: Bool
    var strip: Bool

    static let document = Mode(fold: true, whitespace: true, tones: true, strip: false)
    static let stripped = Mode(fold: true, whitespace: true, tones: false, strip: true)
    static let canonical = Mode(fold: false, whitespace: false, tones: true, strip: false)
    static let nfcOnly = Mode(fold: false, whitespace: false, tones: false, strip: false)
}

/// Precomputed output of one Latin scalar (U+0000–U+024F, U+1E00–U+1EFF) in one mode.
struct LatinEntry {
    /// Output UTF-8, little-endian packed (at most 4 bytes: İ folds to "i\u{307}", 3 bytes).
    var bytes: UInt32 = 0
    var length: UInt8 = 0
    var kind: UInt8 = Kind.other
    /// Output has the input's byte length, so the map can treat it as copied (positions stay exact).
    var sameLength = false
}

@inline(__always) func latinIndex(_ s: UInt32) -> Int? {
    if s < 0x250 { return Int(s) }
    if s &- 0x1E00 < 0x100 { return Int(s &- 0x1E00) &+ 0x250 }
    return nil
}
let latinTableSize = 0x350

@inline(__always) func utf8Length(_ s: UInt32) -> Int {
    s < 0x80 ? 1 : s < 0x800 ? 2 : s < 0x10000 ? 3 : 4
}

/// Packs the UTF-8 of `s` little-endian into a UInt32.
@inline(__always) func packUTF8(_ s: UInt32) -> (UInt32, Int) {
    if s < 0x80 { return (s, 1) }
    if s < 0x800 { return ((0xC0 | s >> 6) | (0x80 | s & 0x3F) << 8, 2) }
    if s < 0x10000 {
        return ((0xE0 | s >> 12) | (0x80 | (s >> 6) & 0x3F) << 8 | (0x80 | s & 0x3F) << 16, 3)
    }
    return ((0xF0 | s >> 18) | (0x80 | (s >> 12) & 0x3F) << 8 | (0x80 | (s >> 6) & 0x3F) << 16
            | (0x80 | s & 0x3F) << 24, 4)
}

/// The BMP flag table as a plain pointer: reading it through the shared class instance would cost
/// an atomic retain/release per call, which contends when documents are normalized in parallel.
/// Written once during initialization, read-only afterwards.
nonisolated(unsafe) let bmpScalarFlags: UnsafeMutablePointer<UInt8> = UnicodeTables.shared.flags

@inline(__always) func scalarFlags(_ v: UInt32) -> UInt8 {
    v < 0x10000 ? bmpScalarFlags[Int(v)] : Unicode.Scalar(v).map(UnicodeTables.computeFlags) ?? 0
}

final class UnicodeTables: @unchecked Sendable {
    static let shared = UnicodeTables()

    /// ScalarFlag bits for every BMP scalar.
    let flags: UnsafeMutablePointer<UInt8>
    /// Single-scalar lowercase of BMP scalars (0 when unchanged or when the mapping is longer).
    let lower: UnsafeMutablePointer<UInt32>
    /// Full canonical decomposition of the Latin scalars that have one.
    let decomposition: [UInt32: [UInt32]]
    /// Canonical composition pairs (first << 32 | second) for compositions from a Latin base.
    let pairs: [UInt64: UInt32]
    /// Output of each Latin scalar, per mode.
    let latin: [Mode: UnsafeMutablePointer<LatinEntry>]
    /// Output byte of each ASCII byte in the fast loop, per mode; 0 = needs the general path.
    let ascii: [Mode: UnsafeMutablePointer<UInt8>]

    // Flat copies of the Latin decomposition and composition data for the cluster path, so NFD
    // text composes without dictionaries or allocation.
    /// Per Latin index: [count, scalar, scalar, scalar] (count 0 = no decomposition; at most 3 scalars).
    let latinDecomposition: UnsafeMutablePointer<UInt32>
    /// Combining class of U+0300–U+036F.
    let markClass: UnsafeMutablePointer<UInt8>
    /// Column of each U+0300–U+036F mark in `composition` (0xFF: composes with nothing Latin).
    let markSlot: UnsafeMutablePointer<UInt8>
    /// composition[slot * latinTableSize + latinIndex(base)] = composite, or 0.
    let composition: UnsafeMutablePointer<UInt32>

    static let toneMarks: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]

    private init() {
        flags = .allocate(capacity: 0x10000)
        flags.initialize(repeating: 0, count: 0x10000)
        lower = .allocate(capacity: 0x10000)
        lower.initialize(repeating: 0, count: 0x10000)
        for v in 0..<UInt32(0x10000) {
            guard let s = Unicode.Scalar(v) else { continue }
            flags[Int(v)] = UnicodeTables.computeFlags(s)
            if s.properties.changesWhenLowercased {
                let mapped = s.properties.lowercaseMapping.unicodeScalars
                if mapped.count == 1 { lower[Int(v)] = mapped.first!.value }
            }
        }

        var decomposition: [UInt32: [UInt32]] = [:]
        var pairs: [UInt64: UInt32] = [:]
        for index in 0..<latinTableSize {
            let v = index < 0x250 ? UInt32(index) : UInt32(index - 0x250 + 0x1E00)
            guard let s = Unicode.Scalar(v) else { continue }
            let nfd = String(s).decomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
            guard nfd.count > 1 else { continue }
            decomposition[v] = nfd
            // The composition pair is (NFC of all but the last mark, last mark).
            let prefix = String(String.UnicodeScalarView(nfd.dropLast().map { Unicode.Scalar($0)! }))
                .precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
            if prefix.count == 1 { pairs[UInt64(prefix[0]) << 32 | UInt64(nfd.last!)] = v }
        }
        // Primary composites outside the Latin blocks whose base is Latin (from UnicodeData).
        for (a, b, c) in [(0xA8, 0x301, 0x385), (0xA8, 0x342, 0x1FC1), (0xA8, 0x300, 0x1FED),
                          (0x3D, 0x338, 0x2260), (0x3C, 0x338, 0x226E), (0x3E, 0x338, 0x226F)] as [(UInt32, UInt32, UInt32)] {
            pairs[UInt64(a) << 32 | UInt64(b)] = c
        }
        self.decomposition = decomposition
        self.pairs = pairs

        latinDecomposition = .allocate(capacity: latinTableSize * 4)
        latinDecomposition.initialize(repeating: 0, count: latinTableSize * 4)
        for (v, d) in decomposition {
            let at = latinIndex(v)! * 4
            latinDecomposition[at] = UInt32(d.count)
            for (k, c) in d.enumerated() { latinDecomposition[at + 1 + k] = c }
        }
        markClass = .allocate(capacity: 0x70)
        markSlot = .allocate(capacity: 0x70)
        markSlot.initialize(repeating: 0xFF, count: 0x70)
        for m in 0..<0x70 { markClass[m] = Unicode.Scalar(UInt32(0x300 + m))!.properties.canonicalCombiningClass.rawValue }
        var slots = 0
        for key in pairs.keys {
            let m = Int(key & 0xFFFF_FFFF) - 0x300
            if markSlot[m] == 0xFF { markSlot[m] = UInt8(slots); slots += 1 }
        }
        composition = .allocate(capacity: slots * latinTableSize)
        composition.initialize(repeating: 0, count: slots * latinTableSize)
        for (key, composite) in pairs {
            guard let base = latinIndex(UInt32(key >> 32)) else { continue }
            composition[Int(markSlot[Int(key & 0xFFFF_FFFF) - 0x300]) * latinTableSize + base] = composite
        }

        var latin: [Mode: UnsafeMutablePointer<LatinEntry>] = [:]
        var ascii: [Mode: UnsafeMutablePointer<UInt8>] = [:]
        for mode in [Mode.document, .stripped, .canonical, .nfcOnly] {
            let table = UnsafeMutablePointer<LatinEntry>.allocate(capacity: latinTableSize)
            table.initialize(repeating: LatinEntry(), count: latinTableSize)
            for index in 0..<latinTableSize {
                let v = index < 0x250 ? UInt32(index) : UInt32(index - 0x250 + 0x1E00)
                table[index] = Self.latinEntry(v, mode: mode, flags: flags, lower: lower, decomposition: decomposition)
            }
            latin[mode] = table
            let fast = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
            fast.initialize(repeating: 0, count: 256)
            for b in 0..<128 {
                let e = table[b]
                if e.length == 1 && (e.kind == Kind.word || e.kind == Kind.other) && b >= 0x20 {
                    fast[b] = UInt8(e.bytes)
                }
            }
            ascii[mode] = fast
        }
        self.latin = latin
        self.ascii = ascii
    }

    static func computeFlags(_ s: Unicode.Scalar) -> UInt8 {
        let v = s.value
        var f: UInt8 = 0
        let p = s.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            // Variation selectors are marks but only pick a glyph; they do not make a word.
            if !(0xFE00...0xFE0F).contains(v) && !(0xE0100...0xE01EF).contains(v) { f |= ScalarFlag.word }
        default: break
        }
        if p.canonicalCombiningClass.rawValue != 0 || isMaybeStarter(v) { f |= ScalarFlag.join }
        switch v {
        case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: f |= ScalarFlag.lineBreak
        case 0x00...0x20, 0x7F...0x9F, 0xA0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: f |= ScalarFlag.space
        // The listed zero-width characters, plus the invisible bidi marks and U+180E seen in scraped text.
        case 0xAD, 0x180E, 0x200B...0x200F, 0x2060, 0xFEFF: f |= ScalarFlag.zeroWidth
        default: break
        }
        if isNFCNoStarter(v) { f |= ScalarFlag.slowNFC }
        if p.changesWhenLowercased { f |= ScalarFlag.caseChanges }
        return f
    }

    /// Starters with NFC_QC=Maybe (combining class 0 but composing with the scalar before), plus the
    /// Hangul vowel and trailing jamo that compose algorithmically.
    static func isMaybeStarter(_ v: UInt32) -> Bool {
        switch v {
        case 0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6, 0x0D3E, 0x0D57,
             0x0DCF, 0x0DDF, 0x102E, 0x1B35, 0x1161...0x1175, 0x11A8...0x11C2,
             0x11127, 0x1133E, 0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930:
            return true
        default:
            return false
        }
    }

    /// Starters with NFC_QC=No (Unicode 14 DerivedNormalizationProps).
    static func isNFCNoStarter(_ v: UInt32) -> Bool {
        switch v {
        case 0x374, 0x37E, 0x387, 0x958...0x95F, 0x9DC...0x9DD, 0x9DF, 0xA33, 0xA36, 0xA59...0xA5B, 0xA5E,
             0xB5C...0xB5D, 0xF43, 0xF4D, 0xF52, 0xF57, 0xF5C, 0xF69, 0xF73, 0xF75...0xF76, 0xF78, 0xF81,
             0xF93, 0xF9D, 0xFA2, 0xFA7, 0xFAC, 0xFB9, 0x1F71, 0x1F73, 0x1F75, 0x1F77, 0x1F79, 0x1F7B,
             0x1F7D, 0x1FBB, 0x1FBE, 0x1FC9, 0x1FCB, 0x1FD3, 0x1FDB, 0x1FE3, 0x1FEB, 0x1FEE...0x1FEF,
             0x1FF9, 0x1FFB, 0x1FFD, 0x2000...0x2001, 0x2126, 0x212A...0x212B, 0x2329...0x232A, 0x2ADC,
             0xF900...0xFA0D, 0xFA10, 0xFA12, 0xFA15...0xFA1E, 0xFA20, 0xFA22, 0xFA25...0xFA26,
             0xFA2A...0xFA6D, 0xFA70...0xFAD9, 0xFB1D, 0xFB1F, 0xFB2A...0xFB36, 0xFB38...0xFB3C, 0xFB3E,
             0xFB40...0xFB41, 0xFB43...0xFB44, 0xFB46...0xFB4E, 0x1D15E...0x1D164, 0x1D1BB...0x1D1C0,
             0x2F800...0x2FA1D:
            return true
        default:
            return false
        }
    }

    /// Lowercase of one scalar as up to two scalars (only İ needs two).
    func lowercase(_ v: UInt32) -> [UInt32] {
        if v < 0x10000 {
            if lower[Int(v)] != 0 { return [lower[Int(v)]] }
            if flags[Int(v)] & ScalarFlag.caseChanges == 0 { return [v] }
        }
        guard let s = Unicode.Scalar(v), s.properties.changesWhenLowercased else { return [v] }
        return s.properties.lowercaseMapping.unicodeScalars.map(\.value)
    }

    private static func latinEntry(_ v: UInt32, mode: Mode, flags: UnsafeMutablePointer<UInt8>,
                                   lower: UnsafeMutablePointer<UInt32>,
                                   decomposition: [UInt32: [UInt32]]) -> LatinEntry {
        let f = flags[Int(v)]
        var entry = LatinEntry()
        if mode.whitespace {
            if f & ScalarFlag.lineBreak != 0 { entry.kind = Kind.lineBreak; return entry }
            if f & ScalarFlag.space != 0 { entry.kind = Kind.space; return entry }
            if f & ScalarFlag.zeroWidth != 0 { entry.kind = Kind.drop; return entry }
        }
        var out: [UInt32] = [v]
        if mode.fold && f & ScalarFlag.caseChanges != 0 {
            out = lower[Int(v)] != 0 ? [lower[Int(v)]] : Unicode.Scalar(v)!.properties.lowercaseMapping.unicodeScalars.map(\.value)
        }
        if mode.strip {
            out = out.flatMap { c -> [UInt32] in
                if c == 0x111 { return [0x64] }
                if c == 0x110 { return [0x44] }
                if let d = decomposition[c], f & ScalarFlag.word != 0 { return [d[0]] }
                return (0x300..<0x370).contains(c) ? [] : [c]
            }
        }
        var packed: UInt32 = 0, length = 0
        for c in out {
            let (bytes, n) = packUTF8(c)
            packed |= bytes << (8 * UInt32(length))
            length += n
        }
        entry.bytes = packed
        entry.length = UInt8(length)
        entry.sameLength = length == utf8Length(v)
        entry.kind = f & ScalarFlag.word != 0 ? Kind.word : Kind.other
        if mode.tones && out.count == 1 {
            let c = out[0]
            switch c {
            case 0x6F, 0x4F: entry.kind = Kind.vowelO
            case 0x75, 0x55: entry.kind = Kind.vowelU
            case 0x71, 0x51: entry.kind = Kind.letterQ
            default:
                if let d = decomposition[c], d.count == 2, toneMarks.contains(d[1]) {
                    switch d[0] {
                    case 0x61, 0x65, 0x41, 0x45: entry.kind = Kind.tonedAE
                    case 0x79, 0x59: entry.kind = Kind.tonedY
                    default: break
                    }
                }
            }
        }
        return entry
    }
}
