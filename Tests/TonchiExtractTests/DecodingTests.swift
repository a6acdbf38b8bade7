import Foundation
import XCTest
import TonchiCore
import TonchiExtract
import TonchiTestSupport

/// The decoding step in front of extraction: every offset must still point at the original bytes,
/// whatever the encoding. Real pages come from the shared corpus; byte samples of legacy
/// encodings were made with Python's codecs and glibc's iconv (see `Samples` at the end).
final class DecodingTests: XCTestCase {

    // MARK: UTF-8 stays as it is

    func testValidUTF8PagesComeBackUntouched() throws {
        for page in try pages() where page.encodingState == "utf-8" {
            let bytes = try htmlBytes(page.file)
            let decoded = SourceDecoder.decode(bytes, declaredCharset: nil, isHTML: true)
            XCTAssertTrue(decoded.isIdentity, page.file)
            XCTAssertEqual(decoded.encoding, "utf-8", page.file)
            XCTAssertEqual(decoded.notes, [], page.file)
            XCTAssertEqual(decoded.map, OffsetMap.identity(length: bytes.count), page.file)
            // Not a copy: the same storage comes back.
            XCTAssertEqual(bytes.withUnsafeBufferPointer { $0.baseAddress }, decoded.utf8.withUnsafeBufferPointer { $0.baseAddress }, page.file)

            let doc = Extractor.extract(bytes, format: .html)
            let declared = Extractor.extract(bytes, format: .html, declaredCharset: "text/html; charset=UTF-8")
            XCTAssertEqual(doc.encoding, "utf-8")
            XCTAssertEqual(doc.text, declared.text, page.file)
            XCTAssertEqual(doc.map, declared.map, page.file)
            XCTAssertEqual(doc.scopes, declared.scopes, page.file)
            XCTAssertFalse(doc.notes.contains { $0.contains("charset") || $0.contains("encod") || $0.contains("UTF") }, "\(page.file): \(doc.notes)")
            XCTAssertEqual(doc.source.withUnsafeBufferPointer { $0.baseAddress }, bytes.withUnsafeBufferPointer { $0.baseAddress })
        }
    }

    /// Thousands of real Vietnamese articles (titles and bodies, some NFD): none is taken for
    /// double-encoded, TCVN3, VNI or anything but plain UTF-8.
    func testRealArticlesAreNeverRepairedOrConverted() throws {
        let articles = try corpus().appendingPathComponent("articles")
        var checked = 0
        for file in ["dantri-10cat.jsonl", "baomoi-aggregator.jsonl", "danes-unlabeled-516-domains.jsonl"] {
            let data = try Data(contentsOf: articles.appendingPathComponent(file))
            for line in data.split(separator: 0x0A).prefix(1500) {
                guard let record = try JSONSerialization.jsonObject(with: line) as? [String: Any] else { continue }
                for key in ["title", "body", "lead"] {
                    guard let text = record[key] as? String, !text.isEmpty else { continue }
                    for isHTML in [false, true] {
                        let decoded = SourceDecoder.decode(Array(text.utf8), declaredCharset: nil, isHTML: isHTML)
                        XCTAssertTrue(decoded.isIdentity && decoded.notes.isEmpty, "\(file): \(decoded.encoding) \(decoded.notes) \(text.prefix(80))")
                    }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 4000)
    }

    /// Latin-script text in other languages, in windows-1252 and in UTF-8, is read as such:
    /// words like "på", "può" or "für" must not pass for TCVN3, VNI or windows-1258.
    func testOtherLanguagesAreLeftAlone() {
        let texts = [
            "L'été dernier, nous sommes allés à la plage près de Marseille. Le café était très bon et les élèves ont préféré rester là-bas jusqu'à la fin août, où il fait encore chaud.",
            "Die Größe der Fläche hängt davon ab, wie viele Bäume dort wachsen. Für die Gemeinde ist das Ergebnis überraschend schön, weil sie früher nur Wiesen hatte; daß es so kommt, wußte keiner.",
            "Vi så på huset, og det var både stort og flot. Når du får tid, kan vi gå en tur på stranden ved søen, så vi kan nå at se solnedgangen før mørket. Også børnene kommer.",
            "Ciò che può sembrare facile è più difficile: la città ha già perso la sua identità, perché la qualità della vita è diminuita. Però può ancora cambiare, così dicono.",
            "El niño comió una manzana en el jardín; después, su mamá le explicó cómo se cultivan los árboles. ¿Qué más podría aprender aquí? Mañana irán también.",
            "A informação está disponível após a reunião. Não é possível alterar a configuração sem a permissão do administrador, então você deverá pedir à equipe técnica.",
        ]
        for text in texts {
            let utf8 = SourceDecoder.decode(Array(text.utf8), declaredCharset: nil, isHTML: false)
            XCTAssertTrue(utf8.isIdentity && utf8.notes.isEmpty, "\(utf8.encoding) \(utf8.notes): \(text)")
            let latin1 = Array(text.unicodeScalars.map { UInt8($0.value) })
            for declared in [nil, "iso-8859-1", "windows-1252"] as [String?] {
                let decoded = SourceDecoder.decode(latin1, declaredCharset: declared, isHTML: false)
                XCTAssertFalse(["tcvn3", "vni", "windows-1258"].contains(decoded.encoding), "\(decoded.encoding): \(text)")
                XCTAssertFalse(decoded.notes.contains { $0.contains("TCVN3") || $0.contains("VNI") || $0.contains("1258") }, "\(decoded.notes): \(text)")
                if declared != nil { XCTAssertEqual(String(decoding: decoded.utf8, as: UTF8.self), text) }
            }
        }
    }

    // MARK: Double-encoded UTF-8

    /// The three 2021 homepages are double-encoded throughout. Repaired, their titles read as the
    /// list says, and every scope range leads back to bytes that repair to the same text.
    func testDoubleEncodedPagesAreRepairedWithExactOffsets() throws {
        var generator = SplitMix(seed: 0xD0C0DE)
        let mojibakePages = try pages().filter { $0.encodingState == "mojibake" }
        XCTAssertEqual(mojibakePages.count, 3)
        for page in mojibakePages {
            let bytes = try htmlBytes(page.file)
            let doc = Extractor.extract(bytes, format: .html, url: "https://example.vn/")
            XCTAssertEqual(doc.encoding, "utf-8 (repaired double encoding)", page.file)
            XCTAssertTrue(doc.notes.contains { $0.hasPrefix("double-encoded UTF-8 repaired") }, "\(page.file): \(doc.notes)")
            XCTAssertFalse(doc.notes.contains { $0.contains("not repaired") }, "\(page.file): \(doc.notes)")
            XCTAssertEqual(doc.source, bytes)
            XCTAssertEqual(squeezed(doc.metadata["title"] ?? ""), squeezed(page.title), page.file)
            XCTAssertEqual(squeezed(doc.string(doc.ranges(.title)[0])), squeezed(page.title), page.file)
            if !page.licence.isEmpty && !page.licence.hasSuffix("\">") {
                XCTAssertTrue(squeezed(doc.strings(.footer).joined(separator: "\n")).contains(squeezed(page.licence)), page.file)
            }
            // No mojibake left in the text a rule sees.
            XCTAssertFalse(doc.string(0..<doc.text.count).contains("á»"), page.file)

            XCTAssertEqual(mapOrderProblems(doc), [], page.file)
            var checkedRanges = 0
            for (scope, ranges) in doc.scopes where scope != .url && scope != .domain && scope != .text {
                for _ in 0..<min(ranges.count, 12) {
                    let range = ranges[generator.next(ranges.count)]
                    let start = range.lowerBound + generator.next(max(1, range.count / 2))
                    let piece = scalarAligned(doc.text, start..<min(range.upperBound, start + 1 + generator.next(3000)))
                    XCTAssertEqual(decodeBackProblems(doc, piece), [], "\(page.file) \(scope) \(piece)")
                    checkedRanges += 1
                }
            }
            XCTAssertGreaterThan(checkedRanges, 30, page.file)
        }
    }

    func testDoubleEncodingRepairMapsEachLetterToItsBytes() {
        // Read as windows-1252 and written as UTF-8 again; "”" (E2 80 9D) keeps U+009D for the
        // byte windows-1252 leaves undefined.
        let original = "Việt Nam – Hà Nội “đẹp”"
        let doubled = Array(latin1Or1252String(Array(original.utf8)).utf8)
        XCTAssertEqual(String(decoding: doubled, as: UTF8.self), "Viá»‡t Nam â€“ HÃ\u{A0} Ná»™i â€œÄ‘áº¹pâ€\u{9D}")
        let decoded = SourceDecoder.decode(doubled, declaredCharset: nil, isHTML: false)
        XCTAssertEqual(decoded.encoding, "utf-8 (repaired double encoding)")
        XCTAssertEqual(decoded.notes, ["double-encoded UTF-8 repaired (8 characters)"])
        XCTAssertEqual(String(decoding: decoded.utf8, as: UTF8.self), original)
        // "ệ" (E1 BB 87) came from "á»‡": 2 + 2 + 3 bytes.
        XCTAssertEqual(decoded.map.sourceRange(of: 2..<5), 2..<9)
        XCTAssertEqual(decoded.map.sourceRange(of: 3..<4), 2..<9)
        XCTAssertEqual(perScalarProblems(decoded, source: doubled, bytesPerScalar: 1...9), [])
        // What does not undo cleanly stays: "Ã" before a plain space (its no-break space was lost).
        let broken = Array("Nguyá»…n Thá»‹ HÃ  Ná»™i HÃ ".utf8)
        let repaired = SourceDecoder.decode(broken, declaredCharset: nil, isHTML: false)
        XCTAssertEqual(String(decoding: repaired.utf8, as: UTF8.self), "Nguyễn Thị HÃ  Nội HÃ ")
        // Mojibake in part of a real Vietnamese page is reported, not repaired.
        let mixed = Array((Samples.notice + " " + Samples.licence + " ").utf8) + Array(repeating: doubled, count: 2).joined()
        let partly = SourceDecoder.decode(mixed, declaredCharset: nil, isHTML: false)
        XCTAssertTrue(partly.isIdentity)
        XCTAssertEqual(partly.notes, ["part of the text looks double-encoded (16 sequences); not repaired"])
        // Genuine text that merely contains such characters is not touched.
        for genuine in ["Hà Nội “đẹp”, giá 100€ — © 2024", "Â© 2024 only", "Ã©"] {
            let d = SourceDecoder.decode(Array(genuine.utf8), declaredCharset: nil, isHTML: false)
            XCTAssertEqual(d.isIdentity, genuine.hasPrefix("Hà"), genuine)
        }
    }

    // MARK: windows-1258

    func testWindows1258PrecomposedAndDecomposed() {
        let cases: [(String, [UInt8], [UInt8])] = [
            (Samples.republic, Samples.republic1258Precomposed, Samples.republic1258Decomposed),
            (Samples.motto, Samples.motto1258Precomposed, Samples.motto1258Decomposed),
            (Samples.notice, Samples.notice1258Precomposed, Samples.notice1258Decomposed),
            (Samples.licence, Samples.licence1258Precomposed, Samples.licence1258Decomposed),
        ]
        for (text, precomposed, decomposed) in cases {
            for bytes in [precomposed, decomposed] {
                for declared in ["windows-1258", "CP1258", "text/html; charset=windows-1258"] {
                    let decoded = SourceDecoder.decode(bytes, declaredCharset: declared, isHTML: false)
                    XCTAssertEqual(decoded.encoding, "windows-1258")
                    XCTAssertEqual(decoded.notes, ["declared windows-1258 (HTTP header)"])
                    // Tones stay combining marks (the normalizer composes them); canonically equal.
                    XCTAssertEqual(String(decoding: decoded.utf8, as: UTF8.self), text)
                    XCTAssertEqual(perScalarProblems(decoded, source: bytes, bytesPerScalar: 1...1), [])
                }
            }
            // Unlabelled, a text this long is recognised by its words.
            if text == Samples.notice {
                for bytes in [precomposed, decomposed] {
                    let decoded = SourceDecoder.decode(bytes, declaredCharset: nil, isHTML: false)
                    XCTAssertEqual(decoded.encoding, "windows-1258")
                    XCTAssertEqual(String(decoding: decoded.utf8, as: UTF8.self), text)
                }
            }
        }
        // Each scalar maps to its one byte: "Việt" is V i ê U+0323 t, bytes 56 69 EA F2 74.
        let decoded = SourceDecoder.decode(Samples.republic1258Decomposed, declaredCharset: "windows-1258", isHTML: false)
        let e = firstIndex(of: Array("ê\u{323}t".utf8), in: decoded.utf8)!
        let eByte = firstIndex(of: [0xEA, 0xF2, 0x74], in: Samples.republic1258Decomposed)!
        XCTAssertEqual(decoded.map.sourceRange(of: e..<(e + 2)), eByte..<(eByte + 1))
        XCTAssertEqual(decoded.map.sourceRange(of: (e + 2)..<(e + 4)), (eByte + 1)..<(eByte + 2))
        XCTAssertEqual(decoded.map.sourceRange(of: (e + 4)..<(e + 5)), (eByte + 2)..<(eByte + 3))
    }

    func testWindows1258PageThroughTheExtractor() {
        let page = html(charsetMeta: "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\">",
                        title: Samples.republic1258Decomposed, heading: Samples.motto1258Precomposed,
                        paragraph: Samples.notice1258Decomposed, footer: Samples.licence1258Precomposed)
        let doc = Extractor.extract(page, format: .html)
        XCTAssertEqual(doc.encoding, "windows-1258")
        XCTAssertEqual(doc.notes, ["declared windows-1258 (<meta> tag)"])
        XCTAssertEqual(doc.metadata["title"], Samples.republic + " & " + Samples.motto)
        XCTAssertEqual(doc.strings(.heading), [Samples.motto])
        XCTAssertEqual(doc.strings(.paragraph), [Samples.notice])
        XCTAssertEqual(doc.strings(.footer), [Samples.licence])
        XCTAssertEqual(doc.source, page)
        XCTAssertEqual(mapOrderProblems(doc), [])
        for (_, ranges) in doc.scopes { for r in ranges { XCTAssertEqual(decodeBackProblems(doc, r), [], "\(r)") } }
        // "&amp;" in the title maps to its five bytes; the excerpt of a range reads as Vietnamese.
        let title = doc.ranges(.title)[0]
        let amp = doc.string(title).utf8.firstIndex(of: 0x26).map { doc.string(title).utf8.distance(from: doc.string(title).utf8.startIndex, to: $0) }!
        let ampSource = doc.map.sourceRange(of: (title.lowerBound + amp)..<(title.lowerBound + amp + 1))
        XCTAssertEqual(Array(page[ampSource]), Array("&amp;".utf8))
        let paragraph = doc.ranges(.paragraph)[0]
        XCTAssertEqual(doc.sourceString(doc.map.sourceRange(of: paragraph)), Samples.notice)
        // Undeclared, the same page is recognised by its words.
        let undeclared = html(charsetMeta: "", title: Samples.republic1258Decomposed, heading: Samples.motto1258Precomposed,
                              paragraph: Samples.notice1258Decomposed, footer: Samples.licence1258Precomposed)
        let guessed = Extractor.extract(undeclared, format: .html)
        XCTAssertEqual(guessed.encoding, "windows-1258", "\(guessed.notes)")
        XCTAssertEqual(guessed.strings(.paragraph), [Samples.notice])
    }

    // MARK: Byte order marks and declarations

    func testByteOrderMarks() throws {
        let text = "Tiêu đề 👍 Việt Nam"
        // UTF-8 with a BOM: untouched; the extractors skip the mark.
        let withBOM: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let utf8 = SourceDecoder.decode(withBOM, declaredCharset: "windows-1258", isHTML: true)
        XCTAssertTrue(utf8.isIdentity)
        XCTAssertEqual(Extractor.extract(withBOM, format: .plainText).strings(.body), [text])

        for bigEndian in [false, true] {
            var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
            for unit in text.utf16 { bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            let decoded = SourceDecoder.decode(bytes, declaredCharset: "iso-8859-1", isHTML: false)
            XCTAssertEqual(decoded.encoding, bigEndian ? "utf-16be" : "utf-16le")
            XCTAssertEqual(String(decoding: decoded.utf8, as: UTF8.self), text)
            XCTAssertEqual(perScalarProblems(decoded, source: bytes, bytesPerScalar: 2...4), [])
            XCTAssertEqual(decoded.map.sourceRange(of: 0..<1), 2..<4)   // the mark itself maps to nothing
            let doc = Extractor.extract(bytes, format: .plainText)
            XCTAssertEqual(doc.strings(.body), [text])
            XCTAssertEqual(doc.map.sourceRange(of: doc.ranges(.body)[0]), 2..<bytes.count)
            XCTAssertEqual(doc.sourceString(2..<bytes.count), text)
            // An odd byte at the end is one U+FFFD, mapped to it.
            let odd = SourceDecoder.decode(bytes + [0x41], declaredCharset: nil, isHTML: false)
            XCTAssertEqual(String(decoding: odd.utf8, as: UTF8.self), text + "\u{FFFD}")
            XCTAssertEqual(odd.map.sourceRange(of: (odd.utf8.count - 3)..<odd.utf8.count), bytes.count..<(bytes.count + 1))
        }
    }

    /// A page that says windows-1258 but is valid UTF-8 Vietnamese is read as UTF-8, with a note.
    func testWrongDeclaredCharsetLosesToValidUTF8() {
        let page = Array("<html><head><meta charset=\"windows-1258\"><title>\(Samples.republic)</title></head><body><p>\(Samples.notice)</p></body></html>".utf8)
        for declared in [nil, "windows-1258"] as [String?] {
            let doc = Extractor.extract(page, format: .html, declaredCharset: declared)
            XCTAssertEqual(doc.encoding, "utf-8")
            XCTAssertEqual(doc.metadata["title"], Samples.republic)
            XCTAssertEqual(doc.strings(.paragraph), [Samples.notice])
            let start = firstIndex(of: Array(Samples.notice.utf8), in: page)!
            XCTAssertEqual(doc.map.sourceRange(of: doc.ranges(.paragraph)[0]), start..<(start + Samples.notice.utf8.count))
            let origin = declared == nil ? "<meta> tag" : "HTTP header"
            XCTAssertEqual(doc.notes, ["declared windows-1258 (\(origin)) but the bytes are valid UTF-8; read as UTF-8"])
        }
        // Pure ASCII reads the same in both: no conflict to report.
        let ascii = SourceDecoder.decode(Array("<meta charset=windows-1258><p>Viet Nam</p>".utf8), declaredCharset: nil, isHTML: true)
        XCTAssertTrue(ascii.isIdentity)
        XCTAssertEqual(ascii.notes, [])
        // A label we cannot read is said so, and UTF-8 is used.
        let sjis = SourceDecoder.decode(Array("<meta charset=\"shift_jis\"><p>Việt</p>".utf8), declaredCharset: nil, isHTML: true)
        XCTAssertTrue(sjis.isIdentity)
        XCTAssertEqual(sjis.notes, ["declared charset shift_jis is not supported; read as UTF-8"])
    }

    func testWhereTheDeclarationIsFound() {
        // "café crème" reads the same in both code pages, so only the label decides.
        let latin: [UInt8] = Array("<p>caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8, 0x6D, 0x65]
        func encoding(_ head: String, declared: String? = nil, body: [UInt8]? = nil) -> String {
            SourceDecoder.decode(Array(head.utf8) + (body ?? latin), declaredCharset: declared, isHTML: true).encoding
        }
        XCTAssertEqual(encoding("<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=Windows-1258'>"), "windows-1258")
        XCTAssertEqual(encoding("<?xml version=\"1.0\" encoding=\"windows-1258\"?><html>"), "windows-1258")
        XCTAssertEqual(encoding("<meta charset=latin1>"), "windows-1252")
        // Comments do not count, and neither does anything past the first 4 KB.
        XCTAssertEqual(encoding("<!-- <meta charset=windows-1252> --><meta charset=windows-1258>"), "windows-1258")
        XCTAssertEqual(encoding("<p>" + String(repeating: "x", count: 5000) + "<meta charset=windows-1252>"), "utf-8")
        // The caller's charset comes before the page's.
        XCTAssertEqual(encoding("<meta charset=windows-1258>", declared: "windows-1252"), "windows-1252")
        XCTAssertEqual(String(decoding: SourceDecoder.decode(latin, declaredCharset: "windows-1252", isHTML: true).utf8, as: UTF8.self), "<p>café crème")
        // Vietnamese words outvote a windows-1252 label; unlabelled, they name the code page.
        XCTAssertEqual(encoding("<meta charset=windows-1252>", body: Samples.notice1258Decomposed), "windows-1258")
        XCTAssertEqual(encoding("<p>", body: Samples.notice1258Precomposed), "windows-1258")
        // Plain text has no <meta>.
        XCTAssertEqual(SourceDecoder.decode(Array("<meta charset=windows-1252>".utf8) + [0xE9], declaredCharset: nil, isHTML: false).encoding, "utf-8")
    }

    // MARK: TCVN3 and VNI

    func testTCVN3IsDetectedAndConverted() {
        // Forced, a short text converts exactly: one byte per letter.
        let republic = SourceDecoder.decode(Samples.republicTCVN3, as: "tcvn3")!
        XCTAssertEqual(String(decoding: republic.utf8, as: UTF8.self), Samples.republic)
        XCTAssertEqual(perScalarProblems(republic, source: Samples.republicTCVN3, bytesPerScalar: 1...1), [])
        XCTAssertEqual(Array(Samples.republicTCVN3.prefix(4)), [0x43, 0xE9, 0x6E, 0x67])   // "Céng"

        // Unlabelled, as latin-1 bytes of an old page, or carried in UTF-8: recognised by its words.
        let text = Samples.republicTCVN3 + Array(". ".utf8) + Samples.noticeTCVN3
        let expected = Samples.republic + ". " + Samples.notice
        for (bytes, declared, encoding) in [(text, nil, "tcvn3"), (text, "iso-8859-1", "tcvn3"),
                                            (Array(latin1Or1252String(text).utf8), nil, "utf-8 (tcvn3 converted)")]
            as [([UInt8], String?, String)] {
            let decoded = SourceDecoder.decode(bytes, declaredCharset: declared, isHTML: false)
            XCTAssertEqual(decoded.encoding, encoding)
            XCTAssertTrue(decoded.notes.contains { $0.contains("TCVN3 font encoding detected and converted") }, "\(decoded.notes)")
            XCTAssertEqual(String(decoding: decoded.utf8, as: UTF8.self), expected)
            XCTAssertEqual(perScalarProblems(decoded, source: bytes, bytesPerScalar: encoding == "tcvn3" ? 1...1 : 1...2), [])
        }
        // The capitals TCVN3 has (capitals with tones need a capital font: they come out small).
        let capitals: [UInt8] = [0xA7, 0xCA, 0x74, 0x20, 0x6E, 0xAD, 0xED, 0x63, 0x20, 0xA1, 0x20, 0xA2, 0x20, 0xA3, 0x20, 0xA4, 0x20, 0xA5, 0x20, 0xA6]
        XCTAssertEqual(String(decoding: SourceDecoder.decode(capitals, as: "tcvn3")!.utf8, as: UTF8.self), "Đất nước Ă Â Ê Ô Ơ Ư")
        // Characteristic words: của, và, này, để, người.
        let words = SourceDecoder.decode([0x63, 0xF1, 0x61, 0x20, 0x76, 0xB5, 0x20, 0x6E, 0xB5, 0x79, 0x20, 0xAE, 0xD3, 0x20, 0x6E, 0x67, 0xAD, 0xEA, 0x69], as: "tcvn3")!
        XCTAssertEqual(String(decoding: words.utf8, as: UTF8.self), "của và này để người")
    }

    func testVNIIsDetectedAndConverted() {
        XCTAssertEqual(latin1Or1252String(Samples.republicVNI), "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")
        let republic = SourceDecoder.decode(Samples.republicVNI, as: "vni")!
        XCTAssertEqual(String(decoding: republic.utf8, as: UTF8.self), Samples.republic)
        // "ộ" in "Coäng" is two bytes, "o" and "ä"; "ĩ" in "nghóa" is one.
        XCTAssertEqual(republic.map.sourceRange(of: 1..<4), 1..<3)
        XCTAssertEqual(perScalarProblems(republic, source: Samples.republicVNI, bytesPerScalar: 1...2), [])
        // The example of a common converter: "Xin chaøo caùc baïn".
        XCTAssertEqual(String(decoding: SourceDecoder.decode(Array("Xin cha".utf8) + [0xF8] + Array("o ca".utf8) + [0xF9] + Array("c ba".utf8) + [0xEF, 0x6E],
                                                             as: "vni")!.utf8, as: UTF8.self), "Xin chào các bạn")

        // Capitals take the capital form of each mark: "COÄNG HOØA … ÑOÄC LAÄP".
        let capitals: [UInt8] = [0x43, 0x4F, 0xC4, 0x4E, 0x47, 0x20, 0x48, 0x4F, 0xD8, 0x41, 0x20, 0x58, 0x41, 0xD5, 0x20, 0x48, 0x4F, 0xC4, 0x49,
                                 0x20, 0x43, 0x48, 0x55, 0xDB, 0x20, 0x4E, 0x47, 0x48, 0xD3, 0x41, 0x20, 0x56, 0x49, 0x45, 0xC4, 0x54, 0x20, 0x4E,
                                 0x41, 0x4D, 0x20, 0x96, 0x20, 0xD1, 0x4F, 0xC4, 0x43, 0x20, 0x4C, 0x41, 0xC4, 0x50]
        XCTAssertEqual(String(decoding: SourceDecoder.decode(capitals, as: "vni")!.utf8, as: UTF8.self), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM – ĐỘC LẬP")

        let text = Samples.republicVNI + Array(". ".utf8) + Samples.noticeVNI
        let expected = Samples.republic + ". " + Samples.notice
        for (bytes, encoding) in [(text, "vni"), (Array(latin1Or1252String(text).utf8), "utf-8 (vni converted)")] {
            let decoded = SourceDecoder.decode(bytes, declaredCharset: nil, isHTML: true)
            XCTAssertEqual(decoded.encoding, encoding)
            XCTAssertTrue(decoded.notes.contains { $0.contains("VNI font encoding detected and converted") }, "\(decoded.notes)")
            XCTAssertEqual(String(decoding: decoded.utf8, as: UTF8.self), expected)
            XCTAssertEqual(perScalarProblems(decoded, source: bytes, bytesPerScalar: 1...4), [])
        }
    }

    /// A Unicode page quoting some TCVN3 text is reported, not converted: converting would
    /// spoil its real Vietnamese letters.
    func testFontEncodingInPartOfAUnicodePageIsOnlyReported() {
        let quoted = latin1Or1252String(Samples.noticeTCVN3 + Array(" ".utf8) + Samples.republicTCVN3)
        let page = Array("<p>\(Samples.motto)</p><p>\(quoted)</p><p>\(Samples.licence)</p>".utf8)
        let decoded = SourceDecoder.decode(page, declaredCharset: nil, isHTML: true)
        XCTAssertTrue(decoded.isIdentity)
        XCTAssertEqual(decoded.notes, ["TCVN3 font encoding detected, not converted"])
    }

    // MARK: Invalid input

    func testInvalidUTF8IsKeptAndReported() {
        let bytes: [UInt8] = Array("Việt ".utf8) + [0xFF] + Array(" Nam ".utf8) + [0xE1, 0xBA] + Array(" ok".utf8)
        let decoded = SourceDecoder.decode(bytes, declaredCharset: nil, isHTML: false)
        XCTAssertTrue(decoded.isIdentity)
        XCTAssertEqual(decoded.notes, ["invalid UTF-8 at byte 7 kept as U+FFFD (1 more invalid sequence)"])
        let doc = Extractor.extract(bytes, format: .plainText)
        XCTAssertEqual(doc.text, bytes)
        XCTAssertEqual(doc.map, OffsetMap.identity(length: bytes.count))
    }

    func testRandomBytesNeverBreakTheMap() {
        var generator = SplitMix(seed: 0xB17E5)
        let pieces: [[UInt8]] = [[0xC3], [0xC2], [0xE1, 0xBB], [0xE2, 0x80], [0xA0], [0xBB], [0x87], [0x9D], [0xF0], [0xEC], [0xB5],
                                 [0xE9], [0xF4], [0xF9], Array("a".utf8), Array("o".utf8), Array(" ".utf8), Array("<p>".utf8),
                                 Array("&amp;".utf8), Array("Viá»‡t".utf8), Array("cña".utf8), Array("Vieät".utf8), [0xFF, 0xFE], [0xFE, 0xFF]]
        for round in 0..<600 {
            let count = generator.next(300)
            let bytes: [UInt8] = round % 3 == 0
                ? (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                : (0..<count).flatMap { _ in pieces[generator.next(pieces.count)] }
            let declared = [nil, "windows-1258", "windows-1252", "utf-8", "utf-16be", "koi8-r"][round % 6]
            let decoded = SourceDecoder.decode(bytes, declaredCharset: declared, isHTML: round % 2 == 0)
            XCTAssertEqual(decoded.map.derivedLength, decoded.utf8.count, "round \(round)")
            var last = 0
            for p in 0..<decoded.utf8.count {
                let r = decoded.map.sourceRange(of: p..<(p + 1))
                XCTAssertTrue(r.lowerBound >= last && r.upperBound <= bytes.count, "round \(round) position \(p): \(r)")
                last = r.lowerBound
            }
            if !decoded.encoding.hasPrefix("utf-8") {
                XCTAssertTrue(isValidUTF8(decoded.utf8), "round \(round): \(decoded.encoding)")
            }
            for format in [InputFormat.html, .plainText] {
                let doc = Extractor.extract(bytes, format: format, url: round % 4 == 0 ? "http://x.vn/" : nil, declaredCharset: declared)
                XCTAssertEqual(mapOrderProblems(doc), [], "round \(round) \(format)")
            }
        }
    }

    // MARK: Speed

    /// Valid UTF-8 costs one quick pass: decoding is a small fraction of extracting.
    func testDecodingValidUTF8IsCheap() throws {
        let bytes = try pages().filter { $0.encodingState == "utf-8" }.map { try htmlBytes($0.file) }
        func seconds(_ body: () -> Void) -> Double {
            let start = Date()
            body()
            return Date().timeIntervalSince(start)
        }
        var sink = 0
        let decode = seconds { for _ in 0..<5 { for page in bytes { sink &+= SourceDecoder.decode(page, declaredCharset: nil, isHTML: true).utf8.count } } }
        let extract = seconds { for page in bytes { sink &+= Extractor.extract(page, format: .html).text.count } }
        XCTAssertGreaterThan(sink, 0)
        XCTAssertLessThan(decode / 5, extract * 0.25, "decoding \(decode / 5)s vs extracting \(extract)s")
    }

    // MARK: Helpers

    private struct Page {
        let file: String
        let encodingState: String
        let title: String
        let licence: String
    }

    private func corpus() throws -> URL { try SharedCorpus.require() }

    private func pages() throws -> [Page] {
        let tsv = try String(contentsOf: corpus().appendingPathComponent("html/PAGES.tsv"), encoding: .utf8)
        return tsv.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Page(file: f[0], encodingState: f[2], title: f[3], licence: f.count > 5 ? f[5] : "")
        }
    }

    private func htmlBytes(_ file: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpus().appendingPathComponent("html/" + file)))
    }

    /// Bytes as windows-1252 shows them (its five undefined bytes as C1 controls): how UTF-8
    /// becomes mojibake, and how TCVN3/VNI text looks once converted to Unicode by mistake.
    private func latin1Or1252String(_ bytes: [UInt8]) -> String {
        let high: [UInt32] = [0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F,
                              0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178]
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar((0x80...0x9F).contains($0) ? high[Int($0) - 0x80] : UInt32($0))! }))
    }

    private func squeezed(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace || $0 == "\u{A0}" }).joined(separator: " ")
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }


    /// A small extractor-free page around already-encoded pieces.
    private func html(charsetMeta: String, title: [UInt8], heading: [UInt8], paragraph: [UInt8], footer: [UInt8]) -> [UInt8] {
        Array("<!DOCTYPE html><html lang=\"vi\"><head>\(charsetMeta)<title>".utf8) + title
            + Array(" &amp; ".utf8) + heading + Array("</title></head><body><article><h1>".utf8) + heading
            + Array("</h1><p>".utf8) + paragraph + Array("</p></article><footer>".utf8) + footer + Array("</footer></body></html>".utf8)
    }

    /// Every scalar of the decoded text maps to `bytesPerScalar` source bytes, in order, and
    /// those bytes decode (the same way) to that scalar.
    private func perScalarProblems(_ decoded: Decoded, source: [UInt8], bytesPerScalar: ClosedRange<Int>) -> [String] {
        var problems: [String] = []
        let text = decoded.utf8
        var p = 0, last = 0
        while p < text.count && problems.count < 5 {
            var q = p + 1
            while q < text.count, text[q] & 0xC0 == 0x80 { q += 1 }
            let r = decoded.map.sourceRange(of: p..<q)
            let scalar = String(decoding: text[p..<q], as: UTF8.self)
            if r.lowerBound < last { problems.append("«\(scalar)» at \(p) maps back before \(last)") }
            last = r.lowerBound
            if !bytesPerScalar.contains(r.count) {
                problems.append("«\(scalar)» at \(p) maps to \(r.count) bytes \(r)")
            } else if let again = SourceDecoder.decode(Array(source[r]), as: decoded.encoding), again.utf8 != Array(text[p..<q]) {
                problems.append("«\(scalar)» at \(p) maps to \(Array(source[r])), which reads «\(String(decoding: again.utf8, as: UTF8.self))»")
            }
            p = q
        }
        return problems
    }

    /// Positions map inside the source, in order.
    private func mapOrderProblems(_ doc: ExtractedDocument) -> [String] {
        var problems: [String] = []
        var last = 0
        for p in 0..<doc.text.count where problems.count < 5 {
            let r = doc.map.sourceRange(of: p..<(p + 1))
            if r.lowerBound < last || r.upperBound > doc.source.count { problems.append("\(p) maps to \(r) after \(last)") }
            last = r.lowerBound
        }
        return problems
    }

    /// The original bytes behind each character of `range`, decoded the way the document was,
    /// give that character back, and runs of characters copied in order give the whole run back.
    /// Character references and the line breaks standing for tags are the extractor's own.
    private func decodeBackProblems(_ doc: ExtractedDocument, _ range: Range<Int>) -> [String] {
        var problems: [String] = []
        let text = doc.text
        var run: (text: Int, source: Range<Int>)? = nil
        func closeRun(at end: Int) {
            defer { run = nil }
            guard let r = run, end - r.text > 1 else { return }
            let again = SourceDecoder.decode(Array(doc.source[r.source]), as: doc.encoding)?.utf8 ?? []
            if again != Array(text[r.text..<end]) {
                problems.append("run \(r.text)..<\(end) «\(String(decoding: text[r.text..<end], as: UTF8.self).prefix(60))» reads «\(String(decoding: again, as: UTF8.self).prefix(60))»")
            }
        }
        var p = range.lowerBound
        while p < range.upperBound && problems.count < 5 {
            var q = p + 1
            while q < text.count, text[q] & 0xC0 == 0x80 { q += 1 }
            let r = doc.map.sourceRange(of: p..<q)
            let raw = Array(doc.source[r])
            if raw.isEmpty || raw.first == 0x26 || text[p] == 0x0A && (raw.first == 0x3C || raw.last == 0x3E) {
                closeRun(at: p)
            } else {
                let again = SourceDecoder.decode(raw, as: doc.encoding)?.utf8 ?? []
                if again != Array(text[p..<q]) {
                    problems.append("«\(String(decoding: text[p..<q], as: UTF8.self))» at \(p) maps to \(r), which reads «\(String(decoding: again, as: UTF8.self))»")
                    closeRun(at: p)
                } else if let current = run, current.source.upperBound == r.lowerBound {
                    run = (current.text, current.source.lowerBound..<r.upperBound)
                } else {
                    closeRun(at: p)
                    run = (p, r)
                }
            }
            p = q
        }
        closeRun(at: p)
        return problems
    }

    /// `range` moved off UTF-8 continuation bytes.
    private func scalarAligned(_ text: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = min(range.upperBound, text.count)
        while lower < upper, text[lower] & 0xC0 == 0x80 { lower += 1 }
        while upper < text.count, upper > lower, text[upper] & 0xC0 == 0x80 { upper -= 1 }
        return lower..<upper
    }
}

/// Byte samples made outside Swift: windows-1258 with Python's codecs ("cp1258"; "decomposed"
/// puts every tone in a combining byte, "precomposed" uses the letters the code page has),
/// TCVN3 with glibc iconv ("TCVN5712-1"), VNI from the VNI Windows table. The sentences were
/// written for these tests.
private enum Samples {
    static let republic = "Cộng hòa xã hội chủ nghĩa Việt Nam"
    static let motto = "Độc lập – Tự do – Hạnh phúc"
    static let notice = "Người dân được hướng dẫn thủ tục đăng ký kinh doanh trên cổng thông tin điện tử của tỉnh. Mọi thắc mắc xin gửi về bộ phận một cửa của ủy ban nhân dân huyện."
    static let licence = "Giấy phép số 123/GP-STTTT do Sở Thông tin và Truyền thông cấp."
    static let republic1258Precomposed: [UInt8] = [
        0x43, 0xF4, 0xF2, 0x6E, 0x67, 0x20, 0x68, 0x6F, 0xCC, 0x61, 0x20, 0x78, 0x61, 0xDE, 0x20, 0x68,
        0xF4, 0xF2, 0x69, 0x20, 0x63, 0x68, 0x75, 0xD2, 0x20, 0x6E, 0x67, 0x68, 0x69, 0xDE, 0x61, 0x20,
        0x56, 0x69, 0xEA, 0xF2, 0x74, 0x20, 0x4E, 0x61, 0x6D,
    ]
    static let republic1258Decomposed: [UInt8] = [
        0x43, 0xF4, 0xF2, 0x6E, 0x67, 0x20, 0x68, 0x6F, 0xCC, 0x61, 0x20, 0x78, 0x61, 0xDE, 0x20, 0x68,
        0xF4, 0xF2, 0x69, 0x20, 0x63, 0x68, 0x75, 0xD2, 0x20, 0x6E, 0x67, 0x68, 0x69, 0xDE, 0x61, 0x20,
        0x56, 0x69, 0xEA, 0xF2, 0x74, 0x20, 0x4E, 0x61, 0x6D,
    ]
    static let motto1258Precomposed: [UInt8] = [
        0xD0, 0xF4, 0xF2, 0x63, 0x20, 0x6C, 0xE2, 0xF2, 0x70, 0x20, 0x96, 0x20, 0x54, 0xFD, 0xF2, 0x20,
        0x64, 0x6F, 0x20, 0x96, 0x20, 0x48, 0x61, 0xF2, 0x6E, 0x68, 0x20, 0x70, 0x68, 0xFA, 0x63,
    ]
    static let motto1258Decomposed: [UInt8] = [
        0xD0, 0xF4, 0xF2, 0x63, 0x20, 0x6C, 0xE2, 0xF2, 0x70, 0x20, 0x96, 0x20, 0x54, 0xFD, 0xF2, 0x20,
        0x64, 0x6F, 0x20, 0x96, 0x20, 0x48, 0x61, 0xF2, 0x6E, 0x68, 0x20, 0x70, 0x68, 0x75, 0xEC, 0x63,
    ]
    static let notice1258Precomposed: [UInt8] = [
        0x4E, 0x67, 0xFD, 0xF5, 0xCC, 0x69, 0x20, 0x64, 0xE2, 0x6E, 0x20, 0xF0, 0xFD, 0xF5, 0xF2, 0x63,
        0x20, 0x68, 0xFD, 0xF5, 0xEC, 0x6E, 0x67, 0x20, 0x64, 0xE2, 0xDE, 0x6E, 0x20, 0x74, 0x68, 0x75,
        0xD2, 0x20, 0x74, 0x75, 0xF2, 0x63, 0x20, 0xF0, 0xE3, 0x6E, 0x67, 0x20, 0x6B, 0x79, 0xEC, 0x20,
        0x6B, 0x69, 0x6E, 0x68, 0x20, 0x64, 0x6F, 0x61, 0x6E, 0x68, 0x20, 0x74, 0x72, 0xEA, 0x6E, 0x20,
        0x63, 0xF4, 0xD2, 0x6E, 0x67, 0x20, 0x74, 0x68, 0xF4, 0x6E, 0x67, 0x20, 0x74, 0x69, 0x6E, 0x20,
        0xF0, 0x69, 0xEA, 0xF2, 0x6E, 0x20, 0x74, 0xFD, 0xD2, 0x20, 0x63, 0x75, 0xD2, 0x61, 0x20, 0x74,
        0x69, 0xD2, 0x6E, 0x68, 0x2E, 0x20, 0x4D, 0x6F, 0xF2, 0x69, 0x20, 0x74, 0x68, 0xE3, 0xEC, 0x63,
        0x20, 0x6D, 0xE3, 0xEC, 0x63, 0x20, 0x78, 0x69, 0x6E, 0x20, 0x67, 0xFD, 0xD2, 0x69, 0x20, 0x76,
        0xEA, 0xCC, 0x20, 0x62, 0xF4, 0xF2, 0x20, 0x70, 0x68, 0xE2, 0xF2, 0x6E, 0x20, 0x6D, 0xF4, 0xF2,
        0x74, 0x20, 0x63, 0xFD, 0xD2, 0x61, 0x20, 0x63, 0x75, 0xD2, 0x61, 0x20, 0x75, 0xD2, 0x79, 0x20,
        0x62, 0x61, 0x6E, 0x20, 0x6E, 0x68, 0xE2, 0x6E, 0x20, 0x64, 0xE2, 0x6E, 0x20, 0x68, 0x75, 0x79,
        0xEA, 0xF2, 0x6E, 0x2E,
    ]
    static let notice1258Decomposed: [UInt8] = [
        0x4E, 0x67, 0xFD, 0xF5, 0xCC, 0x69, 0x20, 0x64, 0xE2, 0x6E, 0x20, 0xF0, 0xFD, 0xF5, 0xF2, 0x63,
        0x20, 0x68, 0xFD, 0xF5, 0xEC, 0x6E, 0x67, 0x20, 0x64, 0xE2, 0xDE, 0x6E, 0x20, 0x74, 0x68, 0x75,
        0xD2, 0x20, 0x74, 0x75, 0xF2, 0x63, 0x20, 0xF0, 0xE3, 0x6E, 0x67, 0x20, 0x6B, 0x79, 0xEC, 0x20,
        0x6B, 0x69, 0x6E, 0x68, 0x20, 0x64, 0x6F, 0x61, 0x6E, 0x68, 0x20, 0x74, 0x72, 0xEA, 0x6E, 0x20,
        0x63, 0xF4, 0xD2, 0x6E, 0x67, 0x20, 0x74, 0x68, 0xF4, 0x6E, 0x67, 0x20, 0x74, 0x69, 0x6E, 0x20,
        0xF0, 0x69, 0xEA, 0xF2, 0x6E, 0x20, 0x74, 0xFD, 0xD2, 0x20, 0x63, 0x75, 0xD2, 0x61, 0x20, 0x74,
        0x69, 0xD2, 0x6E, 0x68, 0x2E, 0x20, 0x4D, 0x6F, 0xF2, 0x69, 0x20, 0x74, 0x68, 0xE3, 0xEC, 0x63,
        0x20, 0x6D, 0xE3, 0xEC, 0x63, 0x20, 0x78, 0x69, 0x6E, 0x20, 0x67, 0xFD, 0xD2, 0x69, 0x20, 0x76,
        0xEA, 0xCC, 0x20, 0x62, 0xF4, 0xF2, 0x20, 0x70, 0x68, 0xE2, 0xF2, 0x6E, 0x20, 0x6D, 0xF4, 0xF2,
        0x74, 0x20, 0x63, 0xFD, 0xD2, 0x61, 0x20, 0x63, 0x75, 0xD2, 0x61, 0x20, 0x75, 0xD2, 0x79, 0x20,
        0x62, 0x61, 0x6E, 0x20, 0x6E, 0x68, 0xE2, 0x6E, 0x20, 0x64, 0xE2, 0x6E, 0x20, 0x68, 0x75, 0x79,
        0xEA, 0xF2, 0x6E, 0x2E,
    ]
    static let licence1258Precomposed: [UInt8] = [
        0x47, 0x69, 0xE2, 0xEC, 0x79, 0x20, 0x70, 0x68, 0xE9, 0x70, 0x20, 0x73, 0xF4, 0xEC, 0x20, 0x31,
        0x32, 0x33, 0x2F, 0x47, 0x50, 0x2D, 0x53, 0x54, 0x54, 0x54, 0x54, 0x20, 0x64, 0x6F, 0x20, 0x53,
        0xF5, 0xD2, 0x20, 0x54, 0x68, 0xF4, 0x6E, 0x67, 0x20, 0x74, 0x69, 0x6E, 0x20, 0x76, 0xE0, 0x20,
        0x54, 0x72, 0x75, 0x79, 0xEA, 0xCC, 0x6E, 0x20, 0x74, 0x68, 0xF4, 0x6E, 0x67, 0x20, 0x63, 0xE2,
        0xEC, 0x70, 0x2E,
    ]
    static let licence1258Decomposed: [UInt8] = [
        0x47, 0x69, 0xE2, 0xEC, 0x79, 0x20, 0x70, 0x68, 0x65, 0xEC, 0x70, 0x20, 0x73, 0xF4, 0xEC, 0x20,
        0x31, 0x32, 0x33, 0x2F, 0x47, 0x50, 0x2D, 0x53, 0x54, 0x54, 0x54, 0x54, 0x20, 0x64, 0x6F, 0x20,
        0x53, 0xF5, 0xD2, 0x20, 0x54, 0x68, 0xF4, 0x6E, 0x67, 0x20, 0x74, 0x69, 0x6E, 0x20, 0x76, 0x61,
        0xCC, 0x20, 0x54, 0x72, 0x75, 0x79, 0xEA, 0xCC, 0x6E, 0x20, 0x74, 0x68, 0xF4, 0x6E, 0x67, 0x20,
        0x63, 0xE2, 0xEC, 0x70, 0x2E,
    ]
    static let republicTCVN3: [UInt8] = [
        0x43, 0xE9, 0x6E, 0x67, 0x20, 0x68, 0xDF, 0x61, 0x20, 0x78, 0xB7, 0x20, 0x68, 0xE9, 0x69, 0x20,
        0x63, 0x68, 0xF1, 0x20, 0x6E, 0x67, 0x68, 0xDC, 0x61, 0x20, 0x56, 0x69, 0xD6, 0x74, 0x20, 0x4E,
        0x61, 0x6D,
    ]
    static let republicVNI: [UInt8] = [
        0x43, 0x6F, 0xE4, 0x6E, 0x67, 0x20, 0x68, 0x6F, 0xF8, 0x61, 0x20, 0x78, 0x61, 0xF5, 0x20, 0x68,
        0x6F, 0xE4, 0x69, 0x20, 0x63, 0x68, 0x75, 0xFB, 0x20, 0x6E, 0x67, 0x68, 0xF3, 0x61, 0x20, 0x56,
        0x69, 0x65, 0xE4, 0x74, 0x20, 0x4E, 0x61, 0x6D,
    ]
    static let noticeTCVN3: [UInt8] = [
        0x4E, 0x67, 0xAD, 0xEA, 0x69, 0x20, 0x64, 0xA9, 0x6E, 0x20, 0xAE, 0xAD, 0xEE, 0x63, 0x20, 0x68,
        0xAD, 0xED, 0x6E, 0x67, 0x20, 0x64, 0xC9, 0x6E, 0x20, 0x74, 0x68, 0xF1, 0x20, 0x74, 0xF4, 0x63,
        0x20, 0xAE, 0xA8, 0x6E, 0x67, 0x20, 0x6B, 0xFD, 0x20, 0x6B, 0x69, 0x6E, 0x68, 0x20, 0x64, 0x6F,
        0x61, 0x6E, 0x68, 0x20, 0x74, 0x72, 0xAA, 0x6E, 0x20, 0x63, 0xE6, 0x6E, 0x67, 0x20, 0x74, 0x68,
        0xAB, 0x6E, 0x67, 0x20, 0x74, 0x69, 0x6E, 0x20, 0xAE, 0x69, 0xD6, 0x6E, 0x20, 0x74, 0xF6, 0x20,
        0x63, 0xF1, 0x61, 0x20, 0x74, 0xD8, 0x6E, 0x68, 0x2E, 0x20, 0x4D, 0xE4, 0x69, 0x20, 0x74, 0x68,
        0xBE, 0x63, 0x20, 0x6D, 0xBE, 0x63, 0x20, 0x78, 0x69, 0x6E, 0x20, 0x67, 0xF6, 0x69, 0x20, 0x76,
        0xD2, 0x20, 0x62, 0xE9, 0x20, 0x70, 0x68, 0xCB, 0x6E, 0x20, 0x6D, 0xE9, 0x74, 0x20, 0x63, 0xF6,
        0x61, 0x20, 0x63, 0xF1, 0x61, 0x20, 0xF1, 0x79, 0x20, 0x62, 0x61, 0x6E, 0x20, 0x6E, 0x68, 0xA9,
        0x6E, 0x20, 0x64, 0xA9, 0x6E, 0x20, 0x68, 0x75, 0x79, 0xD6, 0x6E, 0x2E,
    ]
    static let noticeVNI: [UInt8] = [
        0x4E, 0x67, 0xF6, 0xF4, 0xF8, 0x69, 0x20, 0x64, 0x61, 0xE2, 0x6E, 0x20, 0xF1, 0xF6, 0xF4, 0xEF,
        0x63, 0x20, 0x68, 0xF6, 0xF4, 0xF9, 0x6E, 0x67, 0x20, 0x64, 0x61, 0xE3, 0x6E, 0x20, 0x74, 0x68,
        0x75, 0xFB, 0x20, 0x74, 0x75, 0xEF, 0x63, 0x20, 0xF1, 0x61, 0xEA, 0x6E, 0x67, 0x20, 0x6B, 0x79,
        0xF9, 0x20, 0x6B, 0x69, 0x6E, 0x68, 0x20, 0x64, 0x6F, 0x61, 0x6E, 0x68, 0x20, 0x74, 0x72, 0x65,
        0xE2, 0x6E, 0x20, 0x63, 0x6F, 0xE5, 0x6E, 0x67, 0x20, 0x74, 0x68, 0x6F, 0xE2, 0x6E, 0x67, 0x20,
        0x74, 0x69, 0x6E, 0x20, 0xF1, 0x69, 0x65, 0xE4, 0x6E, 0x20, 0x74, 0xF6, 0xFB, 0x20, 0x63, 0x75,
        0xFB, 0x61, 0x20, 0x74, 0xE6, 0x6E, 0x68, 0x2E, 0x20, 0x4D, 0x6F, 0xEF, 0x69, 0x20, 0x74, 0x68,
        0x61, 0xE9, 0x63, 0x20, 0x6D, 0x61, 0xE9, 0x63, 0x20, 0x78, 0x69, 0x6E, 0x20, 0x67, 0xF6, 0xFB,
        0x69, 0x20, 0x76, 0x65, 0xE0, 0x20, 0x62, 0x6F, 0xE4, 0x20, 0x70, 0x68, 0x61, 0xE4, 0x6E, 0x20,
        0x6D, 0x6F, 0xE4, 0x74, 0x20, 0x63, 0xF6, 0xFB, 0x61, 0x20, 0x63, 0x75, 0xFB, 0x61, 0x20, 0x75,
        0xFB, 0x79, 0x20, 0x62, 0x61, 0x6E, 0x20, 0x6E, 0x68, 0x61, 0xE2, 0x6E, 0x20, 0x64, 0x61, 0xE2,
        0x6E, 0x20, 0x68, 0x75, 0x79, 0x65, 0xE4, 0x6E, 0x2E,
    ]
}
