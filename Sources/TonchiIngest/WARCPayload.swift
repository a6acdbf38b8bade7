/// The HTTP part of WARC response records, and how a payload becomes an item or a skip.
/// Written for what crawlers really store: LF-only header lines (ClueWeb09), a status line without
/// its reason phrase, bodies stored already de-chunked or decoded under headers that say otherwise.
struct HTTPHead {
    let status: Int
    let statusLine: String
    /// Names lowercased, values trimmed, in order.
    let headers: [(name: String, value: String)]
    /// Bytes from the block's start to the body's.
    let length: Int

    func first(_ name: String) -> String? { headers.first { $0.name == name }?.value }
}

enum HTTPHeadResult {
    case head(HTTPHead)
    case invalid(String)
}

enum WARCPayload {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D

    /// Parses the status line and headers at the start of `block`. A 1xx interim response
    /// ("100 Continue") followed by the real one is stepped over.
    static func parseHead(_ block: UnsafeBufferPointer<UInt8>, limit: Int) -> HTTPHeadResult {
        var start = 0
        while true {
            switch parseOneHead(block, from: start, limit: limit) {
            case .invalid(let why): return .invalid(why)
            case .head(let head):
                let rest = head.length
                if (100..<200).contains(head.status) && head.status != 101 && startsWith(block, at: rest, "HTTP/") {
                    start = rest
                    continue
                }
                return .head(head)
            }
        }
    }

    private static func parseOneHead(_ block: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> HTTPHeadResult {
        var statusLine: String?
        var headers: [(String, String)] = []
        var i = start
        while i < block.count {
            if i - start > limit {
                return .invalid("HTTP headers longer than \(Dump.formatBytes(limit))")
            }
            let lineStart = i
            let j = UnsafeBufferPointer(rebasing: block[i...]).firstIndex(of: lf).map { $0 + i } ?? block.count
            var lineEnd = j
            // "\r\n", a bare "\n" (ClueWeb09) and "\r\r\n" (pywb's missing-status-text sample) all end lines.
            while lineEnd > lineStart && block[lineEnd - 1] == cr { lineEnd -= 1 }
            i = j < block.count ? j + 1 : block.count
            if lineEnd == lineStart {
                if statusLine == nil { continue }
                break
            }
            let line = UnsafeBufferPointer(rebasing: block[lineStart..<lineEnd])
            if statusLine == nil {
                statusLine = String(decoding: line, as: UTF8.self)
            } else if line[0] == 0x20 || line[0] == 0x09, !headers.isEmpty {
                headers[headers.count - 1].1 += " " + ASCII.trimmed(line, 0, line.count)   // folded line
            } else if let field = ASCII.field(line) {
                headers.append(field)
            }
        }
        // Headers without their closing blank line (a bodiless response cut short) are still usable.
        guard let statusLine else { return .invalid("empty HTTP response") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].utf8.count >= 5, ASCII.lowercased(String(parts[0].prefix(5))) == "http/",
              parts[1].utf8.count == 3, let status = Int(parts[1]) else {
            return .invalid("bad HTTP status line \(Dump.textPreview(Array(statusLine.utf8), count: 60))")
        }
        return .head(HTTPHead(status: status, statusLine: statusLine, headers: headers, length: i))
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String {
        guard to > from else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }

    static func startsWith(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ text: String) -> Bool {
        let t = Array(text.utf8)
        guard bytes.count - offset >= t.count, offset >= 0 else { return false }
        for k in 0..<t.count where bytes[offset + k] != t[k] { return false }
        return true
    }

    /// "text/html; charset=UTF-8" → ("text/html", "utf-8").
    static func mediaType(_ header: String?) -> (type: String?, charset: String?) {
        guard var header else { return (nil, nil) }
        return header.withUTF8 { bytes -> (String?, String?) in
            let semicolon = bytes.firstIndex(of: 0x3B) ?? bytes.count
            let type = ASCII.trimmed(bytes, 0, semicolon, lowercase: true)
            var charset: String?
            var i = semicolon
            while i < bytes.count {
                let start = i + 1
                let end = UnsafeBufferPointer(rebasing: bytes[start...]).firstIndex(of: 0x3B).map { $0 + start } ?? bytes.count
                let param = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if let eq = param.firstIndex(of: 0x3D), ASCII.trimmed(param, 0, eq, lowercase: true) == "charset" {
                    var value = ASCII.trimmed(param, eq + 1, param.count, lowercase: true)
                    if value.count >= 2, value.hasPrefix("\"") || value.hasPrefix("'") { value = String(value.dropFirst().dropLast()) }
                    if !value.isEmpty && charset == nil { charset = value }
                }
                i = end
            }
            return (type.isEmpty ? nil : type, charset)
        }
    }

    // MARK: - From payload to event

    struct Capture {
        let url: String?
        let date: String?
        let digest: String?
        let location: ItemLocation
        let metadata: [String: String]
    }

    /// A response record's block: HTTP head, then the body de-chunked and decoded.
    static func responseEvent(block: UnsafeBufferPointer<UInt8>, capture: Capture, limits: DumpLimits) -> DumpEvent {
        func skip(_ reason: SkippedItem.Reason, _ detail: String) -> DumpEvent {
            .skipped(SkippedItem(location: capture.location, reason: reason, detail: detail))
        }
        let head: HTTPHead
        switch parseHead(block, limit: limits.maxRecordHeaderBytes) {
        case .invalid(let why): return skip(.unreadable, "\(why)\(about(capture.url))")
        case .head(let h): head = h
        }
        if let early = statusSkip(head, capture: capture) { return early }
        let (type, charset) = mediaType(head.first("content-type"))
        if let type, !Dump.isPageType(type) {
            return skip(.notHTML, "\(type)\(about(capture.url))")
        }
        var body = Array(UnsafeBufferPointer(rebasing: block[head.length...]))
        let asStored = body
        var dechunked: [UInt8]?

        if let transfer = head.first("transfer-encoding"), ASCII.contains(transfer, "chunked") {
            switch Chunked.decode(body) {
            case .notChunked: break   // stored de-chunked under the original header
            case .decoded(let bytes): body = bytes; dechunked = bytes
            case .broken(let why): return skip(.unreadable, "bad chunked encoding: \(why)\(about(capture.url))")
            }
        }
        let encodings = ASCII.lowercased(head.first("content-encoding") ?? "")
            .split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty && $0 != "identity" && $0 != "none" }
        for coding in encodings.reversed() {
            switch decodeContent(body, coding: coding, cap: limits.maxItemBytes) {
            case .success(let bytes): body = bytes
            case .failure(let problem): return skip(problem.reason, problem.detail + about(capture.url))
            }
        }
        return payloadEvent(body: body, type: type, charset: charset, status: head.status, capture: capture, limits: limits,
                            stored: StoredPayload(entity: dechunked ?? asStored, chunked: dechunked == nil ? nil : asStored))
    }

    /// Redirects and bodiless answers are not pages, whatever their content type.
    static func statusSkip(_ head: HTTPHead, capture: Capture) -> DumpEvent? {
        let detail: String
        switch head.status {
        case 300..<400:
            if head.status == 304 { detail = "HTTP 304 Not Modified (no body)" }
            else if let target = head.first("location") { detail = "HTTP \(head.status) redirect to \(target)" }
            else { detail = "HTTP \(head.status) redirect without a Location" }
        case 204, 205: detail = "HTTP \(head.status): no content"
        case 101: detail = "HTTP 101 protocol switch"
        default: return nil
        }
        return .skipped(SkippedItem(location: capture.location, reason: .notAPage, detail: detail + about(capture.url)))
    }

    /// The last step for responses and resources: the page, or why not.
    static func payloadEvent(body: [UInt8], type: String?, charset: String?, status: Int?, capture: Capture,
                             limits: DumpLimits, stored: StoredPayload? = nil) -> DumpEvent {
        func skip(_ reason: SkippedItem.Reason, _ detail: String) -> DumpEvent {
            .skipped(SkippedItem(location: capture.location, reason: reason, detail: detail))
        }
        if let type, !Dump.isPageType(type) { return skip(.notHTML, "\(type)\(about(capture.url))") }
        if body.count > limits.maxItemBytes {
            return skip(.tooLarge, "body of \(Dump.formatBytes(body.count)) exceeds the cap of \(Dump.formatBytes(limits.maxItemBytes))\(about(capture.url))")
        }
        if body.isEmpty {
            return skip(.notAPage, "empty body\(status.map { " (HTTP \($0))" } ?? "")\(about(capture.url))")
        }
        var finalType = type
        if finalType == nil {
            guard Ingest.detectFormat(name: "", bytes: body) == .html else {
                return skip(.notHTML, "no Content-Type and no HTML at the start of the body (\(Dump.textPreview(body, count: 24)))\(about(capture.url))")
            }
            finalType = "text/html"
        }
        return .item(CapturedItem(url: capture.url, body: body, contentType: finalType, declaredCharset: charset,
                                  captureDate: capture.date, httpStatus: status, location: capture.location,
                                  payloadDigest: capture.digest, metadata: capture.metadata,
                                  stored: stored ?? StoredPayload(entity: body, chunked: nil)))
    }

    static func about(_ url: String?) -> String { url.map { " (\($0))" } ?? "" }

    struct Problem: Error {
        let reason: SkippedItem.Reason
        let detail: String
    }

    /// Undoes one Content-Encoding. Bodies that don't start the way the coding says were stored
    /// decoded by the crawler (ClueWeb09 does this) and are kept as they are.
    static func decodeContent(_ body: [UInt8], coding: String, cap: Int) -> Result<[UInt8], Problem> {
        func inflated(_ outcome: Gzip.Outcome, _ name: String) -> Result<[UInt8], Problem> {
            switch outcome {
            case .decoded(let bytes): return .success(bytes)
            case .tooLarge:
                return .failure(Problem(reason: .tooLarge, detail: "gzip bomb: the \(name)-encoded body of \(Dump.formatBytes(body.count)) expands past \(Dump.formatBytes(cap))"))
            case .truncated(let bytes):
                return .failure(Problem(reason: .unreadable, detail: "\(name)-encoded body is cut off: its \(Dump.formatBytes(body.count)) decode to \(Dump.formatBytes(bytes.count)) and stop before the end of the stream"))
            case .corrupt(let why):
                return .failure(Problem(reason: .unreadable, detail: "\(name)-encoded body is corrupt (zlib: \(why))"))
            }
        }
        switch coding {
        case "gzip", "x-gzip":
            guard body.starts(with: [0x1F, 0x8B]) else { return .success(body) }
            return body.withUnsafeBufferPointer { inflated(Gzip.inflate($0, cap: cap), "gzip") }
        case "deflate":
            guard body.count >= 2 else { return .success(body) }
            let zlibHeader = body[0] & 0x0F == 8 && (Int(body[0]) << 8 | Int(body[1])) % 31 == 0
            if zlibHeader { return body.withUnsafeBufferPointer { inflated(Gzip.inflate($0, cap: cap), "deflate") } }
            if Ingest.detectFormat(name: "", bytes: Array(body.prefix(4096))) == .html { return .success(body) }
            // Servers that send raw deflate without the zlib wrapper (old IIS).
            return body.withUnsafeBufferPointer { inflated(Gzip.inflate($0, cap: cap, rawDeflate: true), "deflate") }
        default:
            if Ingest.detectFormat(name: "", bytes: Array(body.prefix(4096))) == .html { return .success(body) }
            return .failure(Problem(reason: .unsupported, detail: "Content-Encoding \(coding) is not supported"))
        }
    }
}

/// HTTP/1.1 chunked transfer coding.
enum Chunked {
    enum Outcome {
        /// The body doesn't open with a chunk-size line: it was stored de-chunked.
        case notChunked
        case decoded([UInt8])
        case broken(String)
    }

    static func decode(_ body: [UInt8]) -> Outcome {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = 0
        var chunks = 0
        func sizeLine(at start: Int) -> (size: Int, next: Int)? {
            var j = start
            var size = 0
            var digits = 0
            while j < body.count, let v = hexValue(body[j]) {
                if digits >= 15 { return nil }
                size = size * 16 + v
                digits += 1
                j += 1
            }
            guard digits > 0 else { return nil }
            while j < body.count && (body[j] == 0x20 || body[j] == 0x09) { j += 1 }
            if j < body.count && body[j] == 0x3B {
                while j < body.count && body[j] != 0x0A { j += 1 }   // chunk extensions: ignored
            } else {
                while j < body.count && body[j] == 0x0D { j += 1 }
            }
            guard j < body.count && body[j] == 0x0A else { return nil }
            return (size, j + 1)
        }
        while true {
            guard let (size, dataStart) = sizeLine(at: i) else {
                if chunks == 0 { return .notChunked }
                if i >= body.count {
                    // Ends cleanly after a chunk, without the final zero-size chunk: nothing missing.
                    return .decoded(out)
                }
                return .broken("chunk-size line at body byte \(i) is not hex: \(Dump.textPreview(body[i...], count: 20)) (after \(chunks) chunks, \(out.count) bytes)")
            }
            if size == 0 { return .decoded(out) }
            guard dataStart + size <= body.count else {
                return .broken("chunk \(chunks + 1) declares \(size) bytes at body byte \(dataStart) but only \(body.count - dataStart) are left (after \(chunks) chunks, \(out.count) bytes)")
            }
            out.append(contentsOf: body[dataStart..<(dataStart + size)])
            chunks += 1
            var next = dataStart + size
            // CRLF after the data (a bare LF is accepted).
            if next < body.count && body[next] == 0x0D { next += 1 }
            if next < body.count && body[next] == 0x0A {
                next += 1
            } else if next < body.count {
                return .broken("chunk \(chunks) declares \(size) bytes at body byte \(dataStart) but no line break follows them: the size is wrong (\(Dump.textPreview(body[next...], count: 16)) follows)")
            }
            i = next
        }
    }

    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 0x30...0x39: return Int(b - 0x30)
        case 0x41...0x46: return Int(b - 0x41 + 10)
        case 0x61...0x66: return Int(b - 0x61 + 10)
        default: return nil
        }
    }
}

/// Byte-level text helpers for header parsing: Character-based String operations cost more than
/// inflating the record, so header lines are split, trimmed and lowercased as bytes.
enum ASCII {
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// The bytes from..<to without surrounding spaces, as a String.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, lowercase: Bool = false) -> String {
        var a = from, b = to
        while a < b && isSpace(bytes[a]) { a += 1 }
        while b > a && isSpace(bytes[b - 1]) { b -= 1 }
        guard b > a else { return "" }
        let slice = UnsafeBufferPointer(rebasing: bytes[a..<b])
        if lowercase && slice.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
            return String(decoding: slice.map(lower), as: UTF8.self)
        }
        return String(decoding: slice, as: UTF8.self)
    }

    /// A "Name: value" line as (lowercased name, trimmed value); nil without a colon.
    static func field(_ line: UnsafeBufferPointer<UInt8>) -> (String, String)? {
        guard let colon = line.firstIndex(of: 0x3A) else { return nil }
        return (trimmed(line, 0, colon, lowercase: true), trimmed(line, colon + 1, line.count))
    }

    /// Case-insensitive ASCII search (a needle given in lowercase).
    static func contains(_ text: String, _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        var text = text
        return text.withUTF8 { h in
            guard h.count >= n.count, !n.isEmpty else { return n.isEmpty }
            outer: for i in 0...(h.count - n.count) {
                for k in 0..<n.count where lower(h[i + k]) != n[k] { continue outer }
                return true
            }
            return false
        }
    }

    static func lowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map(lower), as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
