/// Reads WARC 1.0/1.1 (and the WARC/0.18 of ClueWeb09) record by record, plain or gzip
/// (one member per record as usual, a whole-file member, or members that split records: the
/// decoded stream is read as one). Each record gives exactly one event. A broken record is
/// reported where it starts, and reading resumes at the next record the stream still has.
final class WARCReader {
    private let window: ByteWindow
    private let source: DecodedSource
    private let displayName: String
    private let limits: DumpLimits
    private let emit: (DumpEvent) throws -> Void
    /// Titles by URL (a WACZ's pages.jsonl), added to items as metadata.
    private let titles: [String: String]
    /// The record being read: where it started, for reports when the stream breaks under it.
    private var current: (position: Int, offset: Int, id: String?)?
    /// A gzip fault met while looking past a finished record; handled after that record's event.
    private var deferredFault: GzipFault?
    private var endNoteReported = false
    /// How every record's version line starts.
    private static let warcMagic = Array("WARC/".utf8)

    private var blockCap: Int { limits.maxItemBytes + limits.maxRecordHeaderBytes }

    private init(source: DecodedSource, displayName: String, limits: DumpLimits, titles: [String: String],
                 emit: @escaping (DumpEvent) throws -> Void) {
        self.source = source
        self.window = ByteWindow(source: source)
        self.displayName = displayName
        self.limits = limits
        self.titles = titles
        self.emit = emit
    }

    static func read(file: DumpFile, gzip: Bool, displayName: String, limits: DumpLimits,
                     titles: [String: String] = [:], _ body: (DumpEvent) throws -> Void) throws {
        let source: DecodedSource = gzip ? try GzipSource(file: file) : PlainSource(file: file)
        // `body` is only called during this function; the reader doesn't outlive it.
        try withoutActuallyEscaping(body) { escapable in
            let reader = WARCReader(source: source, displayName: displayName, limits: limits, titles: titles, emit: escapable)
            try reader.run()
        }
    }

    private func run() throws {
        while true {
            do {
                if let fault = deferredFault {
                    deferredFault = nil
                    try recover(from: fault)
                    continue
                }
                guard try skipSeparators() else { break }
                try readRecord()
                current = nil
                window.trim()
            } catch let fault as GzipFault {
                try recover(from: fault)
            }
        }
        if let note = source.endNote, !endNoteReported {
            // The file stops inside a member that held no record start: nothing else reported it.
            endNoteReported = true
            try skip(at: source.memberStart, id: nil, .unreadable, note)
        }
    }

    // MARK: - Events

    private func location(offset: Int, id: String?) -> ItemLocation {
        ItemLocation(file: displayName, offset: offset, recordID: id)
    }

    private func skip(at offset: Int, id: String?, _ reason: SkippedItem.Reason, _ detail: String) throws {
        try emit(.skipped(SkippedItem(location: location(offset: offset, id: id), reason: reason, detail: detail)))
    }

    /// The end-of-file note of a cut-off gzip member, appended to the detail that explains it.
    private func withEndNote(_ detail: String) -> String {
        guard let note = source.endNote else { return detail }
        endNoteReported = true
        return detail + "; " + note
    }

    // MARK: - Between records

    /// Steps over line breaks between records. False at the end of the stream.
    private func skipSeparators() throws -> Bool {
        while true {
            guard try window.ensure(1) else { return false }
            var i = 0
            while i < window.available && (window[i] == 0x0D || window[i] == 0x0A) { i += 1 }
            window.consume(i)
            if window.available > 0 { return true }
        }
    }

    /// Corrupt gzip data: the record under way (or the member) is reported, and reading resumes
    /// at the next member that opens a WARC record, if there is one.
    private func recover(from fault: GzipFault) throws {
        var detail = fault.message
        let offset = current?.offset ?? fault.memberOffset
        let id = current?.id
        if let at = current, at.offset != fault.memberOffset {
            detail = "record cut short: " + detail
        }
        current = nil
        if let next = try source.skipToNextMember(from: fault.memberOffset) {
            detail += "; reading resumed at the next gzip member, offset \(next)"
        } else {
            detail += "; no later gzip member opens a WARC record, so reading stops"
            source.stop()
        }
        window.restart()
        try skip(at: offset, id: id, .unreadable, detail)
    }

    /// Streams forward to the next line that opens a WARC record ("WARC/" and a digit). Returns
    /// the bytes skipped and whether a record was found. A gzip member that expands past the cap
    /// with no record in it is a bomb: the rest of it is stepped over without inflating it.
    private func scanToNextRecord() throws -> (skipped: Int, found: Bool, note: String?) {
        var skipped = 0
        var previousWasLF = true
        while true {
            guard try window.ensure(7) else {
                // Nothing long enough for a record is left.
                let rest = window.available
                window.consume(rest)
                return (skipped + rest, false, nil)
            }
            let n = window.available
            var found: Int?
            var i = 0
            while i + 6 < n {
                if window[i] == 0x57 && (i == 0 ? previousWasLF : window[i - 1] == 0x0A)
                    && window[i + 1] == 0x41 && window[i + 2] == 0x52 && window[i + 3] == 0x43 && window[i + 4] == 0x2F
                    && (0x30...0x39).contains(window[i + 5]) {
                    found = i
                    break
                }
                i += 1
            }
            if let found {
                window.consume(found)
                return (skipped + found, true, nil)
            }
            let keep = 6
            let drop = n - keep
            previousWasLF = window[drop - 1] == 0x0A
            window.consume(drop)
            skipped += drop
            if source.isGzip && source.currentMemberOutput > blockCap {
                let member = source.memberStart
                if let next = try source.skipToNextMember(from: member) {
                    window.restart()
                    return (skipped, true, "gzip bomb: the member at offset \(member) expands past \(Dump.formatBytes(blockCap)) with no record in it; skipped to the next member at offset \(next)")
                }
                source.stop()
                window.restart()
                return (skipped, false, "gzip bomb: the member at offset \(member) expands past \(Dump.formatBytes(blockCap)) with no record in it, and no later member follows")
            }
            try window.ensure(keep + 1)
        }
    }

    /// After bytes that are no record: finds the next one and says where. A bomb found on the
    /// way makes the skip a `too-large` one.
    private func resync(_ what: (Int) -> String) throws -> (SkippedItem.Reason, String) {
        let (skipped, found, note) = try scanToNextRecord()
        var detail = what(skipped)
        if let note { return (.tooLarge, detail + "; " + note) }
        if found {
            detail += "; \(skipped) bytes skipped to the next record at offset \(source.fileOffset(ofDecoded: window.position))"
        } else {
            detail = withEndNote(detail + "; no further record in the file")
        }
        return (.unreadable, detail)
    }

    // MARK: - Records

    private func readRecord() throws {
        let start = window.position
        let offset = source.fileOffset(ofDecoded: start)
        current = (start, offset, nil)

        guard try window.hasPrefix(WARCReader.warcMagic) else {
            let opening = window.copy(count: min(window.available, 40))
            let (reason, detail) = try resync { skipped in
                // Quote the stray bytes only, not the record found after them.
                let quote = Dump.textPreview(opening.prefix(skipped), count: 40)
                return "no WARC record at offset \(offset): found \(quote)\(skipped > opening.count ? "…" : "") where a WARC/1.x version line was expected"
            }
            try skip(at: offset, id: nil, reason, detail)
            return
        }

        // The header block: version line, named fields, blank line. Kept in the window until read.
        var fields: [String: String] = [:]
        var version = ""
        var lastName: String?
        var i = 0
        while true {
            guard let lf = try window.find(0x0A, from: i, limit: limits.maxRecordHeaderBytes) else {
                if window.atEnd && window.available < limits.maxRecordHeaderBytes {
                    let got = window.available
                    window.consume(got)
                    try skip(at: offset, id: fields["warc-record-id"], .unreadable,
                             withEndNote("truncated record: the header stops after \(got) bytes at the end of the file"))
                    return
                }
                window.consume(i)
                let (reason, detail) = try resync { _ in "record header longer than \(Dump.formatBytes(self.limits.maxRecordHeaderBytes))" }
                try skip(at: offset, id: fields["warc-record-id"], reason, detail)
                return
            }
            var end = lf
            while end > i && window[end - 1] == 0x0D { end -= 1 }
            let lineStart = i
            i = lf + 1
            if end == lineStart { break }   // the blank line
            let line = window.slice(from: lineStart, count: end - lineStart)
            if version.isEmpty { version = String(decoding: line, as: UTF8.self); continue }
            if line[0] == 0x20 || line[0] == 0x09, let name = lastName {
                fields[name, default: ""] += " " + ASCII.trimmed(line, 0, line.count)   // folded continuation line
                continue
            }
            guard let (name, value) = ASCII.field(line) else { continue }
            if fields[name] == nil { fields[name] = value }
            lastName = name
        }
        let headerLength = i
        let id = fields["warc-record-id"]
        current = (start, offset, id)

        guard let lengthText = fields["content-length"], let length = Int(lengthText), length >= 0 else {
            window.consume(headerLength)
            let found = fields["content-length"].map { "an invalid Content-Length \(Dump.textPreview(Array($0.utf8)))" } ?? "no Content-Length"
            let (reason, detail) = try resync { _ in "\(version) record with \(found)" }
            try skip(at: offset, id: id, reason, detail)
            return
        }
        window.consume(headerLength)
        let record = Record(version: version, fields: fields, length: length, offset: offset, id: id)

        if length > blockCap {
            try readHugeRecord(record)
        } else {
            try readBlock(record)
        }
    }

    struct Record {
        let version: String
        let fields: [String: String]
        let length: Int
        let offset: Int
        let id: String?
        let type: String
        let targetURI: String?

        init(version: String, fields: [String: String], length: Int, offset: Int, id: String?) {
            self.version = version
            self.fields = fields
            self.length = length
            self.offset = offset
            self.id = id
            type = ASCII.lowercased(fields["warc-type"] ?? "")
            targetURI = fields["warc-target-uri"].map(WARCReader.cleanURI)
        }
    }

    /// WARC 1.0 writers (wget) put the URI in angle brackets; some leave spaces in it.
    static func cleanURI(_ raw: String) -> String {
        var uri = raw
        if uri.hasPrefix("<") && uri.hasSuffix(">") { uri = String(uri.dropFirst().dropLast()).trimmingSpaces() }
        return uri.replacingSpaces()
    }

    /// A record whose length is wrong: unreadable if it should have been a page; a record that
    /// never is one (a request, a revisit) still counts as what it is, with the problem noted.
    private func misSized(_ record: Record, _ problem: String) throws {
        if let (reason, detail) = nonPageVerdict(record) {
            try skip(at: record.offset, id: record.id, reason, detail + "; " + problem)
        } else {
            try skip(at: record.offset, id: record.id, .unreadable, problem)
        }
    }

    /// A block that fits the cap: read whole into the window, checked, then interpreted.
    private func readBlock(_ record: Record) throws {
        let length = record.length
        if !(try window.ensure(length)) {
            let got = window.available
            if let next = embeddedRecordStart(limit: got) {
                window.consume(next)
                try misSized(record, "Content-Length \(length) runs past the next record, which starts \(next) bytes into the block (offset \(source.fileOffset(ofDecoded: window.position)))")
                return
            }
            window.consume(got)
            try skip(at: record.offset, id: record.id, .unreadable,
                     withEndNote("truncated record: Content-Length \(length) but \(got) bytes left\(WARCPayload.about(record.targetURI))"))
            return
        }
        if let problem = try trailerProblem(after: length) {
            if let next = embeddedRecordStart(limit: length) {
                window.consume(next)
                try misSized(record, "Content-Length \(length) runs past the next record, which starts \(next) bytes into the block (offset \(source.fileOffset(ofDecoded: window.position)))")
                return
            }
            window.consume(length)
            let (skipped, found, note) = try scanToNextRecord()
            var detail = "Content-Length \(length) does not end the record: \(problem) follows where a blank line should"
            if let note {
                detail += "; " + note
            } else if found {
                let separator = 4
                let extra = skipped - separator
                detail += extra > 0
                    ? "; the block runs on for \(extra) more bytes before the next record at offset \(source.fileOffset(ofDecoded: window.position))"
                    : "; the next record starts at offset \(source.fileOffset(ofDecoded: window.position))"
            } else {
                detail = withEndNote(detail + "; no further record in the file")
            }
            try misSized(record, detail)
            return
        }
        let event = interpret(record, block: window.slice(from: 0, count: length))
        window.consume(length)
        try emit(event)
    }

    /// Whether the bytes after a block are the blank line that ends a record (or the end of the
    /// stream, or the next record right away). Nil when fine; else a quote of what is there.
    private func trailerProblem(after length: Int) throws -> String? {
        do {
            try window.ensure(length + 8 + 6)
        } catch let fault as GzipFault {
            // The next member is broken; this record is whole. Report the fault after it.
            deferredFault = fault
            return nil
        }
        var i = length
        var lineFeeds = 0
        let stop = min(window.available, length + 8)
        while i < stop && (window[i] == 0x0D || window[i] == 0x0A) {
            if window[i] == 0x0A { lineFeeds += 1 }
            i += 1
        }
        // A blank line ends the record (whatever follows is the next record's business), so
        // do the end of the stream and a record starting right away.
        if lineFeeds >= 2 || (i == window.available && window.atEnd) || matches(WARCReader.warcMagic, at: i) { return nil }
        return Dump.textPreview(window.copy(from: length, count: min(16, window.available - length)), count: 16)
    }

    private func matches(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard window.available - offset >= bytes.count else { return false }
        for (k, b) in bytes.enumerated() where window[offset + k] != b { return false }
        return true
    }

    /// Where a record seems to start inside the first `limit` bytes (a blank line, then
    /// "WARC/" and a digit): the sign that a Content-Length claims more than its record holds.
    private func embeddedRecordStart(limit: Int) -> Int? {
        var i = 2
        while i + 6 <= limit {
            if window[i] == 0x57 && window[i - 1] == 0x0A && matches(WARCReader.warcMagic, at: i)
                && (0x30...0x39).contains(window[i + 5]) {
                let blank = window[i - 2] == 0x0A || (i >= 3 && window[i - 2] == 0x0D && window[i - 3] == 0x0A)
                if blank { return i }
            }
            i += 1
        }
        return nil
    }

    /// A block past the cap is never held: what it is comes from its first bytes, and the rest
    /// is stepped over (its whole gzip member at once when the record has a member of its own).
    private func readHugeRecord(_ record: Record) throws {
        let length = record.length
        var verdict: (SkippedItem.Reason, String)
        let size = "record of \(Dump.formatBytes(length)) exceeds the cap of \(Dump.formatBytes(blockCap))"
        switch record.type {
        case "response":
            verdict = (.tooLarge, size + WARCPayload.about(record.targetURI))
            let peek = min(length, limits.maxRecordHeaderBytes)
            if try window.ensure(peek), case .head(let head) = WARCPayload.parseHead(window.slice(from: 0, count: peek), limit: limits.maxRecordHeaderBytes) {
                let capture = captureInfo(record)
                if case .skipped(let s)? = WARCPayload.statusSkip(head, capture: capture) {
                    verdict = (s.reason, s.detail)
                } else if let type = WARCPayload.mediaType(head.first("content-type")).type, !Dump.isPageType(type) {
                    verdict = (.notHTML, "\(type), \(Dump.formatBytes(length))\(WARCPayload.about(record.targetURI))")
                }
            }
        case "resource":
            verdict = (.tooLarge, size + WARCPayload.about(record.targetURI))
            if let type = WARCPayload.mediaType(record.fields["content-type"]).type, !Dump.isPageType(type) {
                verdict = (.notHTML, "\(type), \(Dump.formatBytes(length))\(WARCPayload.about(record.targetURI))")
            }
        default:
            verdict = nonPageVerdict(record) ?? (.notAPage, "\(record.type) record")
        }
        // A record alone in its gzip member: hop to the next member instead of inflating this one.
        if source.isGzip && source.isMemberStart(current?.position ?? -1) {
            if let next = try source.skipToNextMember(from: record.offset) {
                window.restart()
                let note = verdict.0 == .tooLarge && next - record.offset < length / 100
                    ? "gzip bomb: \(verdict.1); its member of \(next - record.offset) compressed bytes was skipped without inflating it"
                    : "\(verdict.1); its gzip member was skipped without inflating it"
                try skip(at: record.offset, id: record.id, verdict.0, note)
                return
            }
        }
        let dropped = try window.discard(length)
        if dropped < length {
            try skip(at: record.offset, id: record.id, .unreadable,
                     withEndNote("truncated record: Content-Length \(length) but \(dropped) bytes left\(WARCPayload.about(record.targetURI))"))
            return
        }
        if let problem = try trailerProblem(after: 0) {
            let (_, detail) = try resync { _ in "Content-Length \(length) does not end the record: \(problem) follows where a blank line should" }
            try misSized(record, detail)
            return
        }
        try skip(at: record.offset, id: record.id, verdict.0, verdict.1)
    }

    private func captureInfo(_ record: Record) -> WARCPayload.Capture {
        let url = record.targetURI
        var metadata: [String: String] = [:]
        if let url, let title = titles[url] { metadata["title"] = title }
        return WARCPayload.Capture(url: url, date: record.fields["warc-date"], digest: record.fields["warc-payload-digest"],
                                   location: location(offset: record.offset, id: record.id), metadata: metadata)
    }

    /// Records that are never pages, with the words that say what they are.
    private func nonPageVerdict(_ record: Record) -> (SkippedItem.Reason, String)? {
        let uri = record.targetURI
        let forURI = uri.map { " for \($0)" } ?? ""
        switch record.type {
        case "request", "metadata", "conversion":
            return (.notAPage, "\(record.type) record\(forURI)")
        case "warcinfo":
            return (.notAPage, "warcinfo record")
        case "revisit":
            let target = record.fields["warc-refers-to-target-uri"].map(WARCReader.cleanURI) ?? uri ?? "an unnamed URI"
            if ASCII.contains(record.fields["warc-profile"] ?? "", "server-not-modified") {
                return (.duplicate, "revisit of \(target) (the server answered Not Modified)")
            }
            var earlier = [String]()
            if let uri, uri != target { earlier.append(target) }
            if let date = record.fields["warc-refers-to-date"] { earlier.append(date) }
            let of = earlier.isEmpty ? "" : " of " + earlier.joined(separator: ", ")
            return (.duplicate, "revisit of \(uri ?? target) (payload identical to an earlier capture\(of))")
        case "continuation":
            return (.unsupported, "continuation record (segmented records are not supported)\(forURI)")
        case "response", "resource":
            return nil
        case "":
            return (.notAPage, "\(record.version) record without a WARC-Type")
        default:
            return (.notAPage, "WARC-Type \(record.fields["warc-type"] ?? record.type) is not a page record")
        }
    }

    private func interpret(_ record: Record, block: UnsafeBufferPointer<UInt8>) -> DumpEvent {
        let loc = location(offset: record.offset, id: record.id)
        if let (reason, detail) = nonPageVerdict(record) {
            return .skipped(SkippedItem(location: loc, reason: reason, detail: detail))
        }
        let capture = captureInfo(record)
        let uri = capture.url ?? ""
        let scheme = ASCII.lowercased(String(uri.prefix { $0 != ":" }))
        if uri.isEmpty {
            return .skipped(SkippedItem(location: loc, reason: .notAPage, detail: "\(record.type) record without a WARC-Target-URI"))
        }
        if !["http", "https", "ftp", "file"].contains(scheme) {
            // dns: lookups, metadata://…/wget.log, urn:X-wpull:log: the crawler's own files.
            return .skipped(SkippedItem(location: loc, reason: .notAPage, detail: "\(record.type) record for \(uri): not a web address"))
        }
        let isHTTP = record.type == "response" && (WARCPayload.startsWith(block, at: 0, "HTTP/")
            || ASCII.contains(record.fields["content-type"] ?? "", "application/http"))
        if isHTTP {
            return WARCPayload.responseEvent(block: block, capture: capture, limits: limits)
        }
        // Resources (and non-HTTP responses): the block is the payload, typed by the WARC header.
        let (type, charset) = WARCPayload.mediaType(record.fields["content-type"])
        if let type, !Dump.isPageType(type) {
            return .skipped(SkippedItem(location: loc, reason: .notHTML, detail: "\(type)\(WARCPayload.about(capture.url))"))
        }
        return WARCPayload.payloadEvent(body: Array(block), type: type, charset: charset, status: nil, capture: capture, limits: limits)
    }
}

extension String {
    /// Spaces are not allowed in URLs; crawlers that keep them (warcio's samples) mean %20.
    func replacingSpaces() -> String {
        guard utf8.contains(0x20) else { return self }
        return split(separator: " ", omittingEmptySubsequences: false).joined(separator: "%20")
    }
}
