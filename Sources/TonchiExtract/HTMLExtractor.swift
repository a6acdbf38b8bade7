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

    static func extract(_ bytes: [UInt8], url: String?) -> ExtractedDocument {
        bytes.withUnsafeBufferPointer { buffer in
            var run = HTMLRun(buffer)
            run.parse()
            return run.finish(source: bytes, url: url)
        }
    }
}

/// Which tracked ranges exist. Some are final scopes, some are candidates chosen at the end.
private enum Key: Int, CaseIterable {
    case title, heading, paragraph, caption, menu, footer, byline, lead, meta, articleBody, pageBody, ogTitle, metaDescription
    var bit: UInt32 { 1 << UInt32(rawValue) }
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
            text.append(0x0A)
            map.appendReplacement(derivedLength: 1, source: tag)
        }
        guard let run = pending else { return }
        pending = nil
        text.append(contentsOf: UnsafeBufferPointer(rebasing: p[run]))
        map.appendIdentity(sourceStart: run.lowerBound, length: run.count)
    }
}

private struct HTMLRun {
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

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
        openIndices = [[Int32]](repeating: [], count: Int(Tags.knownCount))
        out.text.reserveCapacity(p.count / 3)
    }

    // MARK: Tokenizer

    mutating func parse() {
        guard n > 0 else { return }
        var i = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
        var textStart = i
        while i < n {
            guard let lt = find(0x3C, from: i, to: n) else { break }   // '<'
            i = lt
            let next: UInt8 = i + 1 < n ? p[i + 1] : 0
            if isLetter(next) || next == 0x2F || next == 0x21 || next == 0x3F {   // letter / ! ?
                closeHeadBeforeText(textStart..<i)
                emitText(textStart..<i)
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
            emitText(textStart..<n)
        }
    }

    /// Words before any <body> tag end the head, as in a browser; otherwise a page without
    /// </head> would have no body at all.
    mutating func closeHeadBeforeText(_ range: Range<Int>) {
        guard let head = openIndices[Int(Tags.head)].last, trimmedSource(range) != nil else { return }
        popTo(Int(head), at: lastMarkup)   // a break here belongs to the tag just before the words
    }

    /// Handles the markup starting at `i` (a "<"); returns where text resumes.
    mutating func markup(at i: Int) -> Int {
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

    mutating func skipComment(from start: Int) -> Int {
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

    mutating func startTag(_ tag: Tag, range: Range<Int>) -> Int {
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
                _ = block(flags: Flag.caption, lead: range.lowerBound..<alt.lowerBound, value: alt,
                          trail: alt.upperBound..<range.upperBound)
            }
            return tag.end
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

        var flags = info.flags | hintFlags(tag)
        if flagsOn & Flag.menu != 0 && id == Tags.a { out.separate(range) }   // menu items one per line
        if id == Tags.p || id == Tags.li, (flagsOn | flags) & Flag.menu != 0 { flags &= ~Flag.paragraph }
        push(id, info: info, flags: flags, range: range)
        return tag.end
    }

    mutating func endTag(_ tag: Tag, range: Range<Int>) {
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
        let wasMenu = flagsOn & Flag.menu != 0
        popTo(Int(index), at: range)
        if wasMenu && id == Tags.a { out.separate(range) }
    }

    /// The HTML5 implied end tags that change where text breaks: a new <p> or block ends an
    /// open <p>, a new <li> ends the previous one, a new cell ends the previous cell.
    mutating func closeImplied(by info: TagInfo, at range: Range<Int>) {
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

    mutating func push(_ id: Int32, info: TagInfo, flags: UInt32, range: Range<Int>) {
        guard stack.count < HTMLExtractor.maxDepth else { return }
        let index = Int32(stack.count)
        let top = stack.last
        var scopeBase = top?.scopeBase ?? -1, buttonBase = top?.buttonBase ?? -1
        var listBarrier = top?.listBarrier ?? -1, tableBase = top?.tableBase ?? -1
        if info.props.contains(.scopeBoundary) { scopeBase = index; buttonBase = index }
        if info.props.contains(.buttonBoundary) { buttonBase = index }
        if info.props.contains(.special) && !info.props.contains(.listExempt) { listBarrier = index }
        if info.props.contains(.tableBoundary) { tableBase = index }
        stack.append(Entry(tag: id, flags: flags, scopeBase: scopeBase, buttonBase: buttonBase,
                           listBarrier: listBarrier, tableBase: tableBase))
        openIndices[Int(id)].append(index)
        if flags != 0 {
            addFlags(flags)
            refreshScopes(at: range)
        }
    }

    /// Pops the stack down to (and including) `index`.
    mutating func popTo(_ index: Int, at range: Range<Int>) {
        var changed = false
        while stack.count > index {
            let entry = stack.removeLast()
            openIndices[Int(entry.tag)].removeLast()
            if entry.flags != 0 {
                removeFlags(entry.flags)
                changed = true
            }
        }
        if changed { refreshScopes(at: range) }
    }

    // MARK: Special elements

    mutating func titleElement(_ tag: Tag, range: Range<Int>) -> Int {
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

    mutating func metaElement(_ tag: Tag, range: Range<Int>) {
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
        let flags: UInt32
        var metadataKey: String? = nil
        switch key {
        case "description": flags = Flag.meta | Flag.metaDescription; metadataKey = "description"
        case "keywords", "news_keywords": flags = Flag.meta; metadataKey = "keywords"
        case "author": flags = Flag.byline | Flag.hidden; metadataKey = "author"
        case "og:title": flags = Flag.meta | Flag.ogTitle; metadataKey = "og:title"
        case "og:site_name": flags = Flag.meta; metadataKey = "site_name"
        case "og:description": flags = Flag.meta; metadataKey = "og:description"
        case "og:url": flags = Flag.meta; metadataKey = "og:url"
        case "article:published_time": flags = Flag.meta; metadataKey = "published"
        case "article:modified_time": flags = Flag.meta; metadataKey = "modified"
        case "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "datepublished",
             "article.published", "sailthru.date", "dcterms.date":
            if metadata["published"] == nil { metadata["published"] = decodedString(content) }
            return
        default:
            guard key.hasPrefix("og:") || key.hasPrefix("article:") else { return }
            flags = Flag.meta
        }
        let emitted = block(flags: flags, lead: range.lowerBound..<content.lowerBound, value: content,
                            trail: content.upperBound..<range.upperBound)
        if let metadataKey, let emitted, metadata[metadataKey] == nil {
            metadata[metadataKey] = metadataString(out.text[emitted])
        }
    }

    mutating func declareCharset(_ raw: String) {
        let charset = raw.lowercased().trimmingSpaces()
        guard !charset.isEmpty, metadata["charset"] == nil else { return }
        metadata["charset"] = charset
        if charset != "utf-8" && charset != "utf8" {
            notes.append("declared charset \(charset) is not decoded yet; read as UTF-8")
        }
    }

    /// Inserts an attribute value or a title as a block of its own. The separators map to the
    /// parts of the tag before and after the value, so source positions only ever increase.
    mutating func block(flags: UInt32, lead: Range<Int>, value: Range<Int>, trail: Range<Int>) -> Range<Int>? {
        out.separate(lead)
        addFlags(flags)
        refreshScopes(at: lead)
        let start = out.count
        emitText(value)
        out.pending = nil
        let end = out.count
        removeFlags(flags)
        refreshScopes(at: trail)
        out.separate(trail)
        return start < end ? start..<end : nil
    }

    // MARK: Scopes

    mutating func addFlags(_ flags: UInt32) {
        var f = flags
        while f != 0 {
            let bit = f.trailingZeroBitCount
            flagCounts[bit] += 1
            flagsOn |= 1 << UInt32(bit)
            f &= f - 1
        }
    }

    mutating func removeFlags(_ flags: UInt32) {
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
        (Flag.ogTitle, .ogTitle), (Flag.metaDescription, .metaDescription),
    ]

    func currentKeys() -> UInt32 {
        let on = flagsOn
        var keys: UInt32 = 0
        for (flag, key) in HTMLRun.directKeys where on & flag != 0 { keys |= key.bit }
        let excluded = Flag.menu | Flag.footer | Flag.header | Flag.head | Flag.title | Flag.hidden | Flag.meta
        if on & excluded == 0 {
            keys |= Key.pageBody.bit
            if on & Flag.article != 0 { keys |= Key.articleBody.bit }
        }
        return keys
    }

    /// Closes the ranges of scopes that just ended and opens those that just began, with a
    /// line break between so no phrase runs from one into the other.
    mutating func refreshScopes(at source: Range<Int>) {
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

    /// Scope hints from id/class/itemprop/rel. <html>, <head> and <body> are left out: a class
    /// like "has-nav" there would swallow the whole page.
    func hintFlags(_ tag: Tag) -> UInt32 {
        var flags: UInt32 = 0
        for attribute in tag.attributes {
            guard let value = attribute.value, !value.isEmpty else { continue }
            let v = value.lowerBound..<min(value.upperBound, value.lowerBound + HTMLExtractor.maxHintLength)
            let idOrClass = equalsLowercase(attribute.name, "id") || equalsLowercase(attribute.name, "class")
            guard idOrClass || equalsLowercase(attribute.name, "itemprop") || equalsLowercase(attribute.name, "rel") else { continue }
            if idOrClass {
                if contains(v, "menu") || contains(v, "nav") { flags |= Flag.menu }
                if contains(v, "footer") { flags |= Flag.footer }
                if contains(v, "sapo") || contains(v, "lead") || contains(v, "summary") || contains(v, "description") {
                    flags |= Flag.lead
                }
                if isHeaderName(v, isClass: equalsLowercase(attribute.name, "class")) { flags |= Flag.header }
            }
            if contains(v, "author") || contains(v, "byline") { flags |= Flag.byline }
        }
        return flags
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
    mutating func emitText(_ range: Range<Int>) {
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

    // MARK: Finishing

    mutating func finish(source: [UInt8], url: String?) -> ExtractedDocument {
        out.dropPending()
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
        set(.heading, ranges(.heading))
        set(.paragraph, ranges(.paragraph))
        set(.caption, ranges(.caption))
        set(.menu, ranges(.menu))
        set(.footer, ranges(.footer))
        set(.byline, ranges(.byline))
        let lead = ranges(.lead)
        set(.lead, lead.isEmpty ? Array(ranges(.metaDescription).prefix(1)) : lead)
        set(.meta, ranges(.meta))
        let articleBody = ranges(.articleBody)
        set(.body, articleBody.isEmpty ? ranges(.pageBody) : articleBody)

        if let title = scopes[.title]?.first { metadata["title"] = metadataString(text[title]) }
        if metadata["description"] == nil, let description = metadata["og:description"] { metadata["description"] = description }
        if metadata["author"] == nil, let byline = scopes[.byline]?.first, byline.count <= 200 {
            metadata["author"] = metadataString(text[byline])
        }
        if let url { metadata["url"] = url }
        else if let pageURL = metadata["og:url"] ?? metadata["canonical"] { metadata["url"] = pageURL }

        if let note = mojibakeNote(text) { notes.append(note) }
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
    mutating func findClose(_ info: TagInfo, from: Int) -> Range<Int>? {
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

    mutating func tagInfo(_ name: Range<Int>, intern: Bool) -> TagInfo? {
        guard !name.isEmpty else { return nil }
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
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
