import Foundation

public enum Vietnamese {
    /// The same pipeline for short strings (rule terms, lexicon entries): NFC, canonical tones,
    /// case fold, whitespace. Leading and trailing whitespace is dropped, since a term never
    /// starts or ends with a separator.
    public static func normalize(_ s: String, stripDiacritics: Bool = false) -> String {
        let bytes = run(s, mode: stripDiacritics ? .stripped : .document)
        var start = 0, end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x0A) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// NFC + canonical tone placement only, no case folding (for regex sources).
    public static func canonicalForm(_ s: String) -> String {
        String(decoding: run(s, mode: .canonical), as: UTF8.self)
    }

    public static func isNFC(_ s: String) -> Bool {
        // NFC quick check: text without combining marks or NFC singletons is already NFC.
        let quick = s.unicodeScalars.allSatisfy {
            scalarFlags($0.value) & (ScalarFlag.join | ScalarFlag.slowNFC) == 0
        }
        if quick { return true }
        return s.unicodeScalars.elementsEqual(s.precomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// Letters (including all Vietnamese ones), decimal digits and combining marks.
    public static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        scalarFlags(s.value) & ScalarFlag.word != 0
    }

    /// Whether the scalar ending just before `offset` is a word scalar (false at the buffer edges).
    @inline(__always)
    public static func isWordCharacter(before offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset > 0 && offset <= bytes.count else { return false }
        let last = bytes[offset - 1]
        if last < 0x80 { return asciiWord(last) }
        var start = offset - 1
        while start > 0 && offset - start < 4 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        let (s, length) = scalar(at: start, in: bytes)
        return start + length == offset && isWord(s)
    }

    /// Whether the scalar starting at `offset` is a word scalar (false at the buffer edges).
    @inline(__always)
    public static func isWordCharacter(at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard offset >= 0 && offset < bytes.count else { return false }
        let first = bytes[offset]
        if first < 0x80 { return asciiWord(first) }
        return isWord(scalar(at: offset, in: bytes).0)
    }

    // MARK: Internals shared with WordIndex

    static func run(_ s: String, mode: Mode) -> [UInt8] {
        var s = s
        return s.withUTF8 { buffer in
            var engine = Engine(buffer, mode: mode)
            return engine.run()
        }
    }

    @inline(__always) static func asciiWord(_ b: UInt8) -> Bool {
        (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10
    }

    @inline(__always) static func isWord(_ s: UInt32) -> Bool {
        s != UInt32.max && scalarFlags(s) & ScalarFlag.word != 0
    }

    /// Decodes leniently; an invalid sequence yields UInt32.max and length 1.
    @inline(__always)
    static func scalar(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (UInt32, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let length = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0
        guard length > 0 && i + length <= bytes.count else { return (UInt32.max, 1) }
        var v = UInt32(b0) & (0x7F >> UInt32(length))
        for k in 1..<length {
            let b = bytes[i + k]
            guard b & 0xC0 == 0x80 else { return (UInt32.max, 1) }
            v = v << 6 | UInt32(b & 0x3F)
        }
        return v <= 0x10FFFF ? (v, length) : (UInt32.max, 1)
    }
}
