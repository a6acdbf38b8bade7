/// What the extractor needs to know about a tag name. Anything not listed is an inline element.
struct TagInfo {
    let id: Int32
    let name: [UInt8]
    let props: TagProps
    /// Scopes the element always contributes (h1 → heading); attributes can add more.
    let flags: UInt32
}

struct TagProps: OptionSet {
    let rawValue: UInt32
    /// Never has content or an end tag (img, br, meta).
    static let void = TagProps(rawValue: 1 << 0)
    /// Starts and ends a line in the extracted text.
    static let block = TagProps(rawValue: 1 << 1)
    /// Content is not page text (script, style): skipped up to the end tag.
    static let skip = TagProps(rawValue: 1 << 2)
    /// An unclosed one swallows the rest of the page, as in a browser; other skipped elements
    /// left unclosed are ignored instead, so one stray tag cannot hide a whole article.
    static let skipToEnd = TagProps(rawValue: 1 << 3)
    /// HTML5 "special" elements: they stop the implied closing of li/dd/dt.
    static let special = TagProps(rawValue: 1 << 4)
    /// Boundaries of HTML5 "has an element in scope".
    static let scopeBoundary = TagProps(rawValue: 1 << 5)
    static let buttonBoundary = TagProps(rawValue: 1 << 6)
    static let tableBoundary = TagProps(rawValue: 1 << 7)
    /// Special elements that still let an li/dd/dt above them be closed.
    static let listExempt = TagProps(rawValue: 1 << 8)
    /// Starting one closes an open <p>.
    static let closesP = TagProps(rawValue: 1 << 9)
    /// May appear in <head> without ending it.
    static let headContent = TagProps(rawValue: 1 << 10)
    /// End tags are checked against table scope rather than element scope.
    static let tablePart = TagProps(rawValue: 1 << 11)
    static let heading = TagProps(rawValue: 1 << 12)
}

/// Bits for the scopes an element or inserted block contributes.
enum Flag {
    static let title: UInt32 = 1 << 0
    static let heading: UInt32 = 1 << 1
    static let paragraph: UInt32 = 1 << 2
    static let caption: UInt32 = 1 << 3
    static let menu: UInt32 = 1 << 4
    static let footer: UInt32 = 1 << 5
    static let header: UInt32 = 1 << 6
    static let byline: UInt32 = 1 << 7
    static let lead: UInt32 = 1 << 8
    static let article: UInt32 = 1 << 9
    static let head: UInt32 = 1 << 10
    /// Text that goes into the meta scope (meta description, og:*).
    static let meta: UInt32 = 1 << 11
    /// Text a reader never sees (meta author); kept out of body.
    static let hidden: UInt32 = 1 << 12
    static let ogTitle: UInt32 = 1 << 13
    static let metaDescription: UInt32 = 1 << 14
    /// Sidebars, related-news boxes, comments, share and tag boxes: never body.
    static let boilerplate: UInt32 = 1 << 15
    /// A breadcrumb (class/id "breadcrumb", itemtype/itemprop BreadcrumbList).
    static let sectionStrong: UInt32 = 1 << 16
    /// A category label ("cate", "category", "chuyenmuc"): a section only near the headline.
    static let sectionWeak: UInt32 = 1 << 17
    /// A source line's element (class/id "source", "nguon").
    static let attribution: UInt32 = 1 << 18
    /// An element that may hold the publication date (class/id "date", "time", "publish",
    /// itemprop datePublished). Not a scope: only remembered for the date.
    static let date: UInt32 = 1 << 19
    /// Inside the site's logo (class/id "logo"); not a scope.
    static let logo: UInt32 = 1 << 20
    static let count = 21

    /// Links under any of these are items, one per line.
    static let itemized: UInt32 = menu | sectionStrong | sectionWeak
    /// Text under any of these is never the page's body.
    static let bodyExcluded: UInt32 = menu | footer | header | head | title | hidden | meta | boilerplate
}

enum Tags {
    // Ids of the tags the tokenizer treats specially; the rest get ids after these.
    static let html: Int32 = 0, head: Int32 = 1, body: Int32 = 2, title: Int32 = 3, meta: Int32 = 4,
               link: Int32 = 5, img: Int32 = 6, p: Int32 = 7, li: Int32 = 8, dd: Int32 = 9, dt: Int32 = 10,
               tr: Int32 = 11, td: Int32 = 12, th: Int32 = 13, a: Int32 = 14, br: Int32 = 15, option: Int32 = 16,
               button: Int32 = 17
    private static let fixed = ["html", "head", "body", "title", "meta", "link", "img", "p", "li", "dd", "dt",
                                "tr", "td", "th", "a", "br", "option", "button"]

    static let known: [String: TagInfo] = {
        var props: [String: TagProps] = [:]
        var flags: [String: UInt32] = [:]
        func add(_ names: [String], _ p: TagProps) { for n in names { props[n, default: []].formUnion(p) } }

        add(["area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
             "meta", "param", "source", "track", "wbr", "frame"], .void)
        add(["address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
             "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset",
             "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "legend", "li", "main",
             "menu", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
             "thead", "title", "tr", "ul", "select", "textarea", "iframe", "noscript", "template", "video", "audio",
             "caption", "colgroup", "optgroup", "listing", "plaintext", "xmp", "search", "marquee", "object"], .block)
        add(["script", "style", "noscript", "template", "svg", "iframe", "textarea", "xmp", "noembed", "noframes"], .skip)
        add(["script", "style", "xmp"], .skipToEnd)
        add(["address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body",
             "br", "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed",
             "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
             "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing",
             "main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param",
             "plaintext", "pre", "script", "search", "section", "select", "source", "style", "summary", "table", "tbody",
             "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp"], .special)
        add(["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"], .scopeBoundary)
        add(["button"], .buttonBoundary)
        add(["html", "table", "template"], .tableBoundary)
        add(["address", "div", "p", "li", "dd", "dt"], .listExempt)
        add(["address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd", "dt",
             "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
             "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext", "pre", "search",
             "section", "summary", "table", "ul", "xmp"], .closesP)
        add(["title", "meta", "link", "script", "style", "base", "basefont", "bgsound", "noscript", "template"], .headContent)
        add(["table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"], .tablePart)
        add(["h1", "h2", "h3", "h4", "h5", "h6"], .heading)

        for h in ["h1", "h2", "h3", "h4", "h5", "h6"] { flags[h] = Flag.heading }
        flags["p"] = Flag.paragraph
        flags["li"] = Flag.paragraph
        flags["figcaption"] = Flag.caption
        flags["nav"] = Flag.menu
        flags["footer"] = Flag.footer
        flags["header"] = Flag.header
        flags["article"] = Flag.article
        flags["head"] = Flag.head
        for n in ["span", "a", "b", "i", "em", "strong", "font", "u", "small", "big", "label", "sup", "sub", "abbr",
                  "cite", "code", "time", "mark", "q", "s", "strike", "tt", "var", "ins", "del", "kbd", "samp",
                  "math", "picture", "canvas", "map", "dfn", "bdi", "bdo", "ruby", "rt", "rp", "data", "output",
                  "progress", "meter", "nobr", "applet", "embed", "frame"] where props[n] == nil {
            props[n] = []
        }

        var table: [String: TagInfo] = [:]
        var next = Int32(fixed.count)
        let ordered = fixed + props.keys.filter { !fixed.contains($0) }.sorted()
        for name in ordered {
            let id: Int32
            if let fixedIndex = fixed.firstIndex(of: name) { id = Int32(fixedIndex) } else { id = next; next += 1 }
            table[name] = TagInfo(id: id, name: Array(name.utf8), props: props[name] ?? [], flags: flags[name] ?? 0)
        }
        return table
    }()

    static let knownCount = Int32(known.count)
    static let script = known["script"]!.id
    static let time = known["time"]!.id
}
