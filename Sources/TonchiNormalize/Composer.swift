import Foundation

/// NFC of one cluster (a starter and the combining marks after it). Latin clusters, which is
/// what Vietnamese NFD and Windows-1258-style text produce, use the tables; anything else goes to
/// Foundation once and is cached, since the same few clusters repeat through a document.
enum Composer {
    static func nfc(_ scalars: [UInt32], hasBase: Bool, tables: UnicodeTables) -> [UInt32] {
        let marksFrom = hasBase ? 1 : 0
        let latin = (!hasBase || latinIndex(scalars[0]) != nil)
            && scalars[marksFrom...].allSatisfy { $0 &- 0x300 < 0x70 }
        return latin ? latinNFC(scalars, hasBase: hasBase, tables: tables) : FoundationNFC.shared.nfc(scalars)
    }

    private static func combiningClass(_ v: UInt32) -> UInt8 {
        Unicode.Scalar(v)!.properties.canonicalCombiningClass.rawValue
    }

    private static func latinNFC(_ scalars: [UInt32], hasBase: Bool, tables: UnicodeTables) -> [UInt32] {
        // Canonical decomposition first: a precomposed base may hold marks that must reorder
        // with the new ones (ẹ + U+0302 is e + U+0323 + U+0302, which composes to ệ).
        var buffer: [UInt32] = []
        buffer.reserveCapacity(scalars.count + 2)
        if hasBase { buffer += tables.decomposition[scalars[0]] ?? [scalars[0]] }
        for m in scalars[(hasBase ? 1 : 0)...] {
            switch m {
            case 0x340: buffer.append(0x300)
            case 0x341: buffer.append(0x301)
            case 0x343: buffer.append(0x313)
            case 0x344: buffer += [0x308, 0x301]
            default: buffer.append(m)
            }
        }
        // Canonical ordering: stable insertion sort of the marks by combining class.
        let first = hasBase ? 1 : 0
        if buffer.count - first > 1 {
            for a in (first + 1)..<buffer.count {
                let m = buffer[a], c = combiningClass(m)
                var b = a
                while b > first && combiningClass(buffer[b - 1]) > c {
                    buffer[b] = buffer[b - 1]
                    b -= 1
                }
                buffer[b] = m
            }
        }
        guard hasBase, buffer.count > 1 else { return buffer }
        // Canonical composition: a mark joins the starter unless an uncomposed mark of the same
        // or higher class sits between them.
        var starter = buffer[0]
        var kept: [UInt32] = []
        var lastKeptClass = -1
        for m in buffer[1...] {
            let c = Int(combiningClass(m))
            if lastKeptClass < c, let composite = tables.pairs[UInt64(starter) << 32 | UInt64(m)] {
                starter = composite
            } else {
                kept.append(m)
                lastKeptClass = c
            }
        }
        return [starter] + kept
    }
}

/// Foundation's NFC for clusters outside the Latin tables, memoized.
final class FoundationNFC: @unchecked Sendable {
    static let shared = FoundationNFC()
    private let lock = NSLock()
    private var cache: [[UInt32]: [UInt32]] = [:]

    func nfc(_ scalars: [UInt32]) -> [UInt32] {
        lock.lock()
        let hit = cache[scalars]
        lock.unlock()
        if let hit { return hit }
        var view = String.UnicodeScalarView()
        for v in scalars { view.append(Unicode.Scalar(v)!) }
        let result = String(view).precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value)
        lock.lock()
        if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
        cache[scalars] = result
        lock.unlock()
        return result
    }
}
