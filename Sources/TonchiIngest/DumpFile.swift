#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file read by offset (pread), so a reader can look ahead for a resynchronisation point
/// without disturbing the stream it is decoding.
final class DumpFile {
    let path: String
    let size: Int
    private let fd: Int32

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IngestError(name: path, reason: "cannot open: \(Ingest.errorText(errno))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw IngestError(name: path, reason: "cannot read: \(Ingest.errorText(code))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw IngestError(name: path, reason: "is a directory, not a file")
        }
        if (info.st_mode & S_IFMT) != S_IFREG {
            // Readers seek (pread) to resynchronise; pipes and devices can't do that.
            close(fd)
            throw IngestError(name: path, reason: "not a regular file (a pipe or a device); save the dump to a file first")
        }
        self.path = path
        self.fd = fd
        self.size = Int(info.st_size)
    }

    deinit { close(fd) }

    /// Reads up to `count` bytes at `offset` into `buffer`; fewer only at the end of the file.
    func read(at offset: Int, into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError(name: path, reason: "read error at offset \(offset + done): \(Ingest.errorText(errno))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard count > 0, offset < size else { return [] }
        let wanted = min(count, size - offset)
        var bytes = [UInt8](repeating: 0, count: wanted)
        let got = try bytes.withUnsafeMutableBytes { try read(at: offset, into: $0.baseAddress!, count: wanted) }
        if got < wanted { bytes.removeLast(wanted - got) }
        return bytes
    }
}

// MARK: - Decoded byte streams

/// The bytes a record reader walks: a file as is, or the concatenated output of its gzip members.
/// Positions count decoded bytes from the stream's start.
protocol DecodedSource: AnyObject {
    /// Writes up to `capacity` decoded bytes to `buffer`; 0 at the end. Throws `GzipFault` on
    /// corrupt compressed data (the stream can then `resynchronise`).
    func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int
    /// The file offset to report for the record whose first byte is at decoded `position`:
    /// the position itself for plain files, the start of the gzip member holding it otherwise.
    func fileOffset(ofDecoded position: Int) -> Int
    /// Whether `position` is the first byte of a gzip member (false for plain files).
    func isMemberStart(_ position: Int) -> Bool
    /// Drops bookkeeping for positions before `position`.
    func forget(before position: Int)
    /// Why the stream ended before the file did (a cut-off gzip member), once known.
    var endNote: String? { get }
    /// How many decoded bytes the current gzip member has produced so far (0 for plain files).
    var currentMemberOutput: Int { get }
    /// Gzip only: abandons the member that starts at file offset `member` (if the stream is still
    /// inside it, or stopped in it by a fault) and restarts at the next member after it that opens
    /// a WARC record. Returns that member's file offset, or nil when there is none: the stream is
    /// then unchanged, or ended after a fault.
    func skipToNextMember(from member: Int) throws -> Int?
    /// File offset of the gzip member being read (0 for plain files).
    var memberStart: Int { get }
    /// Ends the stream here: nothing more is read (after a bomb with no member after it).
    func stop()
    /// The decoded position the next `read` starts at.
    var decodedPosition: Int { get }
    var isGzip: Bool { get }
}

/// A plain file, read in order.
final class PlainSource: DecodedSource {
    private let file: DumpFile
    private var position: Int
    private let end: Int

    init(file: DumpFile, start: Int = 0, end: Int? = nil) {
        self.file = file
        self.position = start
        self.end = min(end ?? file.size, file.size)
    }

    func read(into buffer: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        let wanted = min(capacity, end - position)
        guard wanted > 0 else { return 0 }
        let n = try file.read(at: position, into: UnsafeMutableRawPointer(buffer), count: wanted)
        position += n
        return n
    }

    func fileOffset(ofDecoded position: Int) -> Int { position }
    func isMemberStart(_ position: Int) -> Bool { false }
    func forget(before position: Int) {}
    var endNote: String? { nil }
    var currentMemberOutput: Int { 0 }
    func skipToNextMember(from member: Int) throws -> Int? { nil }
    var memberStart: Int { 0 }
    func stop() { position = end }
    var decodedPosition: Int { position }
    var isGzip: Bool { false }
}

/// A window over a decoded source: look ahead, read lines, take or drop bytes. Bytes stay in the
/// window until consumed, so a reader can look back inside a record it has not finished.
final class ByteWindow {
    let source: DecodedSource
    private(set) var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Window bytes are storage[head..<tail]; storage[0] is at decoded position `base`.
    private var head = 0
    private var tail = 0
    private var base = 0
    private(set) var atEnd = false
    static let chunk = 256 << 10

    init(source: DecodedSource) {
        self.source = source
        capacity = ByteWindow.chunk * 2
        storage = .allocate(capacity: capacity)
        base = source.decodedPosition
    }

    deinit { storage.deallocate() }

    /// Decoded position of the next unread byte.
    var position: Int { base + head }
    var available: Int { tail - head }

    subscript(offset: Int) -> UInt8 { storage[head + offset] }

    /// Makes at least `count` bytes available; false when the stream ends first.
    @discardableResult
    func ensure(_ count: Int) throws -> Bool {
        while tail - head < count {
            if atEnd { return false }
            try fill(minimum: count)
        }
        return true
    }

    /// Reads more from the source: at least one chunk, and room for `minimum` bytes in all.
    private func fill(minimum: Int) throws {
        if head > 0 && (tail == head || head >= capacity / 2 || capacity - tail < ByteWindow.chunk) {
            // Slide the unread bytes to the front: cheap next to reading a chunk.
            let live = tail - head
            if live > 0 { storage.update(from: storage + head, count: live) }
            base += head
            tail = live
            head = 0
            source.forget(before: base)
        }
        let needed = max(head + minimum, tail + ByteWindow.chunk)
        if needed > capacity {
            var newCapacity = capacity
            while newCapacity < needed { newCapacity *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: storage, count: tail)
            storage.deallocate()
            storage = grown
            capacity = newCapacity
        }
        let n = try source.read(into: storage + tail, capacity: capacity - tail)
        if n == 0 { atEnd = true } else { tail += n }
    }

    /// Shrinks the buffer back after a large record, so one big page doesn't pin its memory.
    func trim() {
        guard capacity > ByteWindow.chunk * 8, tail - head < ByteWindow.chunk * 2 else { return }
        let live = tail - head
        let small = UnsafeMutablePointer<UInt8>.allocate(capacity: ByteWindow.chunk * 2)
        small.update(from: storage + head, count: live)
        storage.deallocate()
        storage = small
        capacity = ByteWindow.chunk * 2
        base += head
        head = 0
        tail = live
    }

    func consume(_ count: Int) {
        precondition(count <= tail - head)
        head += count
    }

    /// Copies `count` available bytes starting `from` bytes ahead, without consuming them.
    func copy(from offset: Int = 0, count: Int) -> [UInt8] {
        precondition(offset + count <= tail - head)
        return Array(UnsafeBufferPointer(start: storage + head + offset, count: count))
    }

    func slice(from offset: Int, count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage + head + offset, count: count)
    }

    func hasPrefix(_ bytes: [UInt8], at offset: Int = 0) throws -> Bool {
        guard try ensure(offset + bytes.count) else { return false }
        for (k, b) in bytes.enumerated() where storage[head + offset + k] != b { return false }
        return true
    }

    /// Index (from the read position) of the first `byte` at or after `from`, looking at most
    /// `limit` bytes ahead; nil when not found within the limit or before the end.
    func find(_ byte: UInt8, from: Int = 0, limit: Int) throws -> Int? {
        var searched = from
        while true {
            let stop = min(tail - head, limit)
            if searched < stop {
                if let p = memchr(storage + head + searched, Int32(byte), stop - searched) {
                    return UnsafeMutableRawPointer(mutating: p).assumingMemoryBound(to: UInt8.self) - (storage + head)
                }
                searched = stop
            }
            if searched >= limit || atEnd { return nil }
            try fill(minimum: tail - head + 1)
        }
    }

    /// Drops up to `count` bytes, reading through the source without keeping them. Returns how
    /// many were dropped (fewer at the end of the stream).
    func discard(_ count: Int) throws -> Int {
        var left = count
        while left > 0 {
            if tail == head {
                if atEnd { break }
                try fill(minimum: 1)
                continue
            }
            let n = min(left, tail - head)
            head += n
            left -= n
        }
        return count - left
    }

    /// Forgets everything buffered after the source jumped (gzip resynchronisation).
    func restart() {
        head = 0
        tail = 0
        base = source.decodedPosition
        atEnd = false
        trim()
    }

}
