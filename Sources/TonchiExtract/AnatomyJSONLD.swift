// JSON-LD (`<script type="application/ld+json">`): a single forward pass that keeps only the key
// path, enough to find author names, datePublished and breadcrumb names. It never builds the
// JSON, accepts broken JSON without complaint, and costs one step per byte.

struct JSONLDFacts {
    /// Byte ranges of author-name strings (inside the quotes) in the page.
    var authors: [Range<Int>] = []
    var datePublished: String? = nil
    var breadcrumb: [String] = []
}

enum JSONLD {
    private struct Frame {
        var isObject: Bool
        /// The key this container is the value of (arrays pass their key on to their items).
        var key: String?
        var expectKey: Bool
        var pendingKey: String?
        var type: String?
    }

    static let maxDepth = 64
    static let maxAuthors = 16

    static func scan(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> JSONLDFacts {
        var facts = JSONLDFacts()
        var frames: [Frame] = []
        var depth = 0
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let c = p[i]
            switch c {
            case 0x7B, 0x5B:   // { [
                if frames.count == depth && depth < maxDepth {
                    let parentKey: String?
                    if let top = frames.last { parentKey = top.isObject ? top.pendingKey : top.key } else { parentKey = nil }
                    frames.append(Frame(isObject: c == 0x7B, key: parentKey, expectKey: c == 0x7B, pendingKey: nil, type: nil))
                }
                depth += 1
                i += 1
            case 0x7D, 0x5D:   // } ]
                if depth > 0 {
                    if frames.count == depth { frames.removeLast() }
                    depth -= 1
                }
                i += 1
            case 0x2C:   // ,
                if frames.count == depth, let top = frames.last, top.isObject {
                    frames[frames.count - 1].expectKey = true
                    frames[frames.count - 1].pendingKey = nil
                }
                i += 1
            case 0x3A:   // :
                if frames.count == depth, let top = frames.last, top.isObject { frames[frames.count - 1].expectKey = false }
                i += 1
            case 0x22:   // "
                var j = i + 1
                while j < end, p[j] != 0x22 { j += p[j] == 0x5C ? 2 : 1 }
                let content = (i + 1)..<min(j, end)
                i = min(j + 1, end)
                guard frames.count == depth, let top = frames.last else { continue }
                if top.isObject && top.expectKey {
                    frames[frames.count - 1].pendingKey = content.count <= 64 ? decode(p, content) : nil
                    continue
                }
                let key = top.isObject ? top.pendingKey : top.key
                value(p, content, key: key, frames: &frames, facts: &facts)
            default:
                i += 1
            }
        }
        return facts
    }

    private static func value(_ p: UnsafeBufferPointer<UInt8>, _ content: Range<Int>, key: String?,
                              frames: inout [Frame], facts: inout JSONLDFacts) {
        guard let key, !content.isEmpty else { return }
        let container = frames[frames.count - 1].key
        switch key {
        case "@type":
            if content.count <= 64 { frames[frames.count - 1].type = decode(p, content) }
        case "author", "creator":
            if facts.authors.count < maxAuthors { facts.authors.append(content) }
        case "name":
            if (container == "author" || container == "creator") && facts.authors.count < maxAuthors {
                facts.authors.append(content)
            } else if content.count <= 200, frames.contains(where: { $0.type?.contains("BreadcrumbList") == true }) {
                facts.breadcrumb.append(decode(p, content))
            }
        case "datePublished":
            if facts.datePublished == nil, content.count <= 64 { facts.datePublished = decode(p, content) }
        default:
            break
        }
    }

    /// A JSON string's content decoded (escapes resolved; broken ones become U+FFFD).
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        var j = range.lowerBound
        while j < range.upperBound {
            if p[j] == 0x5C {
                let (length, utf8) = unescape(p, at: j, end: range.upperBound)
                bytes.append(contentsOf: utf8)
                j += length
            } else {
                bytes.append(p[j])
                j += 1
            }
        }
        return metadataString(bytes[...])
    }

    /// The escape at `start` (a backslash): its length and its UTF-8. Control escapes read as a space.
    static func unescape(_ p: UnsafeBufferPointer<UInt8>, at start: Int, end: Int) -> (Int, [UInt8]) {
        guard start + 1 < end else { return (1, [0x5C]) }
        switch p[start + 1] {
        case 0x75:   // u
            guard let high = hex4(p, start + 2, end) else { return (2, Array("\u{FFFD}".utf8)) }
            if (0xD800...0xDBFF).contains(high), start + 12 <= end, p[start + 6] == 0x5C, p[start + 7] == 0x75,
               let low = hex4(p, start + 8, end), (0xDC00...0xDFFF).contains(low) {
                let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                return (12, Array(String(Character(scalar ?? "\u{FFFD}")).utf8))
            }
            return (6, Array(String(Character(Unicode.Scalar(high) ?? "\u{FFFD}")).utf8))
        case 0x6E, 0x72, 0x74, 0x62, 0x66: return (2, [0x20])   // \n \r \t \b \f
        default: return (2, [p[start + 1]])                      // \" \\ \/ and anything else
        }
    }

    private static func hex4(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ end: Int) -> UInt32? {
        guard at + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in at..<(at + 4) {
            let b = p[k] | 0x20
            if p[k] >= 0x30 && p[k] <= 0x39 { v = v * 16 + UInt32(p[k] - 0x30) }
            else if b >= 0x61 && b <= 0x66 { v = v * 16 + UInt32(b - 0x61 + 10) }
            else { return nil }
        }
        return v
    }
}
