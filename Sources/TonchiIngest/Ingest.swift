import TonchiCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One input as read from disk or standard input, before any decoding.
public struct InputItem: Sendable {
    /// The path as given, or "-" for standard input.
    public let name: String
    public let bytes: [UInt8]
    public let format: InputFormat
    /// Where the page was published, when known (archives and crawls carry it; plain files do not).
    public let url: String?

    public init(name: String, bytes: [UInt8], format: InputFormat, url: String? = nil) {
        self.name = name
        self.bytes = bytes
        self.format = format
        self.url = url
    }
}

public struct IngestError: Error, CustomStringConvertible, Sendable {
    public let name: String
    public let reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public var description: String { "\(name): \(reason)" }
}

public enum Ingest {
    public static let defaultMaxBytes = 64 << 20

    /// Reads a file ("-" reads standard input). The format is detected unless given.
    public static func read(path: String, format: InputFormat? = nil, maxBytes: Int = defaultMaxBytes) throws -> InputItem {
        if path == "-" { return try readStandardInput(format: format, maxBytes: maxBytes) }

        var info = stat()
        guard stat(path, &info) == 0 else {
            throw IngestError(name: path, reason: errno == ENOENT || errno == ENOTDIR ? "no such file" : "cannot read: \(errorText(errno))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw IngestError(name: path, reason: "is a directory, not a file")
        }
        // Regular files are refused before reading; pipes and devices are capped while reading.
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        if isRegular && Int(info.st_size) > maxBytes {
            throw IngestError(name: path, reason: tooLarge(size: Int(info.st_size), cap: maxBytes))
        }

        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IngestError(name: path, reason: "cannot read: \(errorText(errno))")
        }
        defer { close(fd) }
        let bytes = try readAll(fd: fd, name: path, maxBytes: maxBytes, sizeHint: isRegular ? Int(info.st_size) : 0)
        if format == nil, let docx = try docxItem(name: path, bytes: bytes, maxBytes: maxBytes) { return docx }
        return InputItem(name: path, bytes: bytes, format: format ?? detectFormat(name: path, bytes: bytes))
    }

    public static func readStandardInput(format: InputFormat? = nil, maxBytes: Int = defaultMaxBytes) throws -> InputItem {
        let bytes = try readAll(fd: 0, name: "-", maxBytes: maxBytes, sizeHint: 0)
        if format == nil, let docx = try docxItem(name: "-", bytes: bytes, maxBytes: maxBytes) { return docx }
        return InputItem(name: "-", bytes: bytes, format: format ?? detectFormat(name: "-", bytes: bytes))
    }

    /// A Word document (by extension or content) read as plain text (see `DOCX`); nil for anything else.
    static func docxItem(name: String, bytes: [UInt8], maxBytes: Int) throws -> InputItem? {
        guard name.lowercased().hasSuffix(".docx") || DOCX.looksLikeDOCX(bytes) else { return nil }
        do {
            return InputItem(name: name, bytes: try DOCX.text(bytes, maxBytes: maxBytes), format: .plainText)
        } catch {
            throw IngestError(name: name, reason: "\(error)")
        }
    }

    /// Decides by extension first (the author said what it is), then by the opening bytes.
    public static func detectFormat(name: String, bytes: [UInt8]) -> InputFormat {
        if let format = formatForExtension(of: name) { return format }
        return sniff(bytes)
    }

    // MARK: - Reading

    private static func readAll(fd: Int32, name: String, maxBytes: Int, sizeHint: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(min(max(sizeHint, 0), maxBytes) + 1)
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                systemRead(fd, raw.baseAddress, chunk)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = errno == EISDIR ? "is a directory, not a file" : "cannot read: \(errorText(errno))"
                throw IngestError(name: name, reason: reason)
            }
            if count == 0 { break }
            result.append(contentsOf: buffer[0..<count])
            if result.count > maxBytes {
                // Keep reading only to count, so the message can say how big the input really is.
                var total = result.count
                while true {
                    let more = buffer.withUnsafeMutableBytes { raw in systemRead(fd, raw.baseAddress, chunk) }
                    if more < 0 && errno == EINTR { continue }
                    if more <= 0 || total > maxBytes * 4 { break }
                    total += more
                }
                let size = total > maxBytes * 4 ? "more than \(formatBytes(maxBytes * 4))" : formatBytes(total)
                throw IngestError(name: name, reason: "too large: \(size) exceeds the cap of \(formatBytes(maxBytes))")
            }
        }
        return result
    }

    private static func tooLarge(size: Int, cap: Int) -> String {
        "too large: \(formatBytes(size)) exceeds the cap of \(formatBytes(cap))"
    }

    /// Exact byte counts, with a rounded MiB figure when it helps a human.
    static func formatBytes(_ count: Int) -> String {
        if count < 1 << 20 { return "\(count) bytes" }
        let tenths = (count * 10 + (1 << 19)) >> 20
        return "\(count) bytes (\(tenths / 10).\(tenths % 10) MiB)"
    }

    /// A system error as a reader of the report should see it.
    static func errorText(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ENOENT: return "no such file"
        case EISDIR: return "is a directory"
        default:
            if let text = strerror(code) { return String(cString: text) }
            return "error \(code)"
        }
    }

    // MARK: - Detection

    private static func formatForExtension(of name: String) -> InputFormat? {
        let base = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return nil }
        switch base[base.index(after: dot)...].lowercased() {
        case "txt", "text": return .plainText
        case "md", "markdown", "mdown", "mkd": return .markdown
        case "html", "htm", "xhtml", "shtml": return .html
        default: return nil
        }
    }

    private static let htmlOpenings: [[UInt8]] = [
        "<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<p", "<title",
    ].map { Array($0.utf8) }

    private static func sniff(_ bytes: [UInt8]) -> InputFormat {
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        if htmlOpenings.contains(where: { hasPrefixIgnoringCase(bytes, at: i, $0) }) { return .html }
        // A leading comment or XML declaration often precedes the <html> of saved pages.
        if hasPrefixIgnoringCase(bytes, at: i, Array("<!--".utf8)) || hasPrefixIgnoringCase(bytes, at: i, Array("<?xml".utf8)) {
            let window = Array(bytes[i..<min(bytes.count, i + 4096)])
            if containsIgnoringCase(window, Array("<html".utf8)) || containsIgnoringCase(window, Array("<!doctype html".utf8)) {
                return .html
            }
        }
        return looksLikeMarkdown(bytes, from: i) ? .markdown : .plainText
    }

    /// One clear marker is enough: an ATX heading line, a fenced code line, or an inline link "[x](y)".
    private static func looksLikeMarkdown(_ bytes: [UInt8], from start: Int) -> Bool {
        let end = min(bytes.count, start + (64 << 10))
        var lineStart = start
        var i = start
        while i <= end {
            if i == end || bytes[i] == 0x0A {
                if isMarkdownLine(bytes, lineStart, i) { return true }
                lineStart = i + 1
            }
            i += 1
        }
        return false
    }

    private static func isMarkdownLine(_ b: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end, i - start < 3, b[i] == 0x20 { i += 1 }
        var hashes = 0
        while i + hashes < end, b[i + hashes] == 0x23 { hashes += 1 }   // '#'
        if (1...6).contains(hashes), i + hashes < end, b[i + hashes] == 0x20 || b[i + hashes] == 0x09 { return true }
        if end - i >= 3, (b[i] == 0x60 && b[i + 1] == 0x60 && b[i + 2] == 0x60) { return true }   // ```
        // "[text](" with the bracket opened on the same line.
        var open = false
        var j = start
        while j + 1 < end {
            if b[j] == 0x5B { open = true }                          // [
            else if b[j] == 0x5D && open && b[j + 1] == 0x28 { return true }   // ](
            j += 1
        }
        return false
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    private static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }

    private static func hasPrefixIgnoringCase(_ bytes: [UInt8], at i: Int, _ prefix: [UInt8]) -> Bool {
        guard bytes.count - i >= prefix.count else { return false }
        for k in 0..<prefix.count where lower(bytes[i + k]) != prefix[k] { return false }
        return true
    }

    private static func containsIgnoringCase(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        for i in 0...(bytes.count - needle.count) where hasPrefixIgnoringCase(bytes, at: i, needle) { return true }
        return false
    }
}

// `read` is shadowed by Ingest.read inside the enum.
@inline(__always)
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
