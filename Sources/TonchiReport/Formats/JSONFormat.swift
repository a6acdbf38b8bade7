import Foundation
import TonchiScan

public enum JSONFormat {
    /// Stable, pretty JSON (sorted keys) so outputs diff cleanly between scans.
    public static func render<Report: Encodable>(_ report: Report) -> String {
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes a scan report with the same bytes as `render`, one page at a time: JSONEncoder holds
    /// a whole tree of what it encodes, which for a large dump took several times the memory of
    /// the report itself.
    public static func write(_ report: ScanReport, to sink: (String) -> Void) {
        // Encode the report without its sites, then splice the sites in where the empty array is;
        // each site likewise without its pages. Pretty output of a nested value is its own pretty
        // output indented, so the pieces join into what one encode would give.
        let sitesSlot = "\n  \"sites\" : [\n\n  ]"
        let skeleton = encoded(report.withSites([]), indent: 0)
        guard !report.sites.isEmpty, let slot = skeleton.range(of: sitesSlot) else { return sink(render(report)) }
        sink(String(skeleton[..<slot.lowerBound]) + "\n  \"sites\" : [")
        let pagesSlot = "\n      \"pages\" : [\n\n      ]"
        for (index, site) in report.sites.enumerated() {
            sink(index == 0 ? "\n    " : ",\n    ")
            let siteSkeleton = encoded(site.withPages([]), indent: 4)
            guard !site.pages.isEmpty, let pages = siteSkeleton.range(of: pagesSlot) else { sink(siteSkeleton); continue }
            sink(String(siteSkeleton[..<pages.lowerBound]) + "\n      \"pages\" : [")
            for (number, page) in site.pages.enumerated() {
                sink((number == 0 ? "\n        " : ",\n        ") + encoded(page, indent: 8))
            }
            sink("\n      ]" + siteSkeleton[pages.upperBound...])
        }
        sink("\n  ]" + skeleton[slot.upperBound...] + "\n")
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Pretty JSON of `value` as it reads nested `indent` spaces deep (strings never hold a raw
    /// line break, so every line after the first is indentation plus content).
    private static func encoded<Value: Encodable>(_ value: Value, indent: Int) -> String {
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.count + data.count / 4)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            for index in raw.indices {
                bytes.append(raw[index])
                // The blank line inside an empty array or object stays blank.
                if raw[index] == 0x0A, index + 1 < raw.count, raw[index + 1] != 0x0A {
                    bytes.append(contentsOf: repeatElement(0x20, count: indent))
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
