import CTonchiZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Corrupt or unexpected compressed data, at the gzip member starting at `memberOffset`.
struct GzipFault: Error {
    let memberOffset: Int
    let message: String
}

/// zlib's inflate with windowBits 15+32: gzip or zlib headers, detected per member.
private let autoHeaderWindowBits: Int32 = 15 + 32

private func makeInflater(windowBits: Int32) -> UnsafeMutablePointer<z_stream>? {
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    guard inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        stream.deinitialize(count: 1)
        stream.deallocate()
        return nil
    }
    return stream
}

private func freeInflater(_ stream: UnsafeMutablePointer<z_stream>) {
    inflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
}

private func zlibMessage(_ stream: UnsafeMutablePointer<z_stream>, _ code: Int32) -> String {
    if let msg = stream.pointee.msg { return String(cString: msg) }
    switch code {
    case Z_NEED_DICT: return "needs a preset dictionary"
    case Z_MEM_ERROR: return "out of memory"
    case Z_STREAM_ERROR: return "inconsistent stream"
    default: return "zlib error \(code)"
    }
}

/// The decoded stream of a `.warc.gz`: its gzip members one after the other, inflated in order.
/// It remembers where each member starts (in the file and in the decoded stream) so records can
/// be reported by the offset of their member, and it can jump to the next member to get past a
/// corrupt member or one that expands too far.
final class GzipSource: DecodedSource {
    private let file: DumpFile
    private let end: Int
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutablePointer<UInt8>
    private static let inputCapacity = 1 << 20
    /// input[0..<inputCount] holds file bytes starting at `inputOffset`; zlib's next_in walks it.
    private var inputOffset: Int
    private var inputCount = 0
    private enum State { case inMember, betweenMembers, ended, faulted }
    private var state = State.betweenMembers
    private var pendingFault: GzipFault?
    private var decoded = 0
    private var boundaries: [(decoded: Int, file: Int)] = []
    private(set) var memberStart: Int
    private(set) var currentMemberOutput = 0
    private(set) var endNote: String?
    var isGzip: Bool { true }

    init(file: DumpFile, start: Int = 0, end: Int? = nil) throws {
        guard let stream = makeInflater(windowBits: autoHeaderWindowBits) else {
            throw IngestError(name: file.path, reason: "cannot start zlib")
        }
        self.file = file
        self.end = min(end ?? file.size, file.size)
        self.stream = stream
        self.input = .allocate(capacity: GzipSource.inputCapacity)
        self.inputOffset = start
        self.memberStart = start
    }

    deinit {
        freeInflater(stream)
        input.deallocate()
    }

    var decodedPosition: Int { decoded }

    /// File offset of the next compressed byte zlib has not taken yet.
    private var consumedOffset: Int {
        guard inputCount > 0, let next = stream.pointee.next_in else { return inputOffset }
        return inputOffset + (next - input)
    }

    /// Keeps the unread input and tops the buffer up from the file. False at the end of the data.
    private func refill() throws -> Bool {
        let start = consumedOffset
        let keep = inputCount - (start - inputOffset)
        if keep > 0 && start > inputOffset { input.update(from: input + (start - inputOffset), count: keep) }
        inputOffset = start
        inputCount = max(keep, 0)
        let room = min(GzipSource.inputCapacity - inputCount, end - (inputOffset + inputCount))
        var got = 0
        if room > 0 {
            got = try file.read(at: inputOffset + inputCount, into: UnsafeMutableRawPointer(input + inputCount), count: room)
        }
        inputCount += got
        stream.pointee.next_in = input
        stream.pointee.avail_in = uInt(inputCount)
        return got > 0
    }

    func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        if let fault = pendingFault {
            pendingFault = nil
            throw fault
        }
        var produced = 0
        while produced == 0 {
            switch state {
            case .ended, .faulted:
                return 0
            case .betweenMembers:
                if !(try startNextMember()) { return 0 }
            case .inMember:
                if stream.pointee.avail_in == 0 {
                    if !(try refill()) {
                        // The file stops inside a member.
                        endNote = "gzip member at offset \(memberStart) is cut off: the file ends at byte \(end) before the member does"
                        state = .ended
                        return 0
                    }
                }
                stream.pointee.next_out = buffer
                stream.pointee.avail_out = uInt(capacity)
                let code = inflate(stream, Z_NO_FLUSH)
                produced = capacity - Int(stream.pointee.avail_out)
                decoded += produced
                currentMemberOutput += produced
                switch code {
                case Z_STREAM_END:
                    state = .betweenMembers
                case Z_OK:
                    break
                case Z_BUF_ERROR where produced == 0 && stream.pointee.avail_in > 0:
                    // No progress with input left: cannot happen with room to write; never spin on it.
                    state = .faulted
                    throw GzipFault(memberOffset: memberStart, message: "gzip data in the member at offset \(memberStart) makes no progress")
                case Z_BUF_ERROR:
                    break
                default:
                    state = .faulted
                    let fault = GzipFault(memberOffset: memberStart,
                                          message: "corrupt gzip data in the member at offset \(memberStart) (zlib: \(zlibMessage(stream, code)))")
                    if produced > 0 { pendingFault = fault } else { throw fault }
                }
            }
        }
        return produced
    }

    /// Looks at what follows a member: another member, the end, zero padding or junk.
    private func startNextMember() throws -> Bool {
        if stream.pointee.avail_in < 2 { _ = try refill() }
        let offset = consumedOffset
        let avail = Int(stream.pointee.avail_in)
        if avail == 0 {
            state = .ended
            return false
        }
        let next = stream.pointee.next_in!
        if avail >= 2 && next[0] == 0x1F && next[1] == 0x8B {
            inflateReset(stream)
            memberStart = offset
            currentMemberOutput = 0
            boundaries.append((decoded, offset))
            state = .inMember
            return true
        }
        // Not a member: zero padding (some writers pad to a block size) ends the file quietly.
        if try isZeroPadding(from: offset) {
            state = .ended
            return false
        }
        state = .faulted
        throw GzipFault(memberOffset: offset,
                        message: "the data at offset \(offset), after a complete gzip member, is not gzip (it starts with \(Dump.hexPreview(UnsafeBufferPointer(start: next, count: min(avail, 8)), count: 8)); \(end - offset) bytes to the end of the file)")
    }

    private func isZeroPadding(from offset: Int) throws -> Bool {
        guard end - offset <= 1 << 20 else { return false }
        let rest = try file.read(at: offset, count: end - offset)
        return rest.allSatisfy { $0 == 0 }
    }

    func fileOffset(ofDecoded position: Int) -> Int {
        var i = boundaries.count - 1
        while i > 0 && boundaries[i].decoded > position { i -= 1 }
        return i >= 0 ? boundaries[i].file : memberStart
    }

    func isMemberStart(_ position: Int) -> Bool {
        boundaries.contains { $0.decoded == position }
    }

    func forget(before position: Int) {
        // Keep the last boundary at or before `position`: it still names that byte's member.
        var drop = 0
        while drop + 1 < boundaries.count && boundaries[drop + 1].decoded <= position { drop += 1 }
        if drop > 0 { boundaries.removeFirst(drop) }
    }

    func stop() { state = .ended }

    func skipToNextMember(from member: Int) throws -> Int? {
        let from: Int
        if state == .faulted {
            from = member + 1
        } else if state == .inMember && memberStart == member {
            from = max(member + 1, consumedOffset)
        } else {
            return nil
        }
        guard let next = try Gzip.findMember(in: file, from: from, end: end) else {
            if state == .faulted { state = .ended }
            return nil
        }
        inputOffset = next
        inputCount = 0
        stream.pointee.next_in = input
        stream.pointee.avail_in = 0
        inflateReset(stream)
        state = .betweenMembers
        pendingFault = nil
        endNote = nil
        memberStart = next
        return next
    }
}

enum Gzip {
    /// The first `count` bytes `head` (the opening of a gzip file) expands to, as far as it goes.
    static func peek(head: [UInt8], count: Int) -> [UInt8] {
        guard let stream = makeInflater(windowBits: autoHeaderWindowBits) else { return [] }
        defer { freeInflater(stream) }
        var output = [UInt8](repeating: 0, count: count)
        var input = head
        let got: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = inBuf.baseAddress
                stream.pointee.avail_in = uInt(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = uInt(outBuf.count)
                _ = CTonchiZlib.inflate(stream, Z_SYNC_FLUSH)
                return outBuf.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output.prefix(got))
    }

    /// The offset of the first gzip member at or after `from` whose data opens a WARC record
    /// ("WARC/"), found by scanning for the gzip magic and test-inflating each candidate. Used to
    /// resynchronise after corrupt data and to step over a member without inflating it.
    static func findMember(in file: DumpFile, from: Int, end: Int) throws -> Int? {
        let window = 1 << 20
        var start = from
        while start + 10 <= end {
            let bytes = try file.read(at: start, count: min(window + 16, end - start))
            var candidates: [Int] = []
            bytes.withUnsafeBufferPointer { buf in
                var i = 0
                while i + 10 <= buf.count {
                    // memchr finds the magic's first byte; the rest of a gzip header is checked here.
                    guard let p = memchr(buf.baseAddress! + i, 0x1F, buf.count - 10 - i + 1) else { break }
                    i = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self) - buf.baseAddress!
                    if buf[i + 1] == 0x8B && buf[i + 2] == 0x08 && buf[i + 3] & 0xE0 == 0 { candidates.append(i) }
                    i += 1
                }
            }
            for i in candidates {
                let candidate = start + i
                let head = try file.read(at: candidate, count: min(64 << 10, end - candidate))
                if peek(head: head, count: 5) == Array("WARC/".utf8) { return candidate }
            }
            if bytes.count <= window { break }
            start += window
        }
        return nil
    }

    enum Outcome {
        case decoded([UInt8])
        /// The output passed the cap; nothing past it was produced.
        case tooLarge
        /// The data stops before its end; the bytes decoded up to there.
        case truncated([UInt8])
        case corrupt(String)
    }

    /// Inflates a whole in-memory body (HTTP Content-Encoding gzip or deflate), at most `cap`
    /// bytes of output, so a small body that expands enormously is stopped early. Concatenated
    /// gzip members are all read; `rawDeflate` is for "deflate" bodies sent without a zlib header.
    static func inflate(_ input: UnsafeBufferPointer<UInt8>, cap: Int, rawDeflate: Bool = false) -> Outcome {
        guard let stream = makeInflater(windowBits: rawDeflate ? -15 : autoHeaderWindowBits) else {
            return .corrupt("cannot start zlib")
        }
        defer { freeInflater(stream) }
        var output = [UInt8](repeating: 0, count: min(cap + 1, max(4096, input.count * 4)))
        var produced = 0
        var consumed = 0
        while true {
            if produced == output.count {
                if output.count > cap { return .tooLarge }
                output.append(contentsOf: repeatElement(0, count: min(output.count, cap + 1 - output.count)))
            }
            let (code, took, made): (Int32, Int, Int) = output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                stream.pointee.avail_in = uInt(input.count - consumed)
                stream.pointee.next_out = outBuf.baseAddress! + produced
                stream.pointee.avail_out = uInt(outBuf.count - produced)
                let code = CTonchiZlib.inflate(stream, Z_NO_FLUSH)
                return (code, input.count - consumed - Int(stream.pointee.avail_in),
                        outBuf.count - produced - Int(stream.pointee.avail_out))
            }
            consumed += took
            produced += made
            if produced > cap { return .tooLarge }
            switch code {
            case Z_STREAM_END:
                // Another gzip member may follow; anything else after the end is ignored, as browsers do.
                if !rawDeflate, input.count - consumed >= 2, input[consumed] == 0x1F, input[consumed + 1] == 0x8B {
                    inflateReset(stream)
                    continue
                }
                return .decoded(Array(output.prefix(produced)))
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                if consumed >= input.count { return .truncated(Array(output.prefix(produced))) }
                continue
            default:
                return .corrupt(zlibMessage(stream, code))
            }
        }
    }

    /// One gzip member holding `bytes` (tests and the benchmark build .warc.gz files with it).
    static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let size: Int = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                _ = deflate(&stream, Z_FINISH)
                return outBuf.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(size))
    }
}
