import TonchiCore
import TonchiExtract
import TonchiMatch
import TonchiNormalize

/// One document made ready for matching: its extracted text, the normalized views, and every
/// scope carried into view coordinates. Views are built once and shared by all rules.
public final class PreparedDocument {
    public let name: String
    public let extracted: ExtractedDocument
    public let normalized: NormalizedText
    public let diacriticFree: NormalizedText?
    let scan: DocumentScan
    /// Scope ranges per view, indexed by `Scope.allCases` position (normalized view first).
    private var scopeCache = [[Range<Int>]?](repeating: nil, count: 2 * scopes.count)
    private static let scopes = Scope.allCases
    private lazy var words = normalized.bytes.withUnsafeBufferPointer { WordIndex($0) }
    private(set) lazy var locator = Locator(document: extracted)


    public convenience init(name: String, extracted: ExtractedDocument, database: MatchDatabase, usePrefilter: Bool = true) {
        let views = Self.views(of: extracted, for: database)
        self.init(name: name, extracted: extracted, normalized: views.normalized, diacriticFree: views.diacriticFree,
                  database: database, usePrefilter: usePrefilter)
    }

    /// For callers that normalize ahead of time (benchmarks timing the matcher alone).
    public init(name: String, extracted: ExtractedDocument, normalized: NormalizedText, diacriticFree: NormalizedText?,
                database: MatchDatabase, usePrefilter: Bool = true) {
        self.name = name
        self.extracted = extracted
        self.normalized = normalized
        self.diacriticFree = diacriticFree
        scan = DocumentScan(database: database, normalized: normalized.bytes, diacriticFree: diacriticFree?.bytes,
                            usePrefilter: usePrefilter)
    }

    /// The normalized view, and the diacritic-free one only when some rule asks for it.
    public static func views(of extracted: ExtractedDocument, for database: MatchDatabase) -> (normalized: NormalizedText, diacriticFree: NormalizedText?) {
        (NormalizedText(normalizing: extracted.text),
         database.needsDiacriticFreeView ? NormalizedText(normalizing: extracted.text, options: .stripDiacritics) : nil)
    }

    func view(diacriticFree flag: Bool) -> NormalizedText { flag ? diacriticFree ?? normalized : normalized }

    /// Ranges of `scope` in the chosen view. Unstructured input (plain text, Markdown) has only a
    /// body, so the document scopes it lacks fall back to body.
    func ranges(of scope: Scope, diacriticFree flag: Bool) -> [Range<Int>] {
        let key = Self.scopes.firstIndex(of: scope)! + (flag ? Self.scopes.count : 0)
        if let cached = scopeCache[key] { return cached }
        var source = extracted.scopes[scope]
        if source == nil, !extracted.structured, ![.url, .domain, .meta, .section, .link].contains(scope), !scope.isSiteScope {
            source = extracted.scopes[.body]
        }
        let map = view(diacriticFree: flag).map
        let ranges = (source ?? []).map { map.derivedRange(forSource: $0) }.filter { !$0.isEmpty }
        scopeCache[key] = ranges
        return ranges
    }

    /// The first of `scopes` holding `position` of the chosen view.
    func scope(holding position: Int, among scopes: [Scope], diacriticFree flag: Bool) -> Scope? {
        scopes.first { scope in ranges(of: scope, diacriticFree: flag).contains { $0.contains(position) } }
    }

    /// Words of the normalized body, the base of densities and `words`.
    var bodyWordCount: Int {
        ranges(of: .body, diacriticFree: false).reduce(0) { $0 + words.count(in: $1) }
    }

    func wordCount(in ranges: [Range<Int>], diacriticFree flag: Bool) -> Int {
        guard flag, let diacriticFree else { return ranges.reduce(0) { $0 + words.count(in: $1) } }
        // Both views have the same words; count in the normalized one through the original text.
        return ranges.reduce(0) { total, range in
            let extractedRange = diacriticFree.map.sourceRange(of: range)
            return total + words.count(in: normalized.map.derivedRange(forSource: extractedRange))
        }
    }

    /// Word ordinal of a hit's start, counted from the start of the scope range holding it.
    func wordOrdinal(of hit: Range<Int>, within ranges: [Range<Int>], diacriticFree flag: Bool) -> (ordinal: Int, fromScopeStart: Int) {
        var position = hit.lowerBound, scopeStart = ranges.first { $0.contains(hit.lowerBound) }?.lowerBound ?? 0
        if flag, let diacriticFree {
            position = normalized.map.derivedPosition(forSource: diacriticFree.map.sourceRange(of: hit).lowerBound)
            scopeStart = normalized.map.derivedPosition(forSource: diacriticFree.map.sourceRange(of: scopeStart..<scopeStart).lowerBound)
        }
        let ordinal = words.ordinal(ofWordAtOrAfter: position)
        return (ordinal, ordinal - words.ordinal(ofWordAtOrAfter: scopeStart))
    }

    /// Original byte range of a hit in a view.
    public func originalRange(of hit: Range<Int>, diacriticFree flag: Bool) -> Range<Int> {
        extracted.map.sourceRange(of: view(diacriticFree: flag).map.sourceRange(of: hit))
    }
}
