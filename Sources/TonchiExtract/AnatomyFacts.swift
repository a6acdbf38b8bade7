// What the HTML reader notices on its single pass for the page anatomy (body block, links, dates,
// logo, meta candidates). Positions are in the extracted text; `AnatomyResolver` turns the facts
// into scopes and metadata once the text is complete.

/// A closed element the body may be: its text span and how much readable text it holds.
struct ElementFacts {
    /// Extracted-text span from the element's start tag to its end.
    var span: Range<Int>
    /// Bytes of its text outside menus, footers, sidebars and hidden parts.
    var cleanText: Int
    /// Of those, bytes inside links.
    var linkText: Int
    /// Readability-style score: paragraph text of its child blocks, half of its grandchildren's,
    /// lowered by link density.
    var score: Double
    /// How strongly its class/id names it the article text (see `ContentHint`).
    var hint: ContentHint
}

/// Class/id and itemprop names of article-text containers, by trust.
enum ContentHint: UInt8, Comparable {
    case none = 0
    /// "content", "detail", "main-content": also used for page-wide wrappers.
    case weak = 1
    /// "fck_detail", "article-body", "entry-content", "noidung", …: article text by convention.
    case strong = 2
    /// itemprop="articleBody".
    case articleBody = 3

    static func < (a: ContentHint, b: ContentHint) -> Bool { a.rawValue < b.rawValue }
}

/// A link (`<a>`) and where it sits.
struct LinkFacts {
    var span: Range<Int>
    /// Serial number of the nearest enclosing block element (links of one breadcrumb share it).
    var parent: Int32
    /// Scope flags in force around the link (menu, footer, boilerplate…).
    var flags: UInt32
}

/// A heading element with its level.
struct HeadingFacts {
    var level: Int
    var span: Range<Int>
    var flags: UInt32
}

/// An element named like a date holder, or a `<time datetime>`.
struct DateFacts {
    var span: Range<Int>
    var flags: UInt32
    /// The machine-readable value (`datetime` or `content` attribute), when there is one.
    var attribute: String?
}

/// A value for `published` and how much it is trusted (lower is better).
struct DateCandidate {
    var priority: Int
    var value: String

    static let articlePublishedTime = 1
    static let jsonLD = 2
    static let itemprop = 3
    static let metaDate = 4
}

/// An author named in the head (meta author) or in JSON-LD, and its range in the text (hidden).
struct NamedAuthor {
    var value: String
    var range: Range<Int>?
}

struct PageFacts {
    /// The block with the best paragraph score.
    var densest: ElementFacts? = nil
    /// Elements with a content hint, in closing order (capped).
    var hinted: [ElementFacts] = []
    var links: [LinkFacts] = []
    var headings: [HeadingFacts] = []
    var dates: [DateFacts] = []
    var published: [DateCandidate] = []
    var logoAlt: String? = nil
    /// Hosts of absolute link targets, to tell the site's own host.
    var hostVotes: [String: Int] = [:]
    var siteNames: [String] = []
    var generator: String? = nil
    var copyright: String? = nil
    var metaAuthors: [NamedAuthor] = []
    var jsonAuthors: [NamedAuthor] = []
    var jsonBreadcrumb: [String] = []

    static let maxHinted = 2048
    static let maxDates = 512
    static let maxHosts = 256
    static let maxJSONAuthors = 64
}
