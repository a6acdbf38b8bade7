import TonchiCore

/// The single streaming pass behind every public entry point.
///
/// Input is consumed scalar by scalar (a starter plus any combining marks forms a cluster); each
/// cluster becomes a unit of output with the source range it came from. Two small pieces of state
/// delay output: a whitespace run (collapsed when it ends) and an o/u + toned a/e/y pair (whose
/// tone moves only if the syllable ends after it). Unchanged units accumulate in `run` and reach
/// the OffsetMap as one identity segment, so ordinary text costs almost nothing in the map.
struct Engine {
    private let src: UnsafePointer<UInt8>
    private let n: Int
    private let mode: Mode
    private let tables: UnicodeTables
    private let latin: UnsafeMutablePointer<LatinEntry>
    private let fastASCII: UnsafeMutablePointer<UInt8>
    private let bmpFlags: UnsafeMutablePointer<UInt8>

    private var out: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var w = 0
    private(set) var map = OffsetMap()

    /// Pending identity segment: copied (or same-length folded) bytes not yet given to the map.
    private var runStart = 0, runLength = 0

    private var wsStart = -1, wsEnd = 0, wsBreak = false, wsSingle = false

    /// 0: nothing held; 1: a plain o/u held; 2: o/u + toned a/e/y held.
    private var hold: UInt8 = 0
    private var v1Byte: UInt8 = 0, v1Start = 0
    private var gap1Start = 0, gap1End = 0
    private var v2Bytes: UInt32 = 0, v2Length = 0, v2Start = 0, v2End = 0, v2Same = false
    private var gap2Start = 0, gap2End = 0
    private var previousQ = false

    /// Cluster scratch space (scalars, their offsets, the composed result), grown on demand.
    private var scratchCapacity = 0
    private var clusterScalars: UnsafeMutablePointer<UInt32>
    private var clusterOffsets: UnsafeMutablePointer<Int>
    private var composed: UnsafeMutablePointer<UInt32>

    static let invalid: UInt32 = 0xFFFF_FFFF
    static let replacementBytes: UInt32 = 0xBD_BF_EF

    init(_ input: UnsafeBufferPointer<UInt8>, mode: Mode) {
        n = input.count
        src = UnsafePointer(input.baseAddress) ?? UnsafePointer(bitPattern: 1)!
        self.mode = mode
        tables = UnicodeTables.shared
        latin = tables.latin[mode]!
        fastASCII = tables.ascii[mode]!
        bmpFlags = tables.flags
        capacity = n + n / 8 + 64
        out = .allocate(capacity: capacity)
        clusterScalars = .allocate(capacity: 0)
        clusterOffsets = .allocate(capacity: 0)
        composed = .allocate(capacity: 0)
    }

    /// Runs the pass and hands back the output; the engine must not be used afterwards.
    mutating func run() -> [UInt8] {
        var i = 0
        while i < n {
            if capacity - w < 64 { grow(64) }
            if hold == 0 {
                let k = fastRun(from: i)
                if k > i { i = k; continue }
            }
            i = step(at: i)
        }
        finish()
        let result = Array(UnsafeBufferPointer(start: out, count: w))
        out.deallocate()
        clusterScalars.deallocate()
        clusterOffsets.deallocate()
        composed.deallocate()
        return result
    }

    // MARK: Fast path

    /// Copies a run of scalars that need no state: ASCII and precomposed Latin/Vietnamese letters
    /// whose output has their own length (no o/u/q, no whitespace run, nothing held). A combining
    /// mark is only looked for where the run stops; if one follows, the last scalar is handed
    /// back to the general path as the base of its cluster. Returns where the run stopped.
    @inline(__always)
    private mutating func fastRun(from start: Int) -> Int {
        let b0 = src[start]
        if wsStart >= 0 {
            // The run may only start with a scalar that ends a whitespace run (never a space or an
            // invisible): ASCII the loop copies, U+00C0–U+027F, U+1E00–U+1EFF.
            let e1 = b0 == 0xE1 && start &+ 1 < n && src[start &+ 1] &- 0xB8 < 4
            guard b0 < 0x80 ? fastASCII[Int(b0)] != 0 : b0 &- 0xC3 < 7 || e1 else { return start }
            flushWhitespace()
        }
        // Locals: stores through `out` could alias `self`, which would reload every field per byte.
        let src = self.src, n = self.n, fast = fastASCII, latin = self.latin, out = self.out
        let collapse = mode.whitespace
        var w = self.w
        var k = start, lastStart = start, lastW = w
        let limit = min(n, start + (capacity - w - 16))
        while k < limit {
            let b = src[k]
            if b < 0x80 {
                var o = fast[Int(b)]
                if o == 0 {
                    // A single space between words is the commonest whitespace: keep it as is.
                    // Only when what follows cannot extend the run: printable ASCII, U+00C0–U+07FF,
                    // or U+1E00–U+1EFF (E1 also starts U+1680 OGHAM SPACE MARK).
                    guard b == 0x20, collapse, k &+ 2 < n else { break }
                    let c = src[k &+ 1]
                    guard c &- 0x21 < 0x5E || c &- 0xC3 < 0x1D || (c == 0xE1 && src[k &+ 2] &- 0xB8 < 4) else { break }
                    o = 0x20
                }
                lastStart = k
                lastW = w
                out[w] = o
                w &+= 1
                k &+= 1
                continue
            }
            let e: LatinEntry, length: Int
            if b &- 0xC3 < 7 {                       // U+00C0–U+024F (lead bytes C3–C9)
                guard k &+ 1 < n else { break }
                let b1 = src[k &+ 1]
                let v = UInt32(b & 0x1F) << 6 | UInt32(b1 & 0x3F)
                guard b1 & 0xC0 == 0x80, v < 0x250 else { break }
                e = latin[Int(v)]
                length = 2
            } else if b == 0xE1 {                    // U+1E00–U+1EFF
                guard k &+ 2 < n else { break }
                let b1 = src[k &+ 1], b2 = src[k &+ 2]
                guard b1 &- 0xB8 < 4, b2 & 0xC0 == 0x80 else { break }
                e = latin[Int(UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)) - 0xE00 + 0x250]
                length = 3
            } else {
                break
            }
            // Other, word and toned a/e/y carry no state while nothing is held.
            guard e.sameLength, (UInt32(1) << UInt32(e.kind)) & 0b110_0011 != 0 else { break }
            lastStart = k
            lastW = w
            UnsafeMutableRawPointer(out + w).storeBytes(of: e.bytes, as: UInt32.self)
            w &+= length
            k &+= length
        }
        if k > start && k < n && src[k] >= 0xCC && joinerAt(k) {
            k = lastStart
            w = lastW
        }
        self.w = w
        if k > start {
            identity(start, k &- start)
            previousQ = false
        }
        return k
    }

    /// Whether the scalar starting at `j` attaches to the one before it (only called for lead bytes ≥ 0xCC).
    @inline(__always)
    private func joinerAt(_ j: Int) -> Bool {
        let b = src[j]
        // U+1E80–U+1EFF (E1 BA/BB xx) holds most precomposed Vietnamese letters and no marks.
        if b == 0xE1 && j &+ 1 < n && src[j &+ 1] &- 0xBA < 2 { return false }
        let (s, _) = decode(j)
        return s != Engine.invalid && flags(s) & ScalarFlag.join != 0
    }

    /// Decodes one scalar; invalid input yields `invalid` and the length of its maximal ill-formed
    /// subpart (the same U+FFFD count as Swift's own decoder).
    @inline(__always)
    private func decode(_ i: Int) -> (UInt32, Int) {
        let b0 = src[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 < 0xC2 || b0 > 0xF4 || i &+ 1 >= n { return (Engine.invalid, 1) }
        let b1 = src[i &+ 1]
        if b0 < 0xE0 {
            guard b1 & 0xC0 == 0x80 else { return (Engine.invalid, 1) }
            return (UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), 2)
        }
        if b0 < 0xF0 {
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80, high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low && b1 <= high else { return (Engine.invalid, 1) }
            guard i &+ 2 < n, src[i &+ 2] & 0xC0 == 0x80 else { return (Engine.invalid, 2) }
            return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(src[i &+ 2] & 0x3F), 3)
        }
        let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80, high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
        guard b1 >= low && b1 <= high else { return (Engine.invalid, 1) }
        guard i &+ 2 < n, src[i &+ 2] & 0xC0 == 0x80 else { return (Engine.invalid, 2) }
        guard i &+ 3 < n, src[i &+ 3] & 0xC0 == 0x80 else { return (Engine.invalid, 3) }
        return (UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(src[i &+ 2] & 0x3F) << 6
                | UInt32(src[i &+ 3] & 0x3F), 4)
    }

    // MARK: General path

    /// Handles the scalar (or cluster) at `i`; returns where the next one starts.
    @inline(__always)
    private mutating func step(at i: Int) -> Int {
        let (s, length) = decode(i)
        let j = i &+ length
        if s == Engine.invalid {
            unit(Kind.other, i, j, Engine.replacementBytes, 3, same: false)
            return j
        }
        if let index = latinIndex(s) {
            let e = latin[index]
            if j < n && src[j] >= 0xCC && e.kind < Kind.space && joinerAt(j) { return cluster(at: i, first: s, end: j) }
            unit(e.kind, i, j, e.bytes, Int(e.length), same: e.sameLength)
            return j
        }
        return nonLatin(s, i, j)
    }

    private mutating func nonLatin(_ s: UInt32, _ i: Int, _ j: Int) -> Int {
        let f = flags(s)
        if mode.whitespace && f & (ScalarFlag.space | ScalarFlag.lineBreak | ScalarFlag.zeroWidth) != 0 {
            let kind = f & ScalarFlag.lineBreak != 0 ? Kind.lineBreak : f & ScalarFlag.space != 0 ? Kind.space : Kind.drop
            unit(kind, i, j, 0, 0, same: false)
            return j
        }
        if f & (ScalarFlag.join | ScalarFlag.slowNFC) != 0 || (j < n && src[j] >= 0xCC && joinerAt(j)) {
            return cluster(at: i, first: s, end: j)
        }
        let (kind, bytes, length) = finalOutput(s)
        unit(kind, i, j, bytes, length, same: length == j - i)
        return j
    }

    /// Output of one NFC scalar after folding and stripping, as packed UTF-8.
    private func finalOutput(_ s: UInt32) -> (kind: UInt8, bytes: UInt32, length: Int) {
        if let index = latinIndex(s) {
            let e = latin[index]
            return (e.kind, e.bytes, Int(e.length))
        }
        let f = flags(s)
        let kind = f & ScalarFlag.word != 0 ? Kind.word : Kind.other
        var scalars = [s]
        if mode.fold && f & ScalarFlag.caseChanges != 0 { scalars = tables.lowercase(s) }
        var packed: UInt32 = 0, length = 0
        for c in scalars {
            let (b, l) = packUTF8(c)
            packed |= b << (8 * UInt32(length))
            length += l
        }
        return (kind, packed, length)
    }

    @inline(__always)
    private func flags(_ v: UInt32) -> UInt8 {
        v < 0x10000 ? bmpFlags[Int(v)] : scalarFlags(v)
    }

    private mutating func reserveScratch(_ count: Int) {
        guard count > scratchCapacity else { return }
        let newCapacity = max(count, scratchCapacity * 2, 16)
        let scalars = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
        scalars.moveInitialize(from: clusterScalars, count: scratchCapacity)
        clusterScalars.deallocate()
        clusterScalars = scalars
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity + 1)
        offsets.moveInitialize(from: clusterOffsets, count: scratchCapacity)
        clusterOffsets.deallocate()
        clusterOffsets = offsets
        composed.deallocate()
        composed = .allocate(capacity: 2 * newCapacity + 4)
        scratchCapacity = newCapacity
    }

    /// A starter followed by combining marks (or marks with no starter, or an NFC singleton).
    private mutating func cluster(at i: Int, first s: UInt32, end firstEnd: Int) -> Int {
        reserveScratch(8)
        clusterScalars[0] = s
        clusterOffsets[0] = i
        var count = 1
        var k = firstEnd
        while k < n {
            let (t, l) = decode(k)
            guard t != Engine.invalid, flags(t) & ScalarFlag.join != 0 else { break }
            reserveScratch(count + 1)
            clusterScalars[count] = t
            clusterOffsets[count] = k
            count += 1
            k += l
        }
        clusterOffsets[count] = k
        let hasBase = flags(s) & ScalarFlag.join == 0
        var m: Int
        if Composer.isLatin(clusterScalars, count: count, hasBase: hasBase) {
            m = Composer.latinNFC(clusterScalars, count: count, hasBase: hasBase, into: composed, tables: tables)
        } else {
            let result = FoundationNFC.shared.nfc(Array(UnsafeBufferPointer(start: clusterScalars, count: count)))
            reserveScratch((result.count + 1) / 2)
            for (t, c) in result.enumerated() { composed[t] = c }
            m = result.count
        }
        let latinBase = hasBase && latinIndex(s) != nil && flags(s) & ScalarFlag.word != 0
        let stripMarks = mode.strip && latinBase

        var unchanged = m == count
        if unchanged {
            // A plain loop: a closure here would capture (and copy) the whole engine.
            for t in 0..<count where composed[t] != clusterScalars[t] { unchanged = false; break }
        }
        if !stripMarks && unchanged {
            // Already NFC: each scalar keeps its own position, so spans can start inside the cluster.
            for t in 0..<count {
                if capacity - w < 32 { grow(32) }
                let (kind, bytes, length) = finalOutput(clusterScalars[t])
                let start = clusterOffsets[t], end = clusterOffsets[t + 1]
                unit(kind, start, end, bytes, length, same: length == end - start)
            }
            return k
        }
        if !stripMarks && hasBase && m > 1 && composed[0] == s {
            // The base took no mark: emit it alone so the marks never widen a span that starts at it.
            let (kind, bytes, length) = finalOutput(s)
            let end = clusterOffsets[1]
            unit(kind, i, end, bytes, length, same: length == end - i)
            emitComposed(composed + 1, count: m - 1, start: end, end: k, stripMarks: false)
            return k
        }
        emitComposed(composed, count: m, start: i, end: k, stripMarks: stripMarks)
        return k
    }

    /// Emits composed scalars as one replacement for `start..<end`.
    private mutating func emitComposed(_ scalars: UnsafeMutablePointer<UInt32>, count: Int, start: Int, end: Int, stripMarks: Bool) {
        if count == 1 {
            // The usual outcome: one composed letter.
            let (kind, bytes, length) = finalOutput(scalars[0])
            unit(kind, start, end, bytes, length, same: false)
            return
        }
        var remaining = 0, last = 0, kind = Kind.other
        for t in 0..<count where !(stripMarks && scalars[t] &- 0x300 < 0x70) {
            remaining += 1
            last = t
            if Kind.isWord(finalOutput(scalars[t]).kind) { kind = Kind.word }
        }
        if remaining == 1 {
            let (single, bytes, length) = finalOutput(scalars[last])
            unit(single, start, end, bytes, length, same: false)
            return
        }
        if !begin(kind, start, end, 0, 0, same: false) { return }
        previousQ = false
        if capacity - w < 4 * count + 16 { grow(4 * count + 16) }
        var written = 0
        for t in 0..<count where !(stripMarks && scalars[t] &- 0x300 < 0x70) {
            let r = finalOutput(scalars[t])
            write(r.bytes, r.length)
            written += r.length
        }
        replacement(written, start, end)
    }

    // MARK: Units

    /// Emits one unit of output standing for source `start..<end`.
    @inline(__always)
    private mutating func unit(_ kind: UInt8, _ start: Int, _ end: Int, _ bytes: UInt32, _ length: Int, same: Bool) {
        if kind > Kind.word || hold != 0 || wsStart >= 0 {
            if !begin(kind, start, end, bytes, length, same: same) { return }
            if kind == Kind.vowelO || (kind == Kind.vowelU && !previousQ) {
                hold = 1
                v1Byte = UInt8(truncatingIfNeeded: bytes)
                v1Start = start
                gap1Start = end; gap1End = end
                previousQ = false
                return
            }
        }
        previousQ = kind == Kind.letterQ
        write(bytes, length)
        if same { identity(start, end &- start) } else { replacement(length, start, end) }
    }

    /// Resolves held state before a unit; false when the unit was absorbed (held, or merged into a
    /// whitespace run, or dropped).
    private mutating func begin(_ kind: UInt8, _ start: Int, _ end: Int, _ bytes: UInt32, _ length: Int, same: Bool) -> Bool {
        if hold == 1 {
            if kind == Kind.drop { gap1End = end; return false }
            let pairs = (kind == Kind.tonedAE && v1Byte | 0x20 == 0x6F) || (kind == Kind.tonedY && v1Byte | 0x20 == 0x75)
            if pairs {
                hold = 2
                v2Bytes = bytes; v2Length = length; v2Start = start; v2End = end; v2Same = same
                gap2Start = end; gap2End = end
                return false
            }
            releaseV1()
            hold = 0
        } else if hold == 2 {
            if kind == Kind.drop { gap2End = end; return false }
            if Kind.isWord(kind) { releaseV1(); releaseV2() } else { moveTone() }
            hold = 0
        }
        switch kind {
        case Kind.space, Kind.lineBreak:
            if wsStart >= 0 {
                wsEnd = end
                wsSingle = false
            } else {
                wsStart = start; wsEnd = end
                wsSingle = end - start == 1 && (src[start] == 0x20 || src[start] == 0x0A)
                previousQ = false
            }
            if kind == Kind.lineBreak { wsBreak = true }
            return false
        case Kind.drop:
            if wsStart >= 0 {
                wsEnd = end
                wsSingle = false
            } else {
                drop(start, end)
            }
            return false
        default:
            if wsStart >= 0 { flushWhitespace() }
            return true
        }
    }

    private mutating func releaseV1() {
        write(UInt32(v1Byte), 1)
        identity(v1Start, 1)
        drop(gap1Start, gap1End)
    }

    private mutating func releaseV2() {
        write(v2Bytes, v2Length)
        if v2Same { identity(v2Start, v2End - v2Start) } else { replacement(v2Length, v2Start, v2End) }
        drop(gap2Start, gap2End)
    }

    /// oá → óa: the tone leaves the second vowel for the first; the pair is one map segment.
    private mutating func moveTone() {
        var packed = v2Bytes
        var bytes: [UInt8] = []
        for _ in 0..<v2Length { bytes.append(UInt8(truncatingIfNeeded: packed)); packed >>= 8 }
        let toned = String(decoding: bytes, as: UTF8.self).unicodeScalars.first!.value
        guard let parts = tables.decomposition[toned], parts.count == 2,
              let first = tables.pairs[UInt64(v1Byte) << 32 | UInt64(parts[1])] else {
            releaseV1(); releaseV2(); return
        }
        let (a, la) = packUTF8(first)
        let (b, lb) = packUTF8(parts[0])
        write(a, la)
        write(b, lb)
        replacement(la + lb, v1Start, v2End)
        drop(gap2Start, gap2End)
    }

    private mutating func flushWhitespace() {
        out[w] = wsBreak ? 0x0A : 0x20
        w &+= 1
        if wsSingle { identity(wsStart, 1) } else { replacement(1, wsStart, wsEnd) }
        wsStart = -1
        wsBreak = false
    }

    private mutating func finish() {
        if hold == 1 { releaseV1() } else if hold == 2 { moveTone() }
        hold = 0
        if wsStart >= 0 { flushWhitespace() }
        flushRun()
    }

    // MARK: Output and map

    @inline(__always)
    private mutating func write(_ bytes: UInt32, _ length: Int) {
        UnsafeMutableRawPointer(out + w).storeBytes(of: bytes, as: UInt32.self)
        w &+= length
    }

    @inline(__always)
    private mutating func identity(_ start: Int, _ length: Int) {
        if runLength > 0 && runStart &+ runLength == start {
            runLength &+= length
        } else {
            flushRun()
            runStart = start
            runLength = length
        }
    }

    @inline(__always)
    private mutating func flushRun() {
        if runLength > 0 {
            map.appendIdentity(sourceStart: runStart, length: runLength)
            runLength = 0
        }
    }

    private mutating func replacement(_ length: Int, _ start: Int, _ end: Int) {
        flushRun()
        map.appendReplacement(derivedLength: length, source: start..<end)
    }

    private mutating func drop(_ start: Int, _ end: Int) {
        guard end > start else { return }
        flushRun()
        map.appendReplacement(derivedLength: 0, source: start..<end)
    }

    private mutating func grow(_ extra: Int) {
        let newCapacity = max(capacity * 2, w + extra + 64)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.moveInitialize(from: out, count: w)
        out.deallocate()
        out = bigger
        capacity = newCapacity
    }
}
