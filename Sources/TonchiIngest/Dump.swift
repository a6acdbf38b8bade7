import TonchiCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Site dumps: a WARC (plain or gzip), a WACZ, a wget --mirror folder or a CMS export in JSON Lines.
// Every reader streams one record at a time and turns each record into exactly one event, so a
// caller can count records read, pages found and what was skipped and why.

/// One captured page (or file) from a dump.
public struct CapturedItem: Sendable {
    /// WARC-Target-URI, the URL derived from a mirror's path, or the export's `url`.
    public let url: String?
    /// The payload: the HTTP body de-chunked and content-decoded (gzip/deflate), or the file bytes.
    public let body: [UInt8]
    /// Media type from the HTTP headers, the export or the extension: lowercased, without parameters.
    public let contentType: String?
    /// The charset parameter of the Content-Type, lowercased, if any.
    public let declaredCharset: String?
    /// WARC-Date as written.
    public let captureDate: String?
    public let httpStatus: Int?
    /// Where it came from, for evidence and error reports.
    public let location: ItemLocation
    /// WARC-Payload-Digest as written ("sha1:BASE32…", "sha256:hex…").
    public let payloadDigest: String?
    /// The export's title/author/published/category when given (a WACZ's pages.jsonl gives titles).
    public let metadata: [String: String]
    /// The payload as the WARC record stores it, to check `payloadDigest` against (nil outside WARC).
    public let stored: StoredPayload?

    public init(url: String?, body: [UInt8], contentType: String?, declaredCharset: String? = nil,
                captureDate: String? = nil, httpStatus: Int? = nil, location: ItemLocation,
                payloadDigest: String? = nil, metadata: [String: String] = [:], stored: StoredPayload? = nil) {
        self.stored = stored
        self.url = url
        self.body = body
        self.contentType = contentType
        self.declaredCharset = declaredCharset
        self.captureDate = captureDate
        self.httpStatus = httpStatus
        self.location = location
        self.payloadDigest = payloadDigest
        self.metadata = metadata
    }

    /// The item as the single-file pipeline takes it: HTML types are HTML, markdown is markdown,
    /// everything else is read as plain text (a text/plain page is shown as text by browsers).
    public var inputItem: InputItem {
        let format: InputFormat
        switch contentType {
        case "text/html", "application/xhtml+xml": format = .html
        case "text/markdown": format = .markdown
        default: format = .plainText
        }
        return InputItem(name: location.description, bytes: body, format: format, url: url)
    }
}

/// Where an item or a skipped record sits in a dump.
public struct ItemLocation: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The dump file, or folder + relative path (a WACZ's WARCs: the .wacz path + "/" + entry path).
    public let file: String
    /// Byte offset of the record in the file; in a .warc.gz, the offset of the gzip member the
    /// record starts in (what CDX indexes store and what a reader can seek to).
    public let offset: Int?
    /// WARC-Record-ID, the export's line ("line 12"), or a zip entry name.
    public let recordID: String?

    public init(file: String, offset: Int? = nil, recordID: String? = nil) {
        self.file = file
        self.offset = offset
        self.recordID = recordID
    }

    public var description: String {
        var text = file
        if let offset { text += ", offset \(offset)" }
        if let recordID { text += ", \(recordID)" }
        return text
    }
}

/// A record that gives no page, and why.
public struct SkippedItem: Sendable, Codable {
    public enum Reason: String, Sendable, Codable {
        case notHTML = "not-html", unreadable, tooLarge = "too-large", unsupported, duplicate, notAPage = "not-a-page"
    }
    public let location: ItemLocation
    public let reason: Reason
    /// Precise enough to act on: what was expected, what was found, and where.
    public let detail: String

    public init(location: ItemLocation, reason: Reason, detail: String) {
        self.location = location
        self.reason = reason
        self.detail = detail
    }
}

public enum DumpEvent: Sendable {
    case item(CapturedItem)
    case skipped(SkippedItem)
}

public struct DumpLimits: Sendable {
    /// The largest payload kept for one item, after de-chunking and content decoding. Also bounds
    /// how far a gzip member may expand inside one record before it counts as a bomb.
    public var maxItemBytes: Int
    /// The largest WARC header block, and separately the largest HTTP header block, of one record.
    public var maxRecordHeaderBytes: Int

    public init(maxItemBytes: Int = 64 << 20, maxRecordHeaderBytes: Int = 256 << 10) {
        self.maxItemBytes = max(1, maxItemBytes)
        self.maxRecordHeaderBytes = max(1024, maxRecordHeaderBytes)
    }

    public static let standard = DumpLimits()
}

public enum Dump {
    /// Detects the kind of dump and streams its items in order, calling `body` for each event.
    ///
    /// Kinds: a folder is a wget mirror; `.wacz` a WACZ; `.jsonl`/`.ndjson` a CMS export; a file
    /// whose bytes start a WARC (plain or gzip, whatever its name) a WARC; ARC files and other
    /// compressions give one `unsupported` skip; a CDX index one `not-a-page` skip; anything
    /// else is a single file and one item. Memory stays bounded: one record at a time.
    ///
    /// Throws only when the dump as a whole cannot be opened (an `IngestError` naming the path
    /// and the reason), or when `body` throws. Problems with single records become `.skipped`
    /// events and reading goes on with the next record wherever the format allows it.
    public static func read(path: String, limits: DumpLimits = .standard, _ body: (DumpEvent) throws -> Void) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw IngestError(name: path, reason: errno == ENOENT || errno == ENOTDIR ? "no such file or folder" : "cannot read: \(Ingest.errorText(errno))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            try MirrorFolder.read(folder: path, limits: limits, body)
            return
        }
        let file = try DumpFile(path: path)
        if file.size == 0 {
            try body(.skipped(SkippedItem(location: ItemLocation(file: path), reason: .notAPage, detail: "empty file (0 bytes)")))
            return
        }
        switch try detectKind(file: file) {
        case .warc(let gzip):
            try WARCReader.read(file: file, gzip: gzip, displayName: path, limits: limits, body)
        case .wacz:
            try WACZReader.read(file: file, limits: limits, body)
        case .cmsExport(let gzip):
            try CMSExport.read(file: file, gzip: gzip, limits: limits, body)
        case .skip(let reason, let detail):
            try body(.skipped(SkippedItem(location: ItemLocation(file: path, offset: 0), reason: reason, detail: detail)))
        case .single:
            try body(singleFileEvent(file: file, location: ItemLocation(file: path), urlString: nil, limits: limits))
        }
    }

    enum Kind: Equatable {
        case warc(gzip: Bool), wacz, cmsExport(gzip: Bool), single
        case skip(SkippedItem.Reason, String)
    }

    /// Content decides over the name where the two disagree (a `.warc.gz.bad` that is a gzip WARC
    /// is read as one); the name decides for zips and JSON Lines, whose bytes say less.
    static func detectKind(file: DumpFile) throws -> Kind {
        let baseName = file.path.split(separator: "/").last.map(String.init) ?? file.path
        let name = baseName.lowercased()
        let head = try file.read(at: 0, count: 512)
        let isGzip = head.starts(with: [0x1F, 0x8B])
        // The first bytes a gzip file expands to (a cheap look: the first member's start only).
        let opening = isGzip ? Gzip.peek(head: try file.read(at: 0, count: 64 << 10), count: 64) : head

        if name.hasSuffix(".wacz") { return .wacz }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return .cmsExport(gzip: false) }
        if name.hasSuffix(".jsonl.gz") || name.hasSuffix(".ndjson.gz") { return .cmsExport(gzip: true) }
        if opening.starts(with: Array("WARC/".utf8)) { return .warc(gzip: isGzip) }
        if opening.starts(with: Array("filedesc://".utf8)) || name.hasSuffix(".arc") || name.hasSuffix(".arc.gz") {
            return .skip(.unsupported, "ARC files are not supported; convert with warcio (warcio recompress \(baseName) out.warc.gz)")
        }
        if let compression = otherCompression(head) {
            return .skip(.unsupported, "\(compression)-compressed files are not supported; decompress first (the file starts with \(hexPreview(head, count: 4)))")
        }
        if name.hasSuffix(".cdx") || name.hasSuffix(".cdxj") || name.hasSuffix(".cdx.gz") || name.hasSuffix(".cdxj.gz") {
            return .skip(.notAPage, "CDX index: it lists captures of a WARC; read the WARC itself")
        }
        if name.hasSuffix(".warc") || name.hasSuffix(".warc.gz") {
            return .skip(.unreadable, "not a WARC file: it starts with \(textPreview(opening)) where WARC/1.0 or WARC/1.1 was expected")
        }
        if isGzip {
            return .skip(.unsupported, "gzip file that is not a WARC: it expands to \(textPreview(opening))")
        }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return .skip(.unsupported, "zip archive that is not named .wacz; only WACZ zips are read")
        }
        return .single
    }

    private static func otherCompression(_ head: [UInt8]) -> String? {
        if head.starts(with: [0x04, 0x22, 0x4D, 0x18]) { return "LZ4" }
        if head.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return "Zstandard" }
        if head.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return "xz" }
        if head.starts(with: Array("BZh".utf8)), head.count > 3, (0x31...0x39).contains(head[3]) { return "bzip2" }
        return nil
    }

    // MARK: - Single files (also each file of a mirror)

    /// A whole file as one event: the item, or why it is no page. A file named without a page
    /// extension is sniffed: in a mirror (`htmlOnly`) only HTML counts, while a single file given
    /// by hand may also be plain text or markdown, as `Ingest.read` takes it.
    static func singleFileEvent(file: DumpFile, location: ItemLocation, urlString: String?, limits: DumpLimits,
                                htmlOnly: Bool = false) throws -> DumpEvent {
        func skip(_ reason: SkippedItem.Reason, _ detail: String) -> DumpEvent {
            .skipped(SkippedItem(location: location, reason: reason, detail: detail))
        }
        if file.size == 0 { return skip(.notAPage, "empty file (0 bytes)") }
        let byName = mediaTypeForFileName(file.path)
        if let type = byName, type != serverPage, !isPageType(type), type != "text/markdown" {
            return skip(.notHTML, "\(type) by its extension")
        }
        if file.size > limits.maxItemBytes {
            return skip(.tooLarge, "file of \(formatBytes(file.size)) exceeds the cap of \(formatBytes(limits.maxItemBytes))")
        }
        let bytes = try file.read(at: 0, count: file.size)
        if let type = byName, type != serverPage {
            return .item(CapturedItem(url: urlString, body: bytes, contentType: type, location: location))
        }
        let sniffed = Ingest.detectFormat(name: "", bytes: bytes)
        if sniffed == .html {
            return .item(CapturedItem(url: urlString, body: bytes, contentType: "text/html", location: location))
        }
        if htmlOnly || byName == serverPage {
            let what = byName == serverPage ? "server-side page name" : "no extension"
            return skip(.notHTML, "\(what) and no HTML in its first bytes (starts with \(textPreview(bytes, count: 24)))")
        }
        if !looksLikeText(bytes) {
            return skip(.notHTML, "binary data without a known extension (starts with \(hexPreview(bytes, count: 8)))")
        }
        let type = sniffed == .markdown ? "text/markdown" : "text/plain"
        return .item(CapturedItem(url: urlString, body: bytes, contentType: type, location: location))
    }

    /// Marks names of server-side scripts (.php, .asp): their bytes are whatever the server sent.
    static let serverPage = "text/x-server-page"

    /// Media types by extension. Server-side script names (.php, .asp, .jsp) hold whatever the
    /// server sent, nearly always HTML, so they are sniffed.
    static func mediaTypeForFileName(_ path: String) -> String? {
        var base = path.split(separator: "/").last.map(String.init) ?? path
        // wget keeps query strings in names ("index.php?p=2", or "@" on Windows-safe layouts).
        if let q = base.firstIndex(where: { $0 == "?" || $0 == "@" }) { base = String(base[..<q]) }
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return nil }
        switch base[base.index(after: dot)...].lowercased() {
        case "html", "htm", "shtml", "xht": return "text/html"
        case "xhtml": return "application/xhtml+xml"
        case "txt", "text": return "text/plain"
        case "md", "markdown": return "text/markdown"
        case "php", "php3", "php5", "asp", "aspx", "jsp", "jspx", "cfm", "cgi", "pl", "do", "action": return "text/x-server-page"
        case "css": return "text/css"
        case "js", "mjs": return "text/javascript"
        case "json": return "application/json"
        case "xml", "rss", "atom": return "application/xml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "bmp": return "image/bmp"
        case "avif": return "image/avif"
        case "pdf": return "application/pdf"
        case "woff": return "font/woff"
        case "woff2": return "font/woff2"
        case "ttf": return "font/ttf"
        case "otf": return "font/otf"
        case "eot": return "application/vnd.ms-fontobject"
        case "mp4", "m4v": return "video/mp4"
        case "webm": return "video/webm"
        case "mp3": return "audio/mpeg"
        case "ogg": return "audio/ogg"
        case "wav": return "audio/wav"
        case "zip": return "application/zip"
        case "gz", "tgz": return "application/gzip"
        case "doc": return "application/msword"
        case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xls", "xlsx", "ppt", "pptx", "swf", "exe", "bin", "dmg", "iso": return "application/octet-stream"
        case "csv": return "text/csv"
        default: return nil
        }
    }

    /// Pages tonchi checks: HTML, and plain text (a text/plain page is still published text).
    static func isPageType(_ type: String) -> Bool {
        type == "text/html" || type == "application/xhtml+xml" || type == "text/plain"
    }

    /// No NUL and few control bytes in the first 8 KiB: text in some encoding.
    static func looksLikeText(_ bytes: [UInt8]) -> Bool {
        let window = bytes.prefix(8192)
        var controls = 0
        for b in window {
            if b == 0 { return false }
            if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1B { controls += 1 }
        }
        return controls * 50 < max(window.count, 1)
    }

    // MARK: - Formatting for details

    static func formatBytes(_ count: Int) -> String { Ingest.formatBytes(count) }

    static func hexPreview<C: Collection>(_ bytes: C, count: Int) -> String where C.Element == UInt8 {
        let digits = Array("0123456789ABCDEF")
        let hex = bytes.prefix(count).map { b in String([digits[Int(b >> 4)], digits[Int(b & 15)]]) }
        return hex.isEmpty ? "nothing" : hex.joined(separator: " ")
    }

    /// A short, printable quote of some bytes: `"<!doctype html>…"`, control bytes escaped.
    static func textPreview<C: Collection>(_ bytes: C, count: Int = 40) -> String where C.Element == UInt8 {
        if bytes.isEmpty { return "nothing" }
        var text = ""
        for b in bytes.prefix(count) {
            switch b {
            case 0x0D: text += "\\r"
            case 0x0A: text += "\\n"
            case 0x09: text += "\\t"
            case 0x22: text += "\\\""
            case 0x5C: text += "\\\\"
            case 0x20..<0x7F: text.append(Character(Unicode.Scalar(b)))
            default: text += "\\x" + hexPreview([b], count: 1)
            }
        }
        return "\"" + text + (bytes.count > count ? "…" : "") + "\""
    }
}
