import Foundation
#if canImport(FoundationXML)
import FoundationXML   // XMLParser: libxml2 underneath
#endif
import ZIPFoundation

/// Word documents (.docx): Vietnamese newsrooms draft in Word. The text of `word/document.xml`
/// becomes plain text, one paragraph a line with a blank line between paragraphs, so the rest of
/// the pipeline (and inline suppressions written as lines) works as for a .txt draft. Evidence
/// offsets then point into that text, not into the zip (a note says so).
public enum DOCX {
    public static let note = "converted from DOCX: offsets and lines refer to the document's text, one paragraph a line"

    /// A zip holding `word/document.xml`.
    public static func looksLikeDOCX(_ bytes: [UInt8]) -> Bool {
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return false }
        let needle = Array("word/document.xml".utf8)
        let limit = min(bytes.count, 1 << 20)
        guard limit >= needle.count else { return false }
        for i in 0...(limit - needle.count) where bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
        // The name may only be in the central directory at the end.
        let tail = max(0, bytes.count - (1 << 16))
        guard bytes.count - tail >= needle.count else { return false }
        for i in tail...(bytes.count - needle.count) where bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) { return true }
        return false
    }

    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The document's text as UTF-8: paragraphs (`w:p`) on their own lines, tabs and line breaks kept.
    public static func text(_ bytes: [UInt8], maxBytes: Int = 64 << 20) throws -> [UInt8] {
        let archive: Archive
        do { archive = try Archive(data: Data(bytes), accessMode: .read) } catch {
            throw ReadError(description: "not a readable DOCX (zip): \(error)")
        }
        guard let entry = archive["word/document.xml"] else {
            throw ReadError(description: "not a DOCX: no word/document.xml in the zip")
        }
        guard entry.uncompressedSize <= UInt64(maxBytes) else {
            throw ReadError(description: "word/document.xml is \(entry.uncompressedSize) bytes, over the cap of \(maxBytes)")
        }
        var xml = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in xml.append(chunk) }
        } catch {
            throw ReadError(description: "cannot unzip word/document.xml: \(error)")
        }
        return try paragraphs(xml)
    }

    /// WordprocessingML to text (exposed for tests).
    public static func paragraphs(_ xml: Data) throws -> [UInt8] {
        let reader = Reader()
        let parser = XMLParser(data: xml)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse() else {
            throw ReadError(description: "word/document.xml is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        var lines = reader.paragraphs
        while lines.last?.isEmpty == true { lines.removeLast() }
        return Array(lines.joined(separator: "\n\n").utf8) + (lines.isEmpty ? [] : [0x0A])
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var paragraphs: [String] = []
        var current = ""
        var inText = false
        var depthInParagraph = 0

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            switch name {
            case "w:p": depthInParagraph += 1
            case "w:t": inText = true
            case "w:tab": current += "\t"
            case "w:br", "w:cr": current += " "
            default: break
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "w:t": inText = false
            case "w:p":
                depthInParagraph -= 1
                if depthInParagraph == 0 {
                    let line = current.trimmingCharacters(in: .whitespaces)
                    if !line.isEmpty { paragraphs.append(line) }
                    current = ""
                }
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }
    }
}
