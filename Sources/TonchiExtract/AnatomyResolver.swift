import TonchiCore

/// Turns what the HTML reader noticed into the page anatomy: the article body apart from the
/// boilerplate, byline, source line, dates, section, site name, menu items and links. Every
/// scope range is a whole line (or a run of lines) of the extracted text, so it maps to exact
/// source bytes and never runs into a neighbour. All steps are linear in the text.
struct AnatomyResolver {
    let text: [UInt8]
    let lines: Anatomy.Lines
    let facts: PageFacts
    var metadata: [String: String]
    /// Ranges of the scopes the reader tracked (trimmed, sorted).
    let headings: [Range<Int>]
    let captions: [Range<Int>]
    let menu: [Range<Int>]
    let byline: [Range<Int>]
    let lead: [Range<Int>]
    let metaDescription: [Range<Int>]
    let articleBody: [Range<Int>]
    let pageBody: [Range<Int>]
    let sectionStrong: [Range<Int>]
    let sectionWeak: [Range<Int>]
    let attribution: [Range<Int>]

    private(set) var scopes: [Scope: [Range<Int>]] = [:]

    // Worked out along the way.
    private var hostLabels: [String] = []
    private var titleSegments: [String] = []
    private var brandSegment: Int? = nil
    private var siteName: String? = nil
    private var mainHeading: Range<Int>? = nil
    private var body: [Range<Int>] = []
    private var articleMode = false
    /// The block holding the article's paragraphs, when the body was widened around it: its
    /// last lines are where the signature is.
    private var textBlock: Range<Int>? = nil
    /// Where link texts start, sorted and unique, and the furthest end of a link starting there.
    private var linkStarts: [Int] = []
    private var linkEnds: [Int] = []
    /// Folded names a section item must not be (set by `resolveSection`).
    private var sectionExcluded = Set<String>()

    /// How much text a content block may add around the paragraphs: headline, date, lead.
    static let maxHeaderText = 800
    /// Distances (in bytes of text) that count as "next to the headline".
    static let headerWindowBefore = 2500
    static let headerWindowAfter = 3000

    init(text: [UInt8], breaks: [Int], facts: PageFacts, metadata: [String: String], headings: [Range<Int>],
         captions: [Range<Int>], menu: [Range<Int>], byline: [Range<Int>], lead: [Range<Int>],
         metaDescription: [Range<Int>], articleBody: [Range<Int>], pageBody: [Range<Int>],
         sectionStrong: [Range<Int>], sectionWeak: [Range<Int>], attribution: [Range<Int>]) {
        self.text = text
        self.lines = Anatomy.Lines(text: text, breaks: breaks)
        self.facts = facts
        self.metadata = metadata
        self.headings = headings
        self.captions = captions
        self.menu = menu
        self.byline = byline
        self.lead = lead
        self.metaDescription = metaDescription
        self.articleBody = articleBody
        self.pageBody = pageBody
        self.sectionStrong = sectionStrong
        self.sectionWeak = sectionWeak
        self.attribution = attribution
    }

    mutating func resolve() {
        hostLabels = collectHostLabels()
        titleSegments = Self.segments(metadata["title"] ?? "")
        resolveSiteName()
        mainHeading = findMainHeading()
        resolveBody()
        resolveLinks()
        resolveMenu()
        resolveLead()
        resolveBylineAndAttribution()
        resolveDates()
        resolveSection()
    }

    private func string(_ r: Range<Int>) -> String { Anatomy.string(text, r) }

    private mutating func set(_ scope: Scope, _ ranges: [Range<Int>]) {
        if !ranges.isEmpty { scopes[scope] = ranges }
    }

    // MARK: Site name

    /// Labels of the site's own host names: from the page's URL, og:url, canonical, the host
    /// most linked to, and a logo whose alt text is a domain. "www.thanhnien.com.vn" → "thanhnien".
    private func collectHostLabels() -> [String] {
        var hosts: [String] = []
        for key in ["url", "og:url", "canonical"] {
            if let u = metadata[key] { hosts.append(Self.host(of: u)) }
        }
        if let logo = facts.logoAlt, !logo.contains(" "), logo.contains(".") { hosts.append(logo.lowercased()) }
        var labels: [String] = []
        for host in hosts { labels += Self.labels(of: host) }
        // The hosts most linked to, by label (subdomains of one site add up).
        var votes: [String: Int] = [:]
        for (host, count) in facts.hostVotes {
            for label in Set(Self.labels(of: host)) { votes[label, default: 0] += count }
        }
        let top = votes.filter { $0.value >= 3 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
        labels += top.map(\.key)
        var seen = Set<String>()
        return labels.filter { seen.insert($0).inserted }
    }

    static func host(of url: String) -> String {
        var rest = Anatomy.afterScheme(url.trimmingSpaces())
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0 == ":" }) { rest = rest[..<end] }
        return rest.lowercased()
    }

    private static let genericLabels: Set<String> = ["www", "com", "vn", "net", "org", "edu", "gov", "info", "biz", "co",
                                                     "io", "tv", "mobi", "int", "m", "news"]

    static func labels(of host: String) -> [String] {
        host.split(separator: ".").map { Anatomy.fold(String($0)) }.filter { $0.count >= 2 && !genericLabels.contains($0) }
    }

    /// The parts of a title: "Bài - Mục - Báo" → ["Bài", "Mục", "Báo"].
    static func segments(_ title: String) -> [String] {
        var parts = [Anatomy.collapse(title)]
        for separator in [" | ", " - ", " – ", " — ", " » ", " :: "] {
            parts = parts.flatMap { Anatomy.split($0, by: separator) }
        }
        return parts.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// Whether a title part names the site: it matches a label of the site's host, the initials
    /// of its words do ("Người Lao Động Online" → "nldo" for nld.com.vn), or the logo says it.
    private func isBrand(_ segment: String) -> Bool {
        let f = Anatomy.fold(segment)
        guard f.count >= 2 else { return false }
        if Self.isDomainName(segment) { return true }   // "GenK.vn", "Xinhxinh.com.vn"
        let initials = String(Anatomy.tokens(Anatomy.fold(segment, spaces: true)).compactMap(\.first))
        for label in hostLabels {
            if Anatomy.asciiContains(f, label) || (f.count >= 4 && Anatomy.asciiContains(label, f)) { return true }
            if initials.count >= 3, label.count >= 3, initials.hasPrefix(label) { return true }
        }
        if let logo = facts.logoAlt, f.count >= 4, Anatomy.asciiContains(Anatomy.fold(logo), f) { return true }
        return false
    }

    /// "GenK.vn", "xinhxinh.com.vn": a host name written as a brand.
    static func isDomainName(_ s: String) -> Bool {
        guard s.utf8.contains(0x2E) else { return false }   // no "." at all
        let parts = s.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let last = parts.last,
              ["vn", "com", "net", "org", "info", "biz", "tv", "asia"].contains(String(last)) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" } }
    }

    private mutating func resolveSiteName() {
        if titleSegments.count > 1 {
            for k in Array(1..<titleSegments.count).reversed() + [0] where isBrand(titleSegments[k]) {
                brandSegment = k
                break
            }
        }
        if let og = facts.siteNames.first { siteName = og }
        else if let k = brandSegment { siteName = titleSegments[k] }
        else if let logo = facts.logoAlt.map(Anatomy.collapse), !logo.isEmpty { siteName = logo }
        if let siteName { metadata["site_name"] = siteName }
    }

    // MARK: Headline and body

    /// The article's headline: a heading (h1 first) that the page title repeats.
    private func findMainHeading() -> Range<Int>? {
        let foldedTitle = Anatomy.fold(metadata["title"] ?? "")
        let foldedOG = Anatomy.fold(metadata["og:title"] ?? "")
        let unwanted = Flag.menu | Flag.footer | Flag.boilerplate | Flag.hidden
        let candidates = facts.headings.filter { $0.flags & unwanted == 0 }.sorted { $0.span.lowerBound < $1.span.lowerBound }
        for h1Only in [true, false] {
            for heading in candidates where !h1Only || heading.level == 1 {
                guard let r = trimmed(heading.span, in: text) else { continue }
                let f = Anatomy.fold(string(r))
                guard f.count >= 10 else { continue }
                if Anatomy.asciiContains(foldedTitle, f) || f == foldedOG
                    || (!foldedOG.isEmpty && Anatomy.asciiContains(f, foldedOG)) { return r }
            }
        }
        return nil
    }

    /// The body: itemprop="articleBody", else <article> elements, else a block named like the
    /// article text, else (when the page has a headline) the block with the most paragraph
    /// text, widened to a content-named block around it when that adds little; else the page
    /// less its menus, header, footers and sidebars.
    private mutating func resolveBody() {
        var span: Range<Int>? = nil
        let readable = { (e: ElementFacts) in e.cleanText - e.linkText }
        if let prop = facts.hinted.filter({ $0.hint == .articleBody }).max(by: { $0.cleanText < $1.cleanText }) {
            span = prop.span
        } else if !articleBody.isEmpty {
            body = articleBody
            articleMode = true
        } else if mainHeading != nil {
            let strong = facts.hinted.filter { $0.hint == .strong && readable($0) >= 50 }
            if let densest = facts.densest, let holder = strong.filter({ Self.contains($0.span, densest.span) })
                .min(by: { $0.span.count < $1.span.count }) {
                span = holder.span
            } else if let best = strong.max(by: { $0.score < $1.score }) {
                span = best.span
            } else if let densest = facts.densest, densest.score >= 100 {
                span = densest.span
                textBlock = densest.span
                // A content-named block around the text that adds the headline (and date, lead)
                // but little else.
                if let h = mainHeading, !Self.contains(densest.span, h) {
                    let limit = min(Self.maxHeaderText, densest.cleanText / 2)
                    let wider = facts.hinted.filter {
                        $0.hint == .weak && Self.contains($0.span, densest.span) && Self.contains($0.span, h)
                            && $0.cleanText - densest.cleanText <= limit
                    }
                    if let holder = wider.min(by: { $0.span.count < $1.span.count }) { span = holder.span }
                }
            }
        }
        if let span {
            body = Self.clip(pageBody, to: span, in: text)
            articleMode = !body.isEmpty
        }
        if body.isEmpty { body = pageBody }
        set(.body, body)
    }

    static func contains(_ outer: Range<Int>, _ inner: Range<Int>) -> Bool {
        outer.lowerBound <= inner.lowerBound && inner.upperBound <= outer.upperBound
    }

    /// `ranges` cut to `span`, trimmed.
    static func clip(_ ranges: [Range<Int>], to span: Range<Int>, in text: [UInt8]) -> [Range<Int>] {
        ranges.compactMap { r in
            let c = r.clamped(to: span)
            return c.isEmpty ? nil : trimmed(c, in: text)
        }
    }

    /// Whether `r` lies in the page's readable text (outside menus, footers, sidebars…).
    private func isClean(_ r: Range<Int>) -> Bool {
        var low = 0, high = pageBody.count
        while low < high {
            let mid = (low + high) / 2
            if pageBody[mid].upperBound <= r.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < pageBody.count && pageBody[low].lowerBound <= r.lowerBound && r.upperBound <= pageBody[low].upperBound
    }

    /// Distance in text between two ranges (0 when they touch or overlap).
    static func distance(_ a: Range<Int>, _ b: Range<Int>) -> Int {
        if a.upperBound <= b.lowerBound { return b.lowerBound - a.upperBound }
        if b.upperBound <= a.lowerBound { return a.lowerBound - b.upperBound }
        return 0
    }

    // MARK: Links and menus

    private mutating func resolveLinks() {
        // Sorted arrays and binary search: a page has hundreds of links, and hashing ranges
        // showed in profiles.
        let sortedCaptions = captions.sorted { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        var spans: [Range<Int>] = []
        var scope: [Range<Int>] = []
        var visible = 0
        for link in facts.links {
            guard let r = trimmed(link.span, in: text) else { continue }
            spans.append(r)
            // A link showing only an image's alt text is not a visible link text.
            let at = Self.firstIndex(in: sortedCaptions, notBefore: r.lowerBound) { $0.lowerBound }
            if sortedCaptions[at...].prefix(while: { $0.lowerBound == r.lowerBound }).contains(r) { continue }
            visible += 1
            if lines.isLineBounded(r) { scope.append(r) }
        }
        spans.sort { $0.lowerBound < $1.lowerBound }
        for r in spans {
            if linkStarts.last == r.lowerBound { linkEnds[linkEnds.count - 1] = max(linkEnds[linkEnds.count - 1], r.upperBound) }
            else { linkStarts.append(r.lowerBound); linkEnds.append(r.upperBound) }
        }
        scope.sort { $0.lowerBound < $1.lowerBound }
        var unique: [Range<Int>] = []
        for r in scope where unique.last.map({ r.lowerBound >= $0.upperBound }) ?? true { unique.append(r) }
        set(.link, unique)
        metadata["links"] = String(visible)
    }

    /// The first index of `sorted` whose key is at least `position`.
    private static func firstIndex<T>(in sorted: [T], notBefore position: Int, key: (T) -> Int) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if key(sorted[mid]) < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The line is the text of one link (a related-news item, a ">> read also").
    private func isLinkLine(_ r: Range<Int>) -> Bool {
        let at = Self.firstIndex(in: linkStarts, notBefore: r.lowerBound) { $0 }
        return at < linkStarts.count && linkStarts[at] == r.lowerBound && linkEnds[at] >= r.upperBound
    }

    /// Some link starts inside the line.
    private func hasLink(_ r: Range<Int>) -> Bool {
        let at = Self.firstIndex(in: linkStarts, notBefore: r.lowerBound) { $0 }
        return at < linkStarts.count && linkStarts[at] < r.upperBound
    }

    /// Menu items one range each; separators ("|", "»") are no items.
    private mutating func resolveMenu() {
        let items = lines.lines(in: menu).filter { r in
            text[r].contains { ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) || $0 >= 0xC0 }
        }
        set(.menu, items)
    }

    // MARK: Lead

    /// The marked lead (sapo); else the heading right under the headline ("(Dân trí) - …" in an
    /// h2); else the meta description.
    private mutating func resolveLead() {
        if !lead.isEmpty { set(.lead, lead); return }
        if let h = mainHeading,
           let next = headings.first(where: { $0.lowerBound >= h.upperBound }),
           next.lowerBound - h.upperBound <= 1000, next.count >= 60, isClean(next) {
            set(.lead, [next])
            return
        }
        set(.lead, Array(metaDescription.prefix(1)))
    }

    // MARK: Byline and source line

    /// Whether a meta author names a person: not the CMS (generator), not a domain, not the site.
    private func isPersonAuthor(_ value: String) -> Bool {
        let v = Anatomy.collapse(value)
        guard !v.isEmpty, v.count <= 120 else { return false }
        if !v.contains(" ") && v.contains(".") { return false }
        let f = Anatomy.fold(v)
        if let generator = facts.generator, Anatomy.fold(generator) == f { return false }
        if let copyright = facts.copyright, Anatomy.fold(copyright) == f { return false }
        if let siteName, Anatomy.fold(siteName) == f { return false }
        for label in hostLabels where label.count >= 3 && (f == label || Anatomy.asciiContains(f, label)) { return false }
        return true
    }

    private mutating func resolveBylineAndAttribution() {
        var bylines: [Range<Int>] = []
        var author: String? = nil
        let metaRanges = facts.metaAuthors.compactMap { a in a.range.map { ($0, a.value) } }
        let jsonRanges = facts.jsonAuthors.compactMap(\.range)
        var markupAuthor: String? = nil
        for r in byline {
            if let meta = metaRanges.first(where: { $0.0.overlaps(r) }) {
                if isPersonAuthor(meta.1) { bylines.append(r) }
                continue
            }
            if jsonRanges.contains(where: { $0.overlaps(r) }) { bylines.append(r); continue }
            // An author box may hold more than the name (dates, counters, rating menus): keep
            // its name-like lines, profile links first.
            let boxLines = lines.lines(in: r)
            if r.count <= 200 && boxLines.count <= 3 {
                bylines.append(r)
                if markupAuthor == nil { markupAuthor = string(r) }
            } else if let name = boxLines.first(where: { isLinkLine($0) && Anatomy.isNameLike(string($0)) })
                        ?? boxLines.first(where: { Anatomy.isNameLike(string($0)) }) {
                // The first name in the box (its profile link if there is one); the rest is
                // counters and menus.
                bylines.append(name)
                if markupAuthor == nil { markupAuthor = string(name) }
            }
        }
        author = facts.metaAuthors.first(where: { isPersonAuthor($0.value) })?.value ?? facts.jsonAuthors.first?.value ?? markupAuthor

        var sources: [(range: Range<Int>, text: String)] = []
        // Elements named "source"/"nguon": their source lines, or their one short capitalised line.
        for r in attribution {
            let sourceLines = lines.lines(in: r)
            for line in sourceLines {
                let s = string(line)
                if let a = Anatomy.attributionText(s, position: .closing) { sources.append((line, a)) }
                else if sourceLines.count == 1, Anatomy.tokenCount(s) <= 6, s.first?.isUppercase == true,
                        !s.contains(where: { $0.isNumber }) { sources.append((line, s)) }
            }
        }
        if articleMode {
            let bodyLines = lines.lines(in: textBlock.map { Self.clip(body, to: $0, in: text) } ?? body)
            // "Nguồn: …" anywhere in the article; short "Theo …" lines without a comma.
            for line in bodyLines where line.count <= 600 && Self.mayStartSource(text[line.lowerBound])
                && Self.mayHeadSource(text, line) {
                if let a = Anatomy.attributionText(string(line), position: .anywhere) { sources.append((line, a)) }
            }
            let (closing, closingSources) = closingLines(bodyLines)
            sources += closingSources
            if let closing {
                if !bylines.contains(where: { $0.overlaps(closing.range) }) { bylines.append(closing.range) }
                if author == nil { author = closing.name }
            }
        }
        bylines.sort { $0.lowerBound < $1.lowerBound }
        var uniqueBylines: [Range<Int>] = []
        for r in bylines where uniqueBylines.last.map({ r.lowerBound >= $0.upperBound }) ?? true { uniqueBylines.append(r) }
        set(.byline, uniqueBylines)
        if let author { metadata["author"] = Anatomy.collapse(author) }

        sources.sort { $0.range.lowerBound < $1.range.lowerBound }
        var uniqueSources: [(range: Range<Int>, text: String)] = []
        for s in sources where uniqueSources.last.map({ s.range.lowerBound >= $0.range.upperBound }) ?? true {
            uniqueSources.append(s)
        }
        set(.attribution, uniqueSources.map(\.range))
        if let last = uniqueSources.last { metadata["attribution"] = last.text }
    }

    /// First bytes of "Theo", "Nguồn", "Source", "(TTXVN)": other lines need no closer look.
    static func mayStartSource(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return l == 0x74 || l == 0x6E || l == 0x73 || b == 0x28   // t n s (
    }

    /// Bytes test behind `Anatomy.attributionText(_, position: .anywhere)`: a line can name a
    /// source only if it starts (case aside) with "theo", "ngu" (nguồn/nguon), "source", "ttxvn"
    /// or "(" — or with a byte this test does not judge (non-ASCII).
    static func mayHeadSource(_ text: [UInt8], _ r: Range<Int>) -> Bool {
        var i = r.lowerBound
        while i < r.upperBound, text[i] == 0x20 || (text[i] >= 0x09 && text[i] <= 0x0D) { i += 1 }
        guard i < r.upperBound else { return true }
        if text[i] >= 0x80 || text[i] == 0x28 { return true }
        func starts(_ word: StaticString) -> Bool {
            let n = word.utf8CodeUnitCount
            guard r.upperBound - i >= n else { return false }
            let w = word.utf8Start
            for k in 0..<n where text[i + k] | 0x20 != w[k] { return false }
            return true
        }
        return starts("theo") || starts("ngu") || starts("source") || starts("ttxvn")
    }

    /// The signature and source lines closing the article: read upwards from the body's last
    /// line over related links, photo credits and at most two short link lines ("… tại đây"),
    /// then the first lines after the body (some pages sign outside the text block).
    private func closingLines(_ bodyLines: [Range<Int>]) -> ((range: Range<Int>, name: String)?, [(range: Range<Int>, text: String)]) {
        var sources: [(range: Range<Int>, text: String)] = []
        var k = bodyLines.count - 1
        var steps = 0, linkSkips = 0
        while k >= 0, steps < 12 {
            let r = bodyLines[k]
            let s = string(r)
            k -= 1
            steps += 1
            if isLinkLine(r) || s.hasPrefix(">>") || s.hasPrefix("»") || !s.contains(where: { $0.isLetter }) { continue }
            switch Anatomy.classifyClosing(s) {
            case .attribution(let source, _):
                sources.append((r, source))
            case .photoCredit:
                continue
            case .byline(let name, let source):
                // A short line under "Theo …" goes on with the source ("Theo Minh Nguyễn/Vcamp.vn" / "Forbes").
                if k >= 0, case .attribution(_, true) = Anatomy.classifyClosing(string(bodyLines[k])) { continue }
                if let source { sources.append((r, source)) }
                return ((r, name), sources)
            case .other:
                if hasLink(r), r.count <= 200, linkSkips < 2 { linkSkips += 1; continue }
                return (after(bodyLines, sources: &sources), sources)
            }
        }
        return (after(bodyLines, sources: &sources), sources)
    }

    /// The first lines after the body: a signature of two words or more, or source lines.
    private func after(_ bodyLines: [Range<Int>], sources: inout [(range: Range<Int>, text: String)]) -> (range: Range<Int>, name: String)? {
        guard let end = bodyLines.last?.upperBound else { return nil }
        var seen = 0
        for block in pageBody where block.upperBound > end {
            let start = max(block.lowerBound, end)
            for line in lines.lines(in: start..<block.upperBound) {
                seen += 1
                if seen > 3 { return nil }
                let s = string(line)
                if isLinkLine(line) { continue }
                switch Anatomy.classifyClosing(s) {
                case .attribution(let source, _): sources.append((line, source))
                case .byline(let name, let source) where Anatomy.tokenCount(name) >= 2:
                    if let source { sources.append((line, source)) }
                    return (line, name)
                case .photoCredit: continue
                default: return nil
                }
            }
        }
        return nil
    }

    // MARK: Dates

    /// `published`: article:published_time, JSON-LD datePublished, itemprop datePublished,
    /// meta pubdate/date, in that order (values as written); else the date shown next to the
    /// headline, as YYYY-MM-DD with the shown text in `published_text`.
    private mutating func resolveDates() {
        if let best = facts.published.enumerated().min(by: { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }) {
            metadata["published"] = Anatomy.collapse(best.element.value)
            return
        }
        guard articleMode, let h = mainHeading else { return }
        let unwanted = Flag.menu | Flag.footer | Flag.boilerplate | Flag.hidden
        var best: (distance: Int, day: Day, raw: String)? = nil
        func consider(_ distance: Int, _ raw: String) {
            guard best.map({ distance < $0.distance }) ?? true, !Anatomy.isEnglishDateLine(raw),
                  let day = Anatomy.parseDate(raw) else { return }
            best = (distance, day, raw)
        }
        // Elements named for a date first, the nearest to the headline.
        for d in facts.dates where d.flags & unwanted == 0 {
            let distance = Self.distance(d.span, h)
            guard distance <= Self.headerWindowAfter else { continue }
            if let attribute = d.attribute { consider(distance, attribute); continue }
            if let r = trimmed(d.span, in: text), r.count <= 150, best.map({ distance < $0.distance }) ?? true,
               hasDigit(r) { consider(distance, string(r)) }
        }
        // Else unmarked date lines near the headline ("Thứ Ba, 25/12/2012 - 10:03").
        if best == nil {
            let window = max(0, h.lowerBound - Self.headerWindowBefore)..<min(text.count, h.upperBound + Self.headerWindowAfter)
            for block in pageBody where block.overlaps(window) {
                for line in lines.lines(in: block.clamped(to: window)) where line.count <= 100 && hasDigit(line) {
                    // A date line, not a sentence that mentions a date.
                    guard best.map({ Self.distance(line, h) < $0.distance }) ?? true else { continue }
                    let s = string(line)
                    guard Anatomy.tokenCount(s) <= 8, !s.hasSuffix(".") else { continue }
                    consider(Self.distance(line, h), s)
                }
            }
        }
        if let best {
            metadata["published"] = best.day.description
            metadata["published_text"] = best.raw
        }
    }

    /// `Anatomy.parseDate` finds dates only in text with an ASCII digit.
    private func hasDigit(_ r: Range<Int>) -> Bool {
        text[r].contains { $0 >= 0x30 && $0 <= 0x39 }
    }

    // MARK: Section

    /// The breadcrumb's last item (home and site-name items and the headline left out); else a
    /// category label next to the headline; else an unmarked "Trang chủ › …" trail; else a link
    /// above the headline that the title also names; else JSON-LD's breadcrumb, else the first
    /// segment of the page's URL path.
    private mutating func resolveSection() {
        var excluded = Set<String>()
        if let siteName { excluded.insert(Anatomy.fold(siteName)) }
        if let k = brandSegment { excluded.insert(Anatomy.fold(titleSegments[k])) }
        if let h = mainHeading { excluded.insert(Anatomy.fold(string(h))) }
        if let t = metadata["og:title"] { excluded.insert(Anatomy.fold(t)) }
        sectionExcluded = excluded
        var items = lines.lines(in: sectionStrong).filter(isSectionItem)
        if items.isEmpty, let h = mainHeading {
            var groups: [(distance: Int, items: [Range<Int>])] = []
            for group in sectionWeak {
                let distance = Self.distance(group, h)
                guard distance <= Self.headerWindowBefore else { continue }
                let groupItems = lines.lines(in: group).filter(isSectionItem)
                if !groupItems.isEmpty { groups.append((distance, groupItems)) }
            }
            if let nearest = groups.min(by: { $0.distance < $1.distance }) { items = nearest.items }
        }
        if items.isEmpty, let h = mainHeading { items = homeTrail(before: h) }
        if items.isEmpty, let h = mainHeading { items = titleNamedLink(before: h) }
        set(.section, items)
        if let last = items.last {
            metadata["section"] = string(last)
        } else if let crumb = facts.jsonBreadcrumb.last(where: { isSectionName($0) }) {
            metadata["section"] = crumb
        } else if let segment = Self.firstPathSegment(metadata["url"]) {
            metadata["section"] = segment
        }
    }

    private static let homeNames: Set<String> = ["trang chu", "home", "trang nhat", "homepage", "trang chinh"]

    private func isSectionName(_ s: String) -> Bool {
        var letters = 0
        for c in s where c.isLetter {
            letters += 1
            if letters >= 2 { break }
        }
        guard letters >= 2, !s.hasSuffix(":"), Anatomy.tokenCount(s) <= 12 else { return false }
        let spaced = Anatomy.fold(s, spaces: true)
        if Self.homeNames.contains(spaced) { return false }
        let f = Anatomy.fold(s)
        // The site name, the title's brand part, the headline, og:title (folded once).
        if sectionExcluded.contains(f) { return false }
        if s.contains("."), isBrand(s) { return false }   // "xinhxinh.com.vn"
        return true
    }

    private func isSectionItem(_ r: Range<Int>) -> Bool { isSectionName(string(r)) }

    /// Links of one parent block starting with "Trang chủ"/"Home", above the headline.
    private func homeTrail(before h: Range<Int>) -> [Range<Int>] {
        let links = facts.links.filter { $0.span.upperBound <= h.lowerBound && h.lowerBound - $0.span.upperBound <= Self.headerWindowBefore }
        guard let home = links.lastIndex(where: { link in
            trimmed(link.span, in: text).map { Self.homeNames.contains(Anatomy.fold(string($0), spaces: true)) } ?? false
        }) else { return [] }
        var items: [Range<Int>] = []
        for link in links[(home + 1)...] {
            guard link.parent == links[home].parent else { break }
            if let r = trimmed(link.span, in: text), lines.isLineBounded(r), isSectionItem(r) { items.append(r) }
        }
        return items
    }

    /// A link above the headline whose text is a middle part of the title ("… | Pháp luật | …").
    private func titleNamedLink(before h: Range<Int>) -> [Range<Int>] {
        let names = titleSegments.enumerated().filter { $0.offset != brandSegment && $0.offset > 0 }
            .map { Anatomy.fold($0.element) }.filter { $0.count >= 2 }
        guard !names.isEmpty else { return [] }
        let unwanted = Flag.menu | Flag.footer | Flag.boilerplate
        for link in facts.links.reversed() where link.span.upperBound <= h.lowerBound && link.flags & unwanted == 0 {
            guard h.lowerBound - link.span.upperBound <= Self.headerWindowBefore else { break }
            if let r = trimmed(link.span, in: text), lines.isLineBounded(r), names.contains(Anatomy.fold(string(r))) {
                return [r]
            }
        }
        return []
    }

    /// "http://x.vn/suc-khoe/bai-viet.htm" → "suc-khoe": a slug followed by more path.
    static func firstPathSegment(_ url: String?) -> String? {
        guard let url else { return nil }
        var rest = Anatomy.afterScheme(url.trimmingSpaces())
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        rest = rest[rest.index(after: slash)...]
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, let first = parts.first, first.count >= 2, !parts[1].isEmpty else { return nil }
        guard first.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }) else { return nil }
        let digits = first.filter(\.isNumber).count
        guard first.contains(where: \.isLetter), digits * 2 < first.count else { return nil }
        return String(first).lowercased()
    }
}
