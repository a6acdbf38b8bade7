import Foundation

/// A CMS export in JSON Lines: one article per line with `url`, `title`, `author`, `published`
/// (or `date`), `category` and the article as `html` or as plain-text `body`. Read line by line.
enum CMSExport {
    static let metadataFields = ["title", "author", "published", "category"]

    static func read(file: DumpFile, gzip: Bool, limits: DumpLimits, _ body: (DumpEvent) throws -> Void) throws {
        let source: DecodedSource = gzip ? try GzipSource(file: file) : PlainSource(file: file)
        let window = ByteWindow(source: source)
        // JSON escapes can double a page's size; a line may be that much longer than an item.
        let lineCap = limits.maxItemBytes * 2 + limits.maxRecordHeaderBytes
        var lineNumber = 0
        while true {
            let offset = window.position
            let lf: Int?
            do {
                guard try window.ensure(1) else { break }
                lf = try window.find(0x0A, from: 0, limit: lineCap)
            } catch let fault as GzipFault {
                try body(.skipped(SkippedItem(location: ItemLocation(file: file.path, offset: fault.memberOffset),
                                              reason: .unreadable, detail: fault.message + "; reading stops")))
                return
            }
            lineNumber += 1
            let location = ItemLocation(file: file.path, offset: gzip ? nil : offset, recordID: "line \(lineNumber)")
            guard let lf else {
                if window.atEnd && window.available <= lineCap {
                    // The last line, without a final line break.
                    let count = window.available
                    let event = lineEvent(window.slice(from: 0, count: count), location: location, limits: limits)
                    window.consume(count)
                    if let event { try body(event) }
                    break
                }
                // Far too long: step over it to the next line break without holding it.
                var dropped = 0
                while true {
                    if let next = try window.find(0x0A, from: 0, limit: 1 << 20) {
                        window.consume(next + 1)
                        dropped += next + 1
                        break
                    }
                    let n = window.available
                    if n == 0 && window.atEnd { break }
                    window.consume(n)
                    dropped += n
                    if window.atEnd { break }
                    try window.ensure(1)
                }
                try body(.skipped(SkippedItem(location: location, reason: .tooLarge,
                                              detail: "line \(lineNumber): \(Dump.formatBytes(dropped)) exceed the cap of \(Dump.formatBytes(lineCap)) for one line")))
                continue
            }
            let event = lineEvent(window.slice(from: 0, count: lf), location: location, limits: limits)
            window.consume(lf + 1)
            window.trim()
            if let event { try body(event) }
        }
        if let note = source.endNote {
            try body(.skipped(SkippedItem(location: ItemLocation(file: file.path, offset: source.memberStart),
                                          reason: .unreadable, detail: note)))
        }
    }

    /// One line's event; nil for blank lines.
    static func lineEvent(_ bytes: UnsafeBufferPointer<UInt8>, location: ItemLocation, limits: DumpLimits) -> DumpEvent? {
        let line = location.recordID ?? "line"
        func bad(_ reason: String) -> DumpEvent {
            .skipped(SkippedItem(location: location, reason: .unreadable, detail: "\(line): \(reason)"))
        }
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        var start = 0
        if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }   // a BOM on line 1
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        if start >= end { return nil }
        let data = Data(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            return bad("invalid JSON (\(jsonErrorText(error))), starting \(Dump.textPreview(data, count: 30))")
        }
        guard let object = parsed as? [String: Any] else {
            return bad("not a JSON object but \(kindName(parsed))")
        }
        func text(_ key: String) -> Result<String?, Error> {
            guard let value = object[key], !(value is NSNull) else { return .success(nil) }
            if let s = value as? String { return .success(s) }
            return .failure(FieldError(text: "field \"\(key)\" is \(kindName(value)), not a string"))
        }
        var strings: [String: String] = [:]
        for key in ["url", "html", "body"] + metadataFields + ["date"] {
            switch text(key) {
            case .failure(let error): return bad((error as? FieldError)?.text ?? "\(error)")
            case .success(let value): if let value { strings[key] = value }
            }
        }
        var metadata: [String: String] = [:]
        for key in metadataFields {
            if let value = strings[key], !value.isEmpty { metadata[key] = value }
        }
        if metadata["published"] == nil, let date = strings["date"], !date.isEmpty { metadata["published"] = date }
        let url = strings["url"].flatMap { $0.isEmpty ? nil : $0 }
        let payload: String
        let type: String
        if let html = strings["html"], !html.isEmpty {
            payload = html
            type = "text/html"
        } else if let text = strings["body"], !text.isEmpty {
            payload = text
            type = "text/plain"
        } else {
            let has = strings.keys.contains("html") || strings.keys.contains("body") ? "an empty html/body field" : "no html or body field"
            return .skipped(SkippedItem(location: location, reason: .notAPage, detail: "\(line): \(has)\(WARCPayload.about(url))"))
        }
        let bytes = Array(payload.utf8)
        if bytes.count > limits.maxItemBytes {
            return .skipped(SkippedItem(location: location, reason: .tooLarge,
                                        detail: "\(line): \(Dump.formatBytes(bytes.count)) of \(type == "text/html" ? "html" : "body") exceed the cap of \(Dump.formatBytes(limits.maxItemBytes))"))
        }
        return .item(CapturedItem(url: url, body: bytes, contentType: type, declaredCharset: nil, location: location, metadata: metadata))
    }

    private struct FieldError: Error { let text: String }

    private static func kindName(_ value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is NSNull: return "null"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case is NSNumber: return "a number or boolean"
        default: return "\(type(of: value))"
        }
    }

    /// Foundation's JSON errors carry their reason in the user info ("Unexpected character …").
    private static func jsonErrorText(_ error: Error) -> String {
        let ns = error as NSError
        var text = (ns.userInfo["NSDebugDescription"] as? String) ?? ns.localizedDescription
        while text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
