import Crypto

// SHA-256 and SHA-1 through swift-crypto (BoringSSL on Linux), and the text forms WARC files write
// digests in: hex, RFC 4648 base32 (with or without padding) and base64.

/// SHA-256, incremental.
public struct SHA256Digest {
    private var hasher = SHA256()

    public init() {}

    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var d = SHA256Digest(); d.update(bytes); return d.finish()
    }

    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        Digests.hex(hash(bytes))
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        feed(bytes) { hasher.update(bufferPointer: $0) }
    }

    public func finish() -> [UInt8] { Array(hasher.finalize()) }
}

/// SHA-1, for the payload digests WARC writers record (not for anything secret).
public struct SHA1Digest {
    private var hasher = Insecure.SHA1()

    public init() {}

    public static func hash<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        var d = SHA1Digest(); d.update(bytes); return d.finish()
    }

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        feed(bytes) { hasher.update(bufferPointer: $0) }
    }

    public func finish() -> [UInt8] { Array(hasher.finalize()) }
}

/// Hands contiguous bytes to a hasher without a copy; other collections are copied once.
private func feed<C: Collection>(_ bytes: C, _ update: (UnsafeRawBufferPointer) -> Void) where C.Element == UInt8 {
    if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
        Array(bytes).withUnsafeBytes(update)
    }
}

public enum Digests {
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for b in bytes {
            buffer = buffer << 8 | Int(b); bits += 8
            while bits >= 5 { out.append(alphabet[(buffer >> (bits - 5)) & 31]); bits -= 5 }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        while out.count % 8 != 0 { out.append(UInt8(ascii: "=")) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes a digest written as hex, base32 or base64, knowing how many bytes it must have
    /// (20 for SHA-1, 32 for SHA-256). Nil when no reading gives that many bytes.
    public static func decode(_ text: String, expectedLength: Int) -> [UInt8]? {
        let trimmed = text.digestTrimmed()
        if trimmed.utf8.count == expectedLength * 2, let bytes = fromHex(trimmed) { return bytes }
        if let bytes = fromBase32(trimmed), bytes.count == expectedLength { return bytes }
        if let bytes = fromBase64(trimmed), bytes.count == expectedLength { return bytes }
        return nil
    }

    public static func fromHex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let hi = hexValue(chars[i]), let lo = hexValue(chars[i + 1]) else { return nil }
            out.append(UInt8(hi << 4 | lo)); i += 2
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }

    public static func fromBase32(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for c in text.uppercased().utf8 where c != UInt8(ascii: "=") {
            let v: Int
            switch c {
            case 0x41...0x5A: v = Int(c - 0x41)
            case 0x32...0x37: v = Int(c - 0x32) + 26
            default: return nil
            }
            buffer = (buffer << 5 | v) & 0xFFFF; bits += 5
            if bits >= 8 { out.append(UInt8((buffer >> (bits - 8)) & 0xFF)); bits -= 8 }
        }
        return out
    }

    public static func fromBase64(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for c in text.utf8 where c != UInt8(ascii: "=") {
            let v: Int
            switch c {
            case 0x41...0x5A: v = Int(c - 0x41)
            case 0x61...0x7A: v = Int(c - 0x61) + 26
            case 0x30...0x39: v = Int(c - 0x30) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            default: return nil
            }
            buffer = (buffer << 6 | v) & 0xFFFF; bits += 6
            if bits >= 8 { out.append(UInt8((buffer >> (bits - 8)) & 0xFF)); bits -= 8 }
        }
        return out
    }
}

private extension String {
    func digestTrimmed() -> String {
        let s = Set(" \t\r\n".unicodeScalars)
        var scalars = Substring(self).unicodeScalars[...]
        while let f = scalars.first, s.contains(f) { scalars = scalars.dropFirst() }
        while let l = scalars.last, s.contains(l) { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
