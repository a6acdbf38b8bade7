import TonchiCore

/// Markdown stays as written (its markup characters never form words a rule would match); only
/// the structure is read: headings, blocks, image alt text and YAML front matter.
enum MarkdownExtractor {
    private struct Heading {
        let content: Range<Int>   // the words, without #s or underline
        let lines: Range<Int>     // every byte the heading occupies, for cutting it out of body
        let level: Int
    }

    static func extract(_ bytes: [UInt8], url: String?) -> ExtractedDocument {
        var text = bytes
        var map = OffsetMap.identity(length: bytes.count)
        var metadata: [String: String] = [:]
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var frontMatterTitle: Range<Int>? = nil
        if let frontMatter = frontMatter(bytes, from: start) {
            for (key, value) in frontMatter.fields {
                let string = metadataString(bytes[value])
                switch key {
                case "title": metadata["title"] = string; frontMatterTitle = value
                case "author", "authors", "description", "site_name", "url", "keywords": metadata[key == "authors" ? "author" : key] = string
                case "date", "published", "pubdate": metadata["published"] = string
                default: break
                }
            }
            start = frontMatter.end
        }

        var headings: [Heading] = []
        var paragraphs: [Range<Int>] = []
        var captions: [Range<Int>] = []
        var blockStart: Int? = nil, blockEnd = start
        var inFence: (char: UInt8, count: Int)? = nil

        func endBlock() {
            if let s = blockStart, let block = trimmed(s..<blockEnd, in: bytes) { paragraphs.append(block) }
            blockStart = nil
        }

        for line in Lines.split(bytes, in: start..<bytes.count) {
            if let fence = inFence {
                blockEnd = line.upperBound
                if let close = fenceMarker(bytes, line), close.char == fence.char, close.count >= fence.count,
                   Lines.isBlank(bytes, (line.lowerBound + indent(bytes, line) + close.count)..<line.upperBound) {
                    inFence = nil
                    endBlock()
                }
                continue
            }
            if Lines.isBlank(bytes, line) { endBlock(); continue }
            if let heading = atxHeading(bytes, line) {
                endBlock()
                if !heading.content.isEmpty { headings.append(heading) }   // a bare "#" names nothing
                continue
            }
            if let level = setextLevel(bytes, line), let s = blockStart {
                // The paragraph above the underline is the heading.
                if let content = trimmed(s..<blockEnd, in: bytes) {
                    headings.append(Heading(content: content, lines: s..<line.upperBound, level: level))
                }
                blockStart = nil
                continue
            }
            if isThematicBreak(bytes, line) { endBlock(); continue }
            if let fence = fenceMarker(bytes, line) {
                endBlock()
                inFence = fence
                blockStart = line.lowerBound
                blockEnd = line.upperBound
                continue
            }
            if blockStart == nil { blockStart = line.lowerBound }
            blockEnd = line.upperBound
            captions.append(contentsOf: imageAlts(bytes, line))
        }
        endBlock()

        var scopes: [Scope: [Range<Int>]] = [:]
        let titleHeading = headings.first(where: { $0.level == 1 }) ?? headings.first
        if let title = titleHeading {
            scopes[.title] = [title.content]
            metadata["title"] = metadataString(bytes[title.content])
        } else if let title = frontMatterTitle {
            scopes[.title] = [title]
        }
        if !headings.isEmpty { scopes[.heading] = headings.map(\.content) }
        if !paragraphs.isEmpty { scopes[.paragraph] = paragraphs }
        let outer = outermost(captions)
        if !outer.isEmpty { scopes[.caption] = outer }
        var body: [Range<Int>] = []
        if let cut = titleHeading?.lines {
            body = [start..<cut.lowerBound, cut.upperBound..<bytes.count].compactMap { trimmed($0, in: bytes) }
        } else if let whole = trimmed(start..<bytes.count, in: bytes) {
            body = [whole]
        }
        if !body.isEmpty { scopes[.body] = body }
        appendAddressLines(url: url, text: &text, map: &map, sourceCount: bytes.count, scopes: &scopes)
        if !text.isEmpty { scopes[.text] = [0..<text.count] }
        if let url { metadata["url"] = url }
        return ExtractedDocument(source: bytes, text: text, map: map, scopes: scopes, structured: false,
                                 metadata: metadata, notes: [])
    }

    private static func indent(_ b: [UInt8], _ line: Range<Int>) -> Int {
        var i = line.lowerBound
        while i < line.upperBound, b[i] == 0x20 { i += 1 }
        return i - line.lowerBound
    }

    private static func atxHeading(_ b: [UInt8], _ line: Range<Int>) -> Heading? {
        let lead = indent(b, line)
        guard lead <= 3 else { return nil }
        var i = line.lowerBound + lead
        let hashes = i
        while i < line.upperBound, b[i] == 0x23 { i += 1 }   // '#'
        let level = i - hashes
        guard (1...6).contains(level) else { return nil }
        guard i == line.upperBound || b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D else { return nil }
        guard var content = trimmed(i..<line.upperBound, in: b) else {
            return Heading(content: i..<i, lines: line, level: level)
        }
        // An optional closing run of #s, if a space separates it from the words.
        var end = content.upperBound
        while end > content.lowerBound, b[end - 1] == 0x23 { end -= 1 }
        if end == content.lowerBound {
            content = content.lowerBound..<content.lowerBound
        } else if end < content.upperBound, b[end - 1] == 0x20 || b[end - 1] == 0x09 {
            content = trimmed(content.lowerBound..<end, in: b) ?? content.lowerBound..<content.lowerBound
        }
        return Heading(content: content, lines: line, level: level)
    }

    private static func setextLevel(_ b: [UInt8], _ line: Range<Int>) -> Int? {
        let lead = indent(b, line)
        guard lead <= 3 else { return nil }
        var i = line.lowerBound + lead
        guard i < line.upperBound else { return nil }
        let char = b[i]
        guard char == 0x3D || char == 0x2D else { return nil }   // '=' or '-'
        while i < line.upperBound, b[i] == char { i += 1 }
        guard Lines.isBlank(b, i..<line.upperBound) else { return nil }
        return char == 0x3D ? 1 : 2
    }

    private static func isThematicBreak(_ b: [UInt8], _ line: Range<Int>) -> Bool {
        guard indent(b, line) <= 3 else { return false }
        var char: UInt8? = nil, count = 0
        for i in line {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0D { continue }
            guard c == 0x2D || c == 0x2A || c == 0x5F, char == nil || char == c else { return false }
            char = c
            count += 1
        }
        return count >= 3
    }

    private static func fenceMarker(_ b: [UInt8], _ line: Range<Int>) -> (char: UInt8, count: Int)? {
        let lead = indent(b, line)
        guard lead <= 3 else { return nil }
        var i = line.lowerBound + lead
        guard i < line.upperBound, b[i] == 0x60 || b[i] == 0x7E else { return nil }   // ` or ~
        let char = b[i]
        let s = i
        while i < line.upperBound, b[i] == char { i += 1 }
        return i - s >= 3 ? (char, i - s) : nil
    }

    /// `![alt](…)` and `![alt][ref]` on one line; brackets are matched with a stack so nested
    /// links and hostile lines stay linear.
    private static func imageAlts(_ b: [UInt8], _ line: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var open: [(position: Int, image: Bool)] = []
        var i = line.lowerBound
        while i < line.upperBound {
            let c = b[i]
            if c == 0x5C { i += 2; continue }   // backslash escape
            if c == 0x5B {
                if open.count < 64 { open.append((i, i > line.lowerBound && b[i - 1] == 0x21)) }   // "!["
            } else if c == 0x5D, let last = open.popLast() {
                if last.image, i + 1 < line.upperBound, b[i + 1] == 0x28 || b[i + 1] == 0x5B,
                   let alt = trimmed((last.position + 1)..<i, in: b) {
                    result.append(alt)
                }
            }
            i += 1
        }
        return result
    }

    /// Alt text nested in another image's alt would overlap it; keep the outer one.
    private static func outermost(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { ($0.lowerBound, -$0.upperBound) < ($1.lowerBound, -$1.upperBound) }) {
            if let last = result.last, range.lowerBound < last.upperBound { continue }
            result.append(range)
        }
        return result
    }

    /// YAML front matter: "---" on the first line, closed by "---" or "...". Only flat
    /// `key: value` lines are read.
    private static func frontMatter(_ b: [UInt8], from start: Int) -> (fields: [(String, Range<Int>)], end: Int)? {
        let lines = Lines.split(b, in: start..<b.count)
        guard let first = lines.first, isFenceLine(b, first, "---") else { return nil }
        var fields: [(String, Range<Int>)] = []
        for line in lines.dropFirst() {
            if isFenceLine(b, line, "---") || isFenceLine(b, line, "...") {
                return (fields, min(b.count, line.upperBound + 1))
            }
            guard let colon = line.first(where: { b[$0] == 0x3A }) else { continue }
            guard let keyRange = trimmed(line.lowerBound..<colon, in: b),
                  var value = trimmed((colon + 1)..<line.upperBound, in: b) else { continue }
            if value.count >= 2, b[value.lowerBound] == b[value.upperBound - 1],
               b[value.lowerBound] == 0x22 || b[value.lowerBound] == 0x27 {
                guard let inner = trimmed((value.lowerBound + 1)..<(value.upperBound - 1), in: b) else { continue }
                value = inner
            }
            fields.append((String(decoding: b[keyRange], as: UTF8.self).lowercased(), value))
        }
        return nil
    }

    private static func isFenceLine(_ b: [UInt8], _ line: Range<Int>, _ marker: String) -> Bool {
        guard let content = trimmed(line, in: b) else { return false }
        return content.lowerBound == line.lowerBound && b[content].elementsEqual(marker.utf8)
    }
}
