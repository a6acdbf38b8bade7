import TonchiCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A tolerant, single-pass HTML reader. It builds no tree: a stack of open elements (with the
/// HTML5 implied-end rules that matter for text) decides which scopes the text belongs to.
/// Every step advances through the input or pops the bounded stack, so time is linear
/// whatever the page does.
enum HTMLExtractor {
    /// Deeper elements are treated as transparent: their text is kept, their scopes ignored.
    static let maxDepth = 512
    /// Attributes past this count are parsed (to find the tag's end) but not looked at.
    static let maxAttributes = 64
    /// Distinct unknown tag names remembered per page; more share one id.
    static let maxInternedNames = 1024
    /// id/class values are searched for hints only this far.
    static let maxHintLength = 1024
    /// Distinct attribute values whose hints are remembered per page.
    static let maxCachedHints = 4096

    static func extract(_ bytes: [UInt8], url: String?) -> ExtractedDocument {
        bytes.withUnsafeBufferPointer { buffer in
            let run = HTMLRun(buffer)
            run.parse()
            return run.finish(source: bytes, url: url)
        }
    }
}

/// Which tracked ranges exist. Some are final scopes, some are candidates chosen at the end.
private enum Key: Int, CaseIterable {
    case title, heading, paragraph, caption, menu, footer, byline, lead, meta, articleBody, pageBody, ogTitle, metaDescription,
         sectionStrong, sectionWeak, attribution
    var bit: UInt32 { 1 << UInt32(rawValue) }
}

/// The byte pairs of a short text, as a 256-bit Bloom filter: `mayContain` is false only for a
/// pair the text certainly lacks.
private struct HintBigrams {
    private var bits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ text: [UInt8]) {
        guard text.count >= 2 else { return }
        for i in 1..<text.count { insert(Self.slot(text[i - 1], text[i])) }
    }

    @inline(__always) private static func slot(_ a: UInt8, _ b: UInt8) -> Int {
        Int((UInt32(a) &* 0x9E37 ^ UInt32(b) &* 0x85EB) >> 5 & 0xFF)
    }

    private mutating func insert(_ slot: Int) {
        let bit = UInt64(1) << UInt64(slot & 63)
        switch slot >> 6 {
        case 0: bits.0 |= bit
        case 1: bits.1 |= bit
        case 2: bits.2 |= bit
        default: bits.3 |= bit
        }
    }

    @inline(__always) func mayContain(_ a: UInt8, _ b: UInt8) -> Bool {
        let slot = Self.slot(a, b)
        let word: UInt64
        switch slot >> 6 {
        case 0: word = bits.0
        case 1: word = bits.1
        case 2: word = bits.2
        default: word = bits.3
        }
        return word & (UInt64(1) << UInt64(slot & 63)) != 0
    }
}

/// An attribute value as a cache key, hashed in one call rather than byte by byte.
private struct HintKey: Hashable {
    let bytes: [UInt8]
    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
}

/// The attributes whose values hint at what an element is.
private enum HintAttribute: UInt8 {
    case `class`, id, itemprop, itemtype, rel
}

private struct Attribute {
    let name: Range<Int>
    let value: Range<Int>?
}

private struct Tag {
    let name: Range<Int>
    let attributes: [Attribute]
    let selfClosing: Bool
    /// Index just past the closing ">".
    let end: Int
}

private struct Entry {
    let tag: Int32
    let flags: UInt32
    // Index of the nearest boundary at or below this entry for each kind of HTML5 scope, so
    // "is X in scope" is one comparison instead of a walk down the stack.
    let scopeBase: Int32
    let buttonBase: Int32
    let listBarrier: Int32
    let tableBase: Int32
    // Page anatomy: what the element holds, counted as text goes by (see `emitPageText`).
    let isBlock: Bool
    /// An `<a href>`: its text is a link text.
    let isLink: Bool
    /// Table parts pass their text on: a layout table or a photo table is not a container.
    let isTablePart: Bool
    /// Stack index of the nearest block element below this one, table parts skipped (-1: none).
    let blockParent: Int32
    let serial: Int32
    let hint: ContentHint
    /// Text length and the clean/link counters when the element opened.
    let textStart: Int
    let cleanStart: Int
    let linkStart: Int
    /// Clean text written while this block was the innermost open block, and the part in links.
    var ownText = 0
    var ownLink = 0
    /// Paragraph score given by the blocks inside.
    var score = 0.0
}

/// The extracted text under construction. Whitespace at the edges of blocks is left out (held
/// back until it proves to be between two words), and so are line breaks until text follows
/// them, so the text is neither mostly indentation nor ends in a run of breaks.
private struct Output {
    var text: [UInt8] = []
    var map = OffsetMap()
    /// Trailing whitespace of the last run, written only if more words follow on the line.
    var pending: Range<Int>? = nil
    /// The tag a line break is owed to, written only if more text follows.
    var pendingBreak: Range<Int>? = nil
    /// Positions of the line breaks written for tags (source text keeps its own newlines
    /// between words; those are not breaks), ascending.
    var breaks: [Int] = []

    var count: Int { text.count }
    var atBlockStart: Bool { pendingBreak != nil || text.isEmpty || text[text.count - 1] == 0x0A }

    mutating func separate(_ source: Range<Int>) {
        pending = nil
        if !atBlockStart { pendingBreak = source }
    }

    mutating func copy(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var s = range.lowerBound
        let e = range.upperBound
        guard s < e else { return }
        if pending == nil && atBlockStart {
            while s < e, isASCIIWhitespace(p[s]) { s += 1 }
            if s == e { return }
        }
        var t = e
        while t > s, isASCIIWhitespace(p[t - 1]) { t -= 1 }
        if t == s {
            if pending == nil { pending = s..<e }
            return
        }
        flushPending(p)
        text.append(contentsOf: UnsafeBufferPointer(rebasing: p[s..<t]))
        map.appendIdentity(sourceStart: s, length: t - s)
        if t < e { pending = t..<e }
    }

    mutating func replace(_ p: UnsafeBufferPointer<UInt8>, with bytes: [UInt8], source: Range<Int>) {
        flushPending(p)
        text.append(contentsOf: bytes)
        map.appendReplacement(derivedLength: bytes.count, source: source)
    }

    /// Drops what was held back; called where a block or the page ends.
    mutating func dropPending() {
        pending = nil
        pendingBreak = nil
    }

    private mutating func flushPending(_ p: UnsafeBufferPointer<UInt8>) {
        if let tag = pendingBreak {
            pendingBreak = nil
            breaks.append(text.count)
            text.append(0x0A)
            map.appendReplacement(derivedLength: 1, source: tag)
        }
        guard let run = pending else { return }
        pending = nil
        text.append(contentsOf: UnsafeBufferPointer(rebasing: p[run]))
        map.appendIdentity(sourceStart: run.lowerBound, length: run.count)
    }
}

/// A class, not a struct: its methods call one another thousands of times per page, and on a
/// struct each call of a non-mutating method from a mutating one copied the whole parser state.
private final class HTMLRun {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var out = Output()

    var stack: [Entry] = []
    /// Stack indices of the open elements of each tag id, innermost last.
    var openIndices: [[Int32]]
    var interned: [String: Int32] = [:]
    var nextId: Int32 = Tags.knownCount
    var overflowId: Int32 = -1

    var flagCounts = [Int](repeating: 0, count: Flag.count)
    var flagsOn: UInt32 = 0
    var activeKeys: UInt32 = 0
    var keyStarts = [Int](repeating: 0, count: Key.allCases.count)
    var keyRanges = [[Range<Int>]](repeating: [], count: Key.allCases.count)

    var sawTitle = false, sawHead = false, sawBody = false
    /// Source range of the last tag or comment read.
    var lastMarkup = 0..<0
    var metadata: [String: String] = [:]
    var notes: [String] = []
    /// Where the last search for each end tag started and what it found, so repeated searches
    /// (a hundred unclosed <iframe>s) never rescan the same bytes.
    var closeCache: [Int32: (from: Int, found: Range<Int>?)] = [:]

    // Page anatomy (see AnatomyFacts.swift).
    var facts = PageFacts()
    /// Bytes of page text written outside excluded parts, and of those the bytes inside links.
    var cleanCount = 0
    var linkCount = 0
    var nextSerial: Int32 = 0
    var bestScore = 0.0
    /// Lowercased attribute value being searched for hints (reused), after a byte naming the attribute.
    var hintValue: [UInt8] = []
    var hintCache: [HintKey: (flags: UInt32, content: ContentHint)] = [:]
    var hintBigrams = HintBigrams([])

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
        openIndices = [[Int32]](repeating: [], count: Int(Tags.knownCount))
        out.text.reserveCapacity(p.count / 3)
    }

    // MARK: Tokenizer

    func parse() {
        guard n > 0 else { return }
        var i = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
        var textStart = i
        while i < n {
            guard let lt = find(0x3C, from: i, to: n) else { break }   // '<'
            i = lt
            let next: UInt8 = i + 1 < n ? p[i + 1] : 0
            if isLetter(next) || next == 0x2F || next == 0x21 || next == 0x3F {   // letter / ! ?
                closeHeadBeforeText(textStart..<i)
                emitPageText(textStart..<i)
                let start = i
                i = markup(at: i)
                lastMarkup = start..<i
                textStart = i
            } else {
                i += 1
            }
        }
        if textStart < n {
            closeHeadBeforeText(textStart..<n)
            emitPageText(textStart..<n)
        }
    }

    /// Words before any <body> tag end the head, as in a browser; otherwise a page without
    /// </head> would have no body at all.
    func closeHeadBeforeText(_ range: Range<Int>) {
        guard let head = openIndices[Int(Tags.head)].last, trimmedSource(range) != nil else { return }
        popTo(Int(head), at: lastMarkup)   // a break here belongs to the tag just before the words
    }

    /// Handles the markup starting at `i` (a "<"); returns where text resumes.
    func markup(at i: Int) -> Int {
        let next = p[i + 1]
        if next == 0x2F {   // "</"
            guard i + 2 < n else { emitText(i..<n); return n }
            if isLetter(p[i + 2]) {
                guard let tag = parseTag(nameStart: i + 2) else { return n }
                endTag(tag, range: i..<tag.end)
                return tag.end
            }
            if p[i + 2] == 0x3E { return i + 3 }   // "</>" is nothing
            return skipPast(0x3E, from: i + 2)     // bogus comment
        }
        if next == 0x21 {   // "<!"
            if i + 3 < n, p[i + 2] == 0x2D, p[i + 3] == 0x2D { return skipComment(from: i + 4) }
            return skipPast(0x3E, from: i + 2)   // doctype, CDATA, conditional markers
        }
        if next == 0x3F { return skipPast(0x3E, from: i + 2) }   // "<?xml …>"
        guard let tag = parseTag(nameStart: i + 1) else { return n }   // truncated tag: dropped, as browsers do
        return startTag(tag, range: i..<tag.end)
    }

    /// Reads a tag from its name to ">"; nil if the input ends first.
    func parseTag(nameStart: Int) -> Tag? {
        var j = nameStart
        while j < n, !isASCIIWhitespace(p[j]), p[j] != 0x2F, p[j] != 0x3E { j += 1 }
        let name = nameStart..<j
        var attributes: [Attribute] = []
        var selfClosing = false
        while true {
            while j < n, isASCIIWhitespace(p[j]) { j += 1 }
            guard j < n else { return nil }
            let c = p[j]
            if c == 0x3E { j += 1; break }
            if c == 0x2F {
                j += 1
                if j < n, p[j] == 0x3E { selfClosing = true; j += 1; break }
                continue
            }
            let attributeStart = j
            j += 1   // the first character may be "=" (HTML5 keeps it in the name)
            while j < n, !isASCIIWhitespace(p[j]), p[j] != 0x2F, p[j] != 0x3E, p[j] != 0x3D { j += 1 }
            let attributeName = attributeStart..<j
            var k = j
            while k < n, isASCIIWhitespace(p[k]) { k += 1 }
            var value: Range<Int>? = nil
            if k < n, p[k] == 0x3D {
                k += 1
                while k < n, isASCIIWhitespace(p[k]) { k += 1 }
                guard k < n else { return nil }
                let q = p[k]
                if q == 0x22 || q == 0x27 {
                    guard let close = find(q, from: k + 1, to: n) else { return nil }
                    value = (k + 1)..<close
                    j = close + 1
                } else {
                    let s = k
                    while k < n, !isASCIIWhitespace(p[k]), p[k] != 0x3E { k += 1 }
                    value = s..<k
                    j = k
                }
            }
            if attributes.count < HTMLExtractor.maxAttributes {
                attributes.append(Attribute(name: attributeName, value: value))
            }
        }
        return Tag(name: name, attributes: attributes, selfClosing: selfClosing, end: j)
    }

    func skipComment(from start: Int) -> Int {
        // "<!-->" and "<!--->" end at once.
        if start < n, p[start] == 0x3E { return start + 1 }
        if start + 1 < n, p[start] == 0x2D, p[start + 1] == 0x3E { return start + 2 }
        var j = start
        while let gt = find(0x3E, from: j, to: n) {
            if gt - start >= 2, p[gt - 1] == 0x2D, p[gt - 2] == 0x2D { return gt + 1 }                 // -->
            if gt - start >= 3, p[gt - 1] == 0x21, p[gt - 2] == 0x2D, p[gt - 3] == 0x2D { return gt + 1 }  // --!>
            j = gt + 1
        }
        return n
    }

    func skipPast(_ byte: UInt8, from: Int) -> Int {
        guard let k = find(byte, from: from, to: n) else { return n }
        return k + 1
    }

    // MARK: Tags

    func startTag(_ tag: Tag, range: Range<Int>) -> Int {
        guard let info = tagInfo(tag.name, intern: true) else { return tag.end }
        let id = info.id

        if !info.props.contains(.headContent), id != Tags.html, id != Tags.head, let head = openIndices[Int(Tags.head)].last {
            popTo(Int(head), at: range)
        }

        switch id {
        case Tags.html:
            if metadata["language"] == nil, let lang = attribute(tag, "lang"), !lang.isEmpty {
                metadata["language"] = metadataString(bytes(lang))
            }
            return tag.end
        case Tags.head:
            if !sawHead && !sawBody && !tag.selfClosing {
                sawHead = true
                push(Tags.head, info: info, flags: Flag.head, range: range)
            }
            return tag.end
        case Tags.body:
            sawBody = true
            out.separate(range)
            return tag.end
        case Tags.title:
            return titleElement(tag, range: range)
        case Tags.meta:
            metaElement(tag, range: range)
            return tag.end
        case Tags.link:
            if let rel = attribute(tag, "rel"), equalsLowercase(rel, "canonical"), let href = attribute(tag, "href"),
               !href.isEmpty, metadata["canonical"] == nil {
                metadata["canonical"] = decodedString(href)
            }
            return tag.end
        case Tags.img:
            if let alt = attribute(tag, "alt"), trimmedSource(alt) != nil {
                // The site's logo, not a partner's in the footer ("Vccorp.vn" under GenK pages).
                if facts.logoAlt == nil, flagsOn & Flag.footer == 0, flagsOn & Flag.logo != 0 || hintFlags(tag).flags & Flag.logo != 0 {
                    facts.logoAlt = decodedString(alt)
                }
                _ = block(flags: Flag.caption, lead: range.lowerBound..<alt.lowerBound, value: alt,
                          trail: alt.upperBound..<range.upperBound)
            }
            return tag.end
        case Tags.script:
            if !tag.selfClosing, let type = attribute(tag, "type"), contains(type, "ld+json") {
                guard let close = findClose(info, from: tag.end) else { return n }
                jsonLD(tag: range, content: tag.end..<close.lowerBound, close: close)
                return close.upperBound
            }
        default:
            break
        }

        if info.props.contains(.skip) && !tag.selfClosing {
            if let close = findClose(info, from: tag.end) {
                if info.props.contains(.block) { out.separate(range) }
                return close.upperBound
            }
            if info.props.contains(.skipToEnd) { return n }
            if info.props.contains(.block) { out.separate(range) }
            return tag.end
        }

        closeImplied(by: info, at: range)
        if info.props.contains(.block) || id == Tags.br { out.separate(range) }
        if info.props.contains(.void) || tag.selfClosing { return tag.end }

        let hints = hintFlags(tag)
        var flags = info.flags | hints.flags
        var isLink = false
        if id == Tags.a {
            // Menu and breadcrumb items one per line.
            if flagsOn & Flag.itemized != 0 { out.separate(range) }
            if let href = attribute(tag, "href") {
                isLink = true
                voteHost(href)
            }
        }
        if id == Tags.time { flags |= Flag.date }
        if flags & Flag.date != 0 { dateAttribute(tag) }
        if id == Tags.p || id == Tags.li, (flagsOn | flags) & Flag.menu != 0 { flags &= ~Flag.paragraph }
        // Only blocks can be the article text; a hint on a menu, lead or sidebar names something else.
        let hint = info.props.contains(.block) && flags & (Flag.menu | Flag.footer | Flag.boilerplate | Flag.lead) == 0
            ? hints.content : .none
        push(id, info: info, flags: flags, hint: hint, isLink: isLink, range: range)
        return tag.end
    }

    func endTag(_ tag: Tag, range: Range<Int>) {
        guard let info = tagInfo(tag.name, intern: false) else { return }
        let id = info.id
        if id == Tags.br { out.separate(range); return }   // "</br>" acts as <br>
        if id == Tags.html || id == Tags.body { out.separate(range); return }
        if info.props.contains(.block) { out.separate(range) }
        guard let index = openIndices[Int(id)].last, let top = stack.last else { return }
        let base: Int32
        if info.props.contains(.tablePart) { base = top.tableBase }
        else if id == Tags.p { base = top.buttonBase }
        else { base = top.scopeBase }
        guard index >= base else { return }   // not in scope: a stray end tag, ignored as browsers do
        let wasItemized = flagsOn & Flag.itemized != 0
        popTo(Int(index), at: range)
        if wasItemized && id == Tags.a { out.separate(range) }
    }

    /// The HTML5 implied end tags that change where text breaks: a new <p> or block ends an
    /// open <p>, a new <li> ends the previous one, a new cell ends the previous cell.
    func closeImplied(by info: TagInfo, at range: Range<Int>) {
        guard let top = stack.last else { return }
        let id = info.id
        if info.props.contains(.closesP), let index = openIndices[Int(Tags.p)].last, index >= top.buttonBase {
            popTo(Int(index), at: range)
        }
        guard let top = stack.last else { return }
        switch id {
        case Tags.li:
            if let index = openIndices[Int(Tags.li)].last, index >= top.listBarrier { popTo(Int(index), at: range) }
        case Tags.dd, Tags.dt:
            let index = max(openIndices[Int(Tags.dd)].last ?? -1, openIndices[Int(Tags.dt)].last ?? -1)
            if index >= 0, index >= top.listBarrier { popTo(Int(index), at: range) }
        case Tags.tr:
            let index = max(openIndices[Int(Tags.tr)].last ?? -1, openIndices[Int(Tags.td)].last ?? -1,
                            openIndices[Int(Tags.th)].last ?? -1)
            if index >= 0, index >= top.tableBase { popTo(Int(index), at: range) }
        case Tags.td, Tags.th:
            let index = max(openIndices[Int(Tags.td)].last ?? -1, openIndices[Int(Tags.th)].last ?? -1)
            if index >= 0, index >= top.tableBase { popTo(Int(index), at: range) }
        case Tags.option:
            if top.tag == Tags.option { popTo(stack.count - 1, at: range) }
        case Tags.a:
            if let index = openIndices[Int(Tags.a)].last, index >= top.scopeBase { popTo(Int(index), at: range) }
        default:
            if info.props.contains(.heading), let known = tagInfo(ofId: top.tag), known.props.contains(.heading) {
                popTo(stack.count - 1, at: range)
            }
        }
    }

    func push(_ id: Int32, info: TagInfo, flags: UInt32, hint: ContentHint = .none, isLink: Bool = false,
                       range: Range<Int>) {
        guard stack.count < HTMLExtractor.maxDepth else { return }
        let index = Int32(stack.count)
        let top = stack.last
        var scopeBase = top?.scopeBase ?? -1, buttonBase = top?.buttonBase ?? -1
        var listBarrier = top?.listBarrier ?? -1, tableBase = top?.tableBase ?? -1
        if info.props.contains(.scopeBoundary) { scopeBase = index; buttonBase = index }
        if info.props.contains(.buttonBoundary) { buttonBase = index }
        if info.props.contains(.special) && !info.props.contains(.listExempt) { listBarrier = index }
        if info.props.contains(.tableBoundary) { tableBase = index }
        let blockParent: Int32 = top.map { $0.isBlock && !$0.isTablePart ? index - 1 : $0.blockParent } ?? -1
        stack.append(Entry(tag: id, flags: flags, scopeBase: scopeBase, buttonBase: buttonBase,
                           listBarrier: listBarrier, tableBase: tableBase,
                           isBlock: info.props.contains(.block), isLink: isLink, isTablePart: info.props.contains(.tablePart),
                           blockParent: blockParent, serial: nextSerial,
                           hint: hint, textStart: out.count, cleanStart: cleanCount, linkStart: linkCount))
        nextSerial &+= 1
        openIndices[Int(id)].append(index)
        if flags != 0 {
            addFlags(flags)
            refreshScopes(at: range)
        }
    }

    /// Pops the stack down to (and including) `index`.
    func popTo(_ index: Int, at range: Range<Int>) {
        var changed = false
        while stack.count > index {
            let entry = stack.removeLast()
            openIndices[Int(entry.tag)].removeLast()
            closeElement(entry)
            if entry.flags != 0 {
                removeFlags(entry.flags)
                changed = true
            }
        }
        if changed { refreshScopes(at: range) }
    }

    // MARK: Special elements

    func titleElement(_ tag: Tag, range: Range<Int>) -> Int {
        guard !tag.selfClosing, let info = Tags.known["title"], let close = findClose(info, from: tag.end) else {
            return tag.end
        }
        // Only the first <title> is the page's; later ones (in body, in widgets) are not shown.
        if !sawTitle {
            sawTitle = true
            _ = block(flags: Flag.title, lead: range, value: tag.end..<close.lowerBound, trail: close)
        }
        return close.upperBound
    }

    func metaElement(_ tag: Tag, range: Range<Int>) {
        if let charset = attribute(tag, "charset") { declareCharset(decodedString(charset)) }
        let content = attribute(tag, "content")
        if let equiv = attribute(tag, "http-equiv"), equalsLowercase(equiv, "content-type"), let content {
            let value = Array(decodedString(content).lowercased().utf8)
            let marker = Array("charset=".utf8)
            if let at = (0..<max(0, value.count - marker.count + 1)).first(where: { value[$0...].starts(with: marker) }) {
                let rest = value[(at + marker.count)...].prefix { $0 != 0x3B && $0 != 0x20 && $0 != 0x22 && $0 != 0x27 }
                declareCharset(String(decoding: rest, as: UTF8.self))
            }
        }
        guard let content, trimmedSource(content) != nil,
              let keyRange = attribute(tag, "name") ?? attribute(tag, "property") ?? attribute(tag, "itemprop") else { return }
        let key = decodedString(keyRange).lowercased().trimmingSpaces()
        if let itemprop = attribute(tag, "itemprop"), equalsLowercase(itemprop, "datepublished"),
           facts.published.count < PageFacts.maxDates {
            facts.published.append(DateCandidate(priority: DateCandidate.itemprop, value: decodedString(content)))
        }
        let flags: UInt32
        var metadataKey: String? = nil
        switch key {
        case "description": flags = Flag.meta | Flag.metaDescription; metadataKey = "description"
        case "keywords", "news_keywords": flags = Flag.meta; metadataKey = "keywords"
        case "author": flags = Flag.byline | Flag.hidden
        case "og:title": flags = Flag.meta | Flag.ogTitle; metadataKey = "og:title"
        case "og:site_name": flags = Flag.meta
        case "og:description": flags = Flag.meta; metadataKey = "og:description"
        case "og:url": flags = Flag.meta; metadataKey = "og:url"
        case "article:published_time": flags = Flag.meta
        case "article:modified_time": flags = Flag.meta; metadataKey = "modified"
        case "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "datepublished",
             "article.published", "sailthru.date", "dcterms.date":
            if facts.published.count < PageFacts.maxDates {
                facts.published.append(DateCandidate(priority: DateCandidate.metaDate, value: decodedString(content)))
            }
            return
        case "generator":
            if facts.generator == nil { facts.generator = decodedString(content) }
            return
        case "copyright":
            if facts.copyright == nil { facts.copyright = decodedString(content) }
            return
        default:
            guard key.hasPrefix("og:") || key.hasPrefix("article:") else { return }
            flags = Flag.meta
        }
        let emitted = block(flags: flags, lead: range.lowerBound..<content.lowerBound, value: content,
                            trail: content.upperBound..<range.upperBound)
        guard let emitted else { return }
        let value = metadataString(out.text[emitted])
        if let metadataKey, metadata[metadataKey] == nil { metadata[metadataKey] = value }
        switch key {
        case "author":
            if facts.metaAuthors.count < 16 { facts.metaAuthors.append(NamedAuthor(value: value, range: emitted)) }
        case "og:site_name":
            // Some pages put their URL there (xinhxinh has two og:site_name, the first a URL).
            if !Anatomy.looksLikeURL(value), facts.siteNames.count < 16 { facts.siteNames.append(value) }
        case "article:published_time":
            if facts.published.count < PageFacts.maxDates {
                facts.published.append(DateCandidate(priority: DateCandidate.articlePublishedTime, value: value))
            }
        default:
            break
        }
    }

    func declareCharset(_ raw: String) {
        let charset = raw.lowercased().trimmingSpaces()
        guard !charset.isEmpty, metadata["charset"] == nil else { return }
        metadata["charset"] = charset
    }

    /// Inserts an attribute value or a title as a block of its own. The separators map to the
    /// parts of the tag before and after the value, so source positions only ever increase.
    func block(flags: UInt32, lead: Range<Int>, value: Range<Int>, trail: Range<Int>, json: Bool = false) -> Range<Int>? {
        out.separate(lead)
        addFlags(flags)
        refreshScopes(at: lead)
        let start = out.count
        if json { emitJSONString(value) } else { emitText(value) }
        out.pending = nil
        let end = out.count
        removeFlags(flags)
        refreshScopes(at: trail)
        out.separate(trail)
        return start < end ? start..<end : nil
    }

    // MARK: Scopes

    func addFlags(_ flags: UInt32) {
        var f = flags
        while f != 0 {
            let bit = f.trailingZeroBitCount
            flagCounts[bit] += 1
            flagsOn |= 1 << UInt32(bit)
            f &= f - 1
        }
    }

    func removeFlags(_ flags: UInt32) {
        var f = flags
        while f != 0 {
            let bit = f.trailingZeroBitCount
            flagCounts[bit] -= 1
            if flagCounts[bit] == 0 { flagsOn &= ~(1 << UInt32(bit)) }
            f &= f - 1
        }
    }

    /// Scopes that simply follow one flag.
    private static let directKeys: [(UInt32, Key)] = [
        (Flag.title, .title), (Flag.heading, .heading), (Flag.paragraph, .paragraph), (Flag.caption, .caption),
        (Flag.menu, .menu), (Flag.footer, .footer), (Flag.byline, .byline), (Flag.lead, .lead), (Flag.meta, .meta),
        (Flag.ogTitle, .ogTitle), (Flag.metaDescription, .metaDescription), (Flag.attribution, .attribution),
    ]

    func currentKeys() -> UInt32 {
        let on = flagsOn
        var keys: UInt32 = 0
        for (flag, key) in HTMLRun.directKeys where on & flag != 0 { keys |= key.bit }
        // A sidebar's leads, commenters and sources are not the article's.
        if on & Flag.boilerplate != 0 { keys &= ~(Key.lead.bit | Key.byline.bit | Key.attribution.bit) }
        // Breadcrumbs often sit in a menu bar; a category label in a menu is just a menu item.
        if on & Flag.sectionStrong != 0, on & (Flag.footer | Flag.boilerplate) == 0 { keys |= Key.sectionStrong.bit }
        if on & Flag.sectionWeak != 0, on & (Flag.menu | Flag.footer | Flag.header | Flag.boilerplate) == 0 {
            keys |= Key.sectionWeak.bit
        }
        if on & Flag.bodyExcluded == 0 {
            keys |= Key.pageBody.bit
            if on & Flag.article != 0 { keys |= Key.articleBody.bit }
        }
        return keys
    }

    /// Closes the ranges of scopes that just ended and opens those that just began, with a
    /// line break between so no phrase runs from one into the other.
    func refreshScopes(at source: Range<Int>) {
        let keys = currentKeys()
        guard keys != activeKeys else { return }
        var ended = activeKeys & ~keys
        while ended != 0 {
            let k = ended.trailingZeroBitCount
            if keyStarts[k] < out.count { keyRanges[k].append(keyStarts[k]..<out.count) }
            ended &= ended - 1
        }
        out.separate(source)
        var started = keys & ~activeKeys
        while started != 0 {
            let k = started.trailingZeroBitCount
            keyStarts[k] = out.count
            started &= started - 1
        }
        activeKeys = keys
    }

    /// Scope hints from id/class/itemprop/rel/itemtype, and how strongly the element is named
    /// the article text. <html>, <head> and <body> are left out: a class like "has-nav" there
    /// would swallow the whole page.
    func hintFlags(_ tag: Tag) -> (flags: UInt32, content: ContentHint) {
        var flags: UInt32 = 0
        var content = ContentHint.none
        for attribute in tag.attributes {
            guard let value = attribute.value, !value.isEmpty else { continue }
            // By length first: most attributes (href, src, style, data-…) are none of these.
            let kind: HintAttribute
            switch attribute.name.count {
            case 5 where equalsLowercase(attribute.name, "class"): kind = .class
            case 2 where equalsLowercase(attribute.name, "id"): kind = .id
            case 8 where equalsLowercase(attribute.name, "itemprop"): kind = .itemprop
            case 8 where equalsLowercase(attribute.name, "itemtype"): kind = .itemtype
            case 3 where equalsLowercase(attribute.name, "rel"): kind = .rel
            default: continue
            }
            let v = value.lowerBound..<min(value.upperBound, value.lowerBound + HTMLExtractor.maxHintLength)
            // The key: the attribute kind, then the lowercased value (which `has` searches).
            hintValue.removeAll(keepingCapacity: true)
            hintValue.append(kind.rawValue)
            for i in v { hintValue.append(lower(p[i])) }
            // Pages repeat the same few class names hundreds of times: look each up once.
            let hint: (flags: UInt32, content: ContentHint)
            let key = HintKey(bytes: hintValue)
            if let cached = hintCache[key] {
                hint = cached
            } else {
                hintBigrams = HintBigrams(hintValue)
                hint = hints(kind, value: v)
                if hintCache.count < HTMLExtractor.maxCachedHints { hintCache[key] = hint }
            }
            flags |= hint.flags
            content = max(content, hint.content)
        }
        // "article_author_date_comment_container": an author box naming its comment counter.
        if flags & Flag.byline != 0 { flags &= ~Flag.boilerplate }
        return (flags, content)
    }

    /// What one attribute value says; `hintValue` holds it lowercased.
    private func hints(_ kind: HintAttribute, value v: Range<Int>) -> (flags: UInt32, content: ContentHint) {
        var flags: UInt32 = 0
        var content = ContentHint.none
        switch kind {
        case .itemtype:
            if has("breadcrumb") { flags |= Flag.sectionStrong }
            return (flags, content)
        case .class, .id:
            if has("menu") || has("nav") { flags |= Flag.menu }
            if has("footer") { flags |= Flag.footer }
            if has("sapo") || has("lead") || has("summary") || has("description") || has("intro")
                || has("tomtat") || has("head-noidung") || has("chapeau") {
                flags |= Flag.lead
            }
            if isHeaderName(v, isClass: kind == .class) { flags |= Flag.header }
            if hasAny(HTMLRun.boilerplateWords) { flags |= Flag.boilerplate }
            if has("breadcrumb") || has("crumbs") { flags |= Flag.sectionStrong }
            if has("cate") || has("chuyenmuc") || has("chuyen-muc") { flags |= Flag.sectionWeak }
            if has("source") || has("nguon") { flags |= Flag.attribution }
            if has("date") || has("time") || has("publish") { flags |= Flag.date }
            if has("logo") { flags |= Flag.logo }
            if has("tacgia") || has("tac-gia") || has("tac_gia") { flags |= Flag.byline }
            if hasAny(HTMLRun.strongContentWords) { content = .strong }
            else if has("content") || has("detail") { content = .weak }
        case .itemprop:
            if has("articlebody") { content = .articleBody }
            if has("datepublished") { flags |= Flag.date }
            if has("breadcrumb") { flags |= Flag.sectionStrong }
        case .rel:
            break
        }
        if has("author") || has("byline") { flags |= Flag.byline }
        return (flags, content)
    }

    /// Class/id words of boxes that are never the article: sidebars, related and "other news"
    /// lists, comments, sharing, tags, most-read lists, advertising.
    private static let boilerplateWords: [StaticString] = [
        "sidebar", "relat", "box-tin", "boxtin", "lienquan", "lien-quan", "lien_quan", "comment", "binhluan",
        "binh-luan", "othernews", "other-news", "other_news", "tinkhac", "tin-khac", "tin_khac", "share", "social",
        "banner", "quangcao", "advert", "tags", "tukhoa", "keyword", "xemnhieu", "docnhieu", "mostview", "most-view",
        "popular",
    ]

    /// Class/id words that name the article text itself in Vietnamese CMSs and common themes.
    private static let strongContentWords: [StaticString] = [
        "fck_detail", "articlebody", "article-body", "article_body", "article-content", "article_content",
        "articlecontent", "entry-content", "entry_content", "post-content", "post_content", "postcontent",
        "news-content", "news_content", "newscontent", "detail-content", "detail_content", "detailcontent",
        "content-detail", "content_detail", "contentdetail", "noidung", "body-text", "bodytext", "story-body",
    ]

    /// A plain loop rather than `contains(where:)`: the closure made the compiler copy the whole
    /// parser state on every tag with a class.
    func hasAny(_ words: [StaticString]) -> Bool {
        for word in words where has(word) { return true }
        return false
    }

    /// Substring test on `hintValue` (lowercased already); `word` is lowercase ASCII.
    func has(_ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        // Most words are absent: the bigram filter answers those without a search.
        if length >= 2, !hintBigrams.mayContain(word.utf8Start[0], word.utf8Start[1]) { return false }
        return hintValue.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= length else { return false }
            let w = word.utf8Start
            var i = 0
            let last = buffer.count - length
            while i <= last {
                guard let hit = memchr(base + i, Int32(w[0]), last - i + 1) else { return false }
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, w, length) == 0 { return true }
                i = at + 1
            }
            return false
        }
    }

    /// id="header" or a class token "header": the page banner. Looser matches ("article-header")
    /// would cut titles out of articles.
    func isHeaderName(_ v: Range<Int>, isClass: Bool) -> Bool {
        var start = v.lowerBound
        while start < v.upperBound {
            while start < v.upperBound, isASCIIWhitespace(p[start]) { start += 1 }
            var end = start
            while end < v.upperBound, !isASCIIWhitespace(p[end]) { end += 1 }
            if end > start, equalsLowercase(start..<end, "header") { return true }
            if !isClass { return false }
            start = end
        }
        return false
    }

    // MARK: Text

    /// Copies text, decoding character references into replacement segments.
    func emitText(_ range: Range<Int>) {
        var runStart = range.lowerBound
        var j = range.lowerBound
        while let amp = find(0x26, from: j, to: range.upperBound) {   // '&'
            if let (length, utf8) = HTMLEntities.decode(p, at: amp, end: range.upperBound) {
                out.copy(p, runStart..<amp)
                out.replace(p, with: utf8, source: amp..<(amp + length))
                j = amp + length
                runStart = j
            } else {
                j = amp + 1
            }
        }
        out.copy(p, runStart..<range.upperBound)
    }

    // MARK: Page anatomy

    /// Page text (not attribute values): written, then counted for the body choice.
    func emitPageText(_ range: Range<Int>) {
        let before = out.count
        emitText(range)
        let added = out.count - before
        guard added > 0, flagsOn & Flag.bodyExcluded == 0 else { return }
        cleanCount += added
        let inLink = !openIndices[Int(Tags.a)].isEmpty
        if inLink { linkCount += added }
        guard let top = stack.last else { return }
        let block = top.isBlock ? stack.count - 1 : Int(top.blockParent)
        guard block >= 0 else { return }
        stack[block].ownText += added
        if inLink { stack[block].ownLink += added }
    }

    /// An element just left the stack (`flagsOn` still has its flags): note its link, heading or
    /// date span, and score it as a possible body. Readability's rule, in one pass: a block's own
    /// plain text counts for its parent block in full and for its grandparent by half.
    func closeElement(_ entry: Entry) {
        let end = out.count
        if entry.isLink {
            let parent = entry.blockParent >= 0 ? stack[Int(entry.blockParent)].serial : -1
            facts.links.append(LinkFacts(span: entry.textStart..<end, parent: parent, flags: flagsOn))
        }
        if end > entry.textStart {
            if entry.flags & Flag.date != 0, facts.dates.count < PageFacts.maxDates {
                facts.dates.append(DateFacts(span: entry.textStart..<end, flags: flagsOn, attribute: nil))
            }
            if entry.flags & Flag.heading != 0, let info = tagInfo(ofId: entry.tag), info.props.contains(.heading) {
                facts.headings.append(HeadingFacts(level: Int(info.name[1]) - 0x30, span: entry.textStart..<end, flags: flagsOn))
            }
        }
        guard entry.isBlock, flagsOn & Flag.bodyExcluded == 0 else { return }
        let plain = entry.ownText - entry.ownLink
        if plain >= 25, entry.blockParent >= 0 {
            let parent = Int(entry.blockParent)
            stack[parent].score += Double(plain)
            let grandparent = Int(stack[parent].blockParent)
            if grandparent >= 0 { stack[grandparent].score += Double(plain) / 2 }
        }
        let clean = cleanCount - entry.cleanStart
        guard clean > 0 else { return }
        let link = linkCount - entry.linkStart
        let element = ElementFacts(span: entry.textStart..<end, cleanText: clean, linkText: link,
                                   score: entry.score * (1 - Double(link) / Double(clean)), hint: entry.hint)
        if element.score > bestScore {
            bestScore = element.score
            facts.densest = element
        }
        if entry.hint != .none, facts.hinted.count < PageFacts.maxHinted { facts.hinted.append(element) }
    }

    /// Counts the host of an absolute link: the most linked host is the site's own.
    func voteHost(_ href: Range<Int>) {
        var i = href.lowerBound
        while i < href.upperBound, isASCIIWhitespace(p[i]) { i += 1 }
        let rest = i..<href.upperBound
        let skip: Int
        if rest.count > 7, equalsLowercase(i..<(i + 7), "http://") { skip = 7 }
        else if rest.count > 8, equalsLowercase(i..<(i + 8), "https://") { skip = 8 }
        else { return }
        var j = i + skip
        let start = j
        while j < href.upperBound, j - start < 100, p[j] != 0x2F, p[j] != 0x3F, p[j] != 0x23, p[j] != 0x3A,
              !isASCIIWhitespace(p[j]) { j += 1 }
        guard j > start else { return }
        var host = String(decoding: (start..<j).map { lower(p[$0]) }, as: UTF8.self)
        if host.hasPrefix("www.") { host.removeFirst(4) }
        if facts.hostVotes[host] != nil || facts.hostVotes.count < PageFacts.maxHosts { facts.hostVotes[host, default: 0] += 1 }
    }

    /// A machine-readable date on an element: `<time datetime>`, or itemprop="datePublished"
    /// with a datetime/content attribute.
    func dateAttribute(_ tag: Tag) {
        let itemprop = attribute(tag, "itemprop").map { equalsLowercase($0, "datepublished") } ?? false
        guard let value = attribute(tag, "datetime") ?? (itemprop ? attribute(tag, "content") : nil),
              trimmedSource(value) != nil, facts.dates.count < PageFacts.maxDates else { return }
        let string = decodedString(value)
        if itemprop {
            facts.published.append(DateCandidate(priority: DateCandidate.itemprop, value: string))
        } else {
            facts.dates.append(DateFacts(span: out.count..<out.count, flags: flagsOn, attribute: string))
        }
    }

    /// JSON-LD: authors become hidden byline blocks mapped to their bytes inside the script;
    /// datePublished and breadcrumb names are kept for the metadata.
    func jsonLD(tag: Range<Int>, content: Range<Int>, close: Range<Int>) {
        let found = JSONLD.scan(p, content)
        if let date = found.datePublished, facts.published.count < PageFacts.maxDates {
            facts.published.append(DateCandidate(priority: DateCandidate.jsonLD, value: date))
        }
        if facts.jsonBreadcrumb.isEmpty { facts.jsonBreadcrumb = found.breadcrumb }
        // Pages repeat their JSON-LD; a few dozen authors are plenty (and keep byline checks cheap).
        let authors = Array(found.authors.prefix(max(0, PageFacts.maxJSONAuthors - facts.jsonAuthors.count)))
        for (k, value) in authors.enumerated() {
            // Separators map to the bytes between values, so source positions only increase.
            let lead = (k == 0 ? tag.lowerBound : authors[k - 1].upperBound)..<value.lowerBound
            let trail = value.upperBound..<(k + 1 < authors.count ? authors[k + 1].lowerBound : close.upperBound)
            if let emitted = block(flags: Flag.byline | Flag.hidden, lead: lead, value: value, trail: trail, json: true) {
                facts.jsonAuthors.append(NamedAuthor(value: metadataString(out.text[emitted]), range: emitted))
            }
        }
    }

    /// A JSON string's content as text: plain runs copied, each escape one replacement segment.
    func emitJSONString(_ range: Range<Int>) {
        var run = range.lowerBound
        var j = range.lowerBound
        while let backslash = find(0x5C, from: j, to: range.upperBound) {
            out.copy(p, run..<backslash)
            let (length, utf8) = JSONLD.unescape(p, at: backslash, end: range.upperBound)
            let end = min(backslash + length, range.upperBound)
            out.replace(p, with: utf8, source: backslash..<end)
            j = end
            run = end
        }
        out.copy(p, run..<range.upperBound)
    }

    // MARK: Finishing

    func finish(source: [UInt8], url: String?) -> ExtractedDocument {
        out.dropPending()
        // Elements still open close at the end of the page, so their blocks, links and dates count.
        while let entry = stack.popLast() {
            openIndices[Int(entry.tag)].removeLast()
            closeElement(entry)
            if entry.flags != 0 { removeFlags(entry.flags) }
        }
        var active = activeKeys
        while active != 0 {
            let k = active.trailingZeroBitCount
            if keyStarts[k] < out.count { keyRanges[k].append(keyStarts[k]..<out.count) }
            active &= active - 1
        }
        activeKeys = 0
        var text = out.text
        var map = out.map

        func ranges(_ key: Key) -> [Range<Int>] { keyRanges[key.rawValue].compactMap { trimmed($0, in: text) } }
        var scopes: [Scope: [Range<Int>]] = [:]
        func set(_ scope: Scope, _ value: [Range<Int>]) { if !value.isEmpty { scopes[scope] = value } }

        if let title = ranges(.title).first ?? ranges(.ogTitle).first { scopes[.title] = [title] }
        let headings = ranges(.heading), captions = ranges(.caption)
        set(.heading, headings)
        set(.paragraph, ranges(.paragraph))
        set(.caption, captions)
        set(.footer, ranges(.footer))
        set(.meta, ranges(.meta))

        if let title = scopes[.title]?.first { metadata["title"] = metadataString(text[title]) }
        if metadata["description"] == nil, let description = metadata["og:description"] { metadata["description"] = description }
        if let url { metadata["url"] = url }
        else if let pageURL = metadata["og:url"] ?? metadata["canonical"] { metadata["url"] = pageURL }

        // Body, byline, source line, dates, section, site name, menu items and links. (In a scope
        // of its own, so the resolver's hold on the text ends before the address lines go on.)
        do {
            var anatomy = AnatomyResolver(
                text: text, breaks: out.breaks, facts: facts, metadata: metadata, headings: headings,
                captions: captions, menu: ranges(.menu), byline: ranges(.byline), lead: ranges(.lead),
                metaDescription: ranges(.metaDescription), articleBody: ranges(.articleBody), pageBody: ranges(.pageBody),
                sectionStrong: ranges(.sectionStrong), sectionWeak: ranges(.sectionWeak), attribution: ranges(.attribution))
            anatomy.resolve()
            metadata = anatomy.metadata
            scopes.merge(anatomy.scopes) { _, new in new }
        }
        facts = PageFacts()

        appendAddressLines(url: url, text: &text, map: &map, sourceCount: n, scopes: &scopes)
        if !text.isEmpty { scopes[.text] = [0..<text.count] }
        return ExtractedDocument(source: source, text: text, map: map, scopes: scopes, structured: true,
                                 metadata: metadata, notes: notes)
    }

    // MARK: Byte helpers

    func find(_ byte: UInt8, from: Int, to: Int) -> Int? {
        guard from < to, let base = p.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// The end tag closing a raw-text element (script, style, title…), searched once per region.
    func findClose(_ info: TagInfo, from: Int) -> Range<Int>? {
        if let cached = closeCache[info.id], cached.from <= from {
            guard let found = cached.found else { return nil }
            if found.lowerBound >= from { return found }
        }
        var j = from
        var result: Range<Int>? = nil
        let name = info.name
        while let lt = find(0x3C, from: j, to: n) {
            j = lt + 1
            guard lt + 2 + name.count <= n, p[lt + 1] == 0x2F else { continue }
            var match = true
            for k in 0..<name.count where lower(p[lt + 2 + k]) != name[k] { match = false; break }
            guard match else { continue }
            let after = lt + 2 + name.count
            guard after == n || isASCIIWhitespace(p[after]) || p[after] == 0x2F || p[after] == 0x3E else { continue }
            result = lt..<skipPast(0x3E, from: after)
            break
        }
        closeCache[info.id] = (from, result)
        return result
    }

    func tagInfo(_ name: Range<Int>, intern: Bool) -> TagInfo? {
        guard !name.isEmpty else { return nil }
        // Known names of up to 7 bytes (nearly every tag): one integer key, no string.
        if name.count <= 7 {
            var packed = UInt64(name.count) << 56
            var shift: UInt64 = 0
            for i in name { packed |= UInt64(lower(p[i])) << shift; shift += 8 }
            if let known = Tags.knownPacked[packed] { return known }
        }
        var lowered = [UInt8]()
        lowered.reserveCapacity(min(name.count, 33))
        for i in name.prefix(33) { lowered.append(lower(p[i])) }
        let key = String(decoding: lowered, as: UTF8.self)
        if name.count <= 32, let known = Tags.known[key] { return known }
        if let id = interned[key] { return TagInfo(id: id, name: lowered, props: [], flags: 0) }
        guard intern else { return nil }
        let id: Int32
        if interned.count < HTMLExtractor.maxInternedNames {
            id = nextId
            nextId += 1
            interned[key] = id
        } else {
            if overflowId < 0 { overflowId = nextId; nextId += 1 }
            id = overflowId
        }
        while openIndices.count <= Int(id) { openIndices.append([]) }
        return TagInfo(id: id, name: lowered, props: [], flags: 0)
    }

    func tagInfo(ofId id: Int32) -> TagInfo? {
        guard id < Tags.knownCount else { return nil }
        return Tags.byId[Int(id)]
    }

    func attribute(_ tag: Tag, _ name: String) -> Range<Int>? {
        for a in tag.attributes where equalsLowercase(a.name, name) { return a.value ?? a.name.upperBound..<a.name.upperBound }
        return nil
    }

    func equalsLowercase(_ range: Range<Int>, _ word: String) -> Bool {
        guard range.count == word.utf8.count else { return false }
        var i = range.lowerBound
        for c in word.utf8 {
            if lower(p[i]) != c { return false }
            i += 1
        }
        return true
    }

    /// Case-insensitive substring test (`word` is lowercase ASCII).
    func contains(_ range: Range<Int>, _ word: StaticString) -> Bool {
        let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard range.count >= w.count else { return false }
        var i = range.lowerBound
        let last = range.upperBound - w.count
        while i <= last {
            if lower(p[i]) == w[0] {
                var k = 1
                while k < w.count, lower(p[i + k]) == w[k] { k += 1 }
                if k == w.count { return true }
            }
            i += 1
        }
        return false
    }

    func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> { ArraySlice(UnsafeBufferPointer(rebasing: p[range])) }

    func trimmedSource(_ range: Range<Int>) -> Range<Int>? {
        var s = range.lowerBound, e = range.upperBound
        while s < e, isASCIIWhitespace(p[s]) { s += 1 }
        while e > s, isASCIIWhitespace(p[e - 1]) { e -= 1 }
        return s < e ? s..<e : nil
    }

    /// An attribute value as a string, with character references decoded.
    func decodedString(_ range: Range<Int>) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(range.count)
        var j = range.lowerBound
        while j < range.upperBound {
            if p[j] == 0x26, let (length, utf8) = HTMLEntities.decode(p, at: j, end: range.upperBound) {
                result.append(contentsOf: utf8)
                j += length
            } else {
                result.append(p[j])
                j += 1
            }
        }
        return metadataString(result[...])
    }
}

@inline(__always) private func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b }
@inline(__always) private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

extension Tags {
    static let byId: [TagInfo] = known.values.sorted { $0.id < $1.id }
    /// `known` for names of up to 7 bytes, keyed by their bytes packed with the length on top.
    static let knownPacked: [UInt64: TagInfo] = {
        var table: [UInt64: TagInfo] = [:]
        for (name, info) in known where name.utf8.count <= 7 {
            var packed = UInt64(name.utf8.count) << 56
            var shift: UInt64 = 0
            for b in name.utf8 { packed |= UInt64(b) << shift; shift += 8 }
            table[packed] = info
        }
        return table
    }()
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
