import Foundation

/// NFC of one cluster (a starter and the combining marks after it). Latin clusters, which is
/// what Vietnamese NFD and Windows-1258-style text produce, use flat tables; anything else goes
/// to Foundation once and is cached, since the same few clusters repeat through a document.
enum Composer {
    /// Whether the tables can compose this cluster: a Latin base (or none) and marks in U+0300–U+036F.
    static func isLatin(_ scalars: UnsafePointer<UInt32>, count: Int, hasBase: Bool) -> Bool {
        if hasBase && latinIndex(scalars[0]) == nil { return false }
        for t in (hasBase ? 1 : 0)..<count where scalars[t] &- 0x300 >= 0x70 { return false }
        return true
    }

    /// Writes the NFC of a Latin cluster to `out` (room for 2 × count + 4 scalars); returns its length.
    static func latinNFC(_ input: UnsafePointer<UInt32>, count: Int, hasBase: Bool,
                         into out: UnsafeMutablePointer<UInt32>, tables: UnicodeTables) -> Int {
        // Canonical decomposition first: a precomposed base may hold marks that must reorder
        // with the new ones (ẹ + U+0302 is e + U+0323 + U+0302, which composes to ệ).
        var n = 0
        if hasBase {
            let d = tables.latinDecomposition + latinIndex(input[0])! * 4
            if d[0] == 0 {
                out[0] = input[0]; n = 1
            } else {
                for q in 0..<Int(d[0]) { out[n] = d[1 + q]; n += 1 }
            }
        }
        for t in (hasBase ? 1 : 0)..<count {
            switch input[t] {
            case 0x340: out[n] = 0x300
            case 0x341: out[n] = 0x301
            case 0x343: out[n] = 0x313
            case 0x344: out[n] = 0x308; n += 1; out[n] = 0x301
            default: out[n] = input[t]
            }
            n += 1
        }
        // Canonical ordering: stable insertion sort of the marks by combining class.
        let first = hasBase ? 1 : 0
        let markClass = tables.markClass
        if n - first > 1 {
            for a in (first + 1)..<n {
                let m = out[a], c = markClass[Int(m - 0x300)]
                var b = a
                while b > first && markClass[Int(out[b - 1] - 0x300)] > c {
                    out[b] = out[b - 1]
                    b -= 1
                }
                out[b] = m
            }
        }
        guard hasBase, n > 1 else { return n }
        // Canonical composition: a mark joins the starter unless an uncomposed mark of the same
        // or higher class sits between them.
        var starter = out[0]
        var kept = 1
        var lastKeptClass = -1
        for t in 1..<n {
            let m = out[t]
            let c = Int(markClass[Int(m - 0x300)])
            if lastKeptClass < c, let composite = compose(starter, m, tables) {
                starter = composite
            } else {
                out[kept] = m
                kept += 1
                lastKeptClass = c
            }
        }
        out[0] = starter
        return kept
    }

    @inline(__always)
    private static func compose(_ starter: UInt32, _ mark: UInt32, _ tables: UnicodeTables) -> UInt32? {
        guard let base = latinIndex(starter) else { return nil }
        let slot = tables.markSlot[Int(mark - 0x300)]
        if slot == 0xFF { return nil }
        let composite = tables.composition[Int(slot) * latinTableSize + base]
        return composite == 0 ? nil : composite
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
