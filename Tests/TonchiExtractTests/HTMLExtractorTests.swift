import Foundation
import XCTest
import TonchiCore
import TonchiExtract
import TonchiTestSupport

final class HTMLExtractorTests: XCTestCase {

    // MARK: Text and offsets

    func testEntitiesAreReplacementSegmentsOverTheirBytes() {
        let doc = html("<p>Vi&#7879;t Nam &agrave; &amp; &#x1EA1;&nbsp;&ldquo;x&rdquo; &unknown; &copy2019</p>")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Việt Nam à & ạ\u{A0}“x” &unknown; &copy2019")
        let text = doc.string(0..<doc.text.count)
        // "ệ" (3 bytes in the text) stands for the 7 bytes of "&#7879;", wherever one points inside it.
        let e = Array("Vi".utf8).count
        XCTAssertEqual(source(doc, e..<(e + 3)), "&#7879;")
        XCTAssertEqual(source(doc, (e + 1)..<(e + 2)), "&#7879;")
        XCTAssertEqual(source(doc, 0..<e), "Vi")
        let a = Array(text.utf8).firstIndex(of: 0xC3)!   // à
        XCTAssertEqual(source(doc, a..<(a + 2)), "&agrave;")
        assertSound(doc)
    }

    func testSeparatorsMapToTheTagThatMadeThem() {
        let doc = html("<div>Một</div><p>Hai<br>Ba</p>")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Một\nHai\nBa")
        let newline = Array(doc.text).firstIndex(of: 0x0A)!
        XCTAssertEqual(source(doc, newline..<(newline + 1)), "</div>")
        let second = Array(doc.text).lastIndex(of: 0x0A)!
        XCTAssertEqual(source(doc, second..<(second + 1)), "<br>")
        assertSound(doc)
    }

    func testWhitespaceAtBlockEdgesIsLeftOutButKeptBetweenWords() {
        let doc = html("<p>\n    Xin   <b>chào</b> <i>bạn</i>  \n</p>\n\n<p>  hai </p>")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Xin   chào bạn\nhai")
        XCTAssertEqual(doc.strings(.paragraph), ["Xin   chào bạn", "hai"])
        assertSound(doc)
    }

    func testSkippedElementsAndComments() {
        let doc = html("""
        <p>A<script>document.write("<p>x</p>")</script>B</p><style>p{}</style><!-- hidden <p>no</p> -->
        <noscript>enable js</noscript><template><p>t</p></template><svg><title>icon</title></svg>
        <iframe src="x">frame text</iframe><p>C</p>
        """)
        XCTAssertEqual(doc.string(0..<doc.text.count), "AB\nC")
        assertSound(doc)
    }

    func testInvalidUTF8IsCopiedThrough() {
        let bytes: [UInt8] = Array("<p>a".utf8) + [0xFF, 0xC3, 0x28] + Array(" b</p>".utf8)
        let doc = Extractor.extract(bytes, format: .html)
        XCTAssertEqual(doc.text, [0x61, 0xFF, 0xC3, 0x28, 0x20, 0x62])
        XCTAssertEqual(doc.map.sourceRange(of: 1..<3), 4..<6)
        assertSound(doc)
    }

    // MARK: Scopes

    func testScopesOfASmallArticlePage() {
        let doc = html("""
        <!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
        <title>Tiêu đề &ndash; Báo Mẫu</title>
        <meta name="description" content="Mô tả &amp; tóm tắt">
        <meta property="og:site_name" content="Báo Mẫu">
        <meta property="article:published_time" content="2024-05-01T08:00:00+07:00">
        <meta name="author" content="Nguyễn Văn A">
        </head><body>
        <header><a href="/">Logo</a></header>
        <nav><ul><li><a href="/thoi-su">Thời sự</a></li><li><a href="/the-gioi">Thế giới</a></li></ul></nav>
        <div class="top-menu"><a href="/a">Tin nóng</a> <a href="/b">Giải trí</a></div>
        <article>
          <h1>Tiêu đề bài</h1>
          <p class="sapo">Đoạn mở đầu.</p>
          <p>Đoạn thứ nhất <b>đậm</b>.</p>
          <figure><img src="a.jpg" alt="Ảnh &quot;minh họa&quot;"><figcaption>Chú thích ảnh</figcaption></figure>
          <p class="author">Trần B</p>
        </article>
        <div id="footer">Giấy phép số 1/GP-BTTTT</div>
        </body></html>
        """, url: "https://www.BaoMau.vn:443/bai.html?x=1")
        XCTAssertEqual(doc.strings(.title), ["Tiêu đề – Báo Mẫu"])
        XCTAssertEqual(doc.strings(.heading), ["Tiêu đề bài"])
        XCTAssertEqual(doc.lines(.menu), ["Thời sự", "Thế giới", "Tin nóng", "Giải trí"])
        XCTAssertEqual(doc.strings(.lead), ["Đoạn mở đầu."])
        XCTAssertEqual(doc.strings(.paragraph), ["Đoạn mở đầu.", "Đoạn thứ nhất đậm.", "Trần B"])
        XCTAssertEqual(doc.strings(.caption), ["Ảnh \"minh họa\"", "Chú thích ảnh"])
        XCTAssertEqual(doc.strings(.byline), ["Nguyễn Văn A", "Trần B"])
        XCTAssertEqual(doc.strings(.footer), ["Giấy phép số 1/GP-BTTTT"])
        XCTAssertEqual(doc.strings(.body), ["Tiêu đề bài\nĐoạn mở đầu.\nĐoạn thứ nhất đậm.\nẢnh \"minh họa\"\nChú thích ảnh\nTrần B"])
        XCTAssertEqual(doc.strings(.url), ["https://www.BaoMau.vn:443/bai.html?x=1"])
        XCTAssertEqual(doc.strings(.domain), ["www.baomau.vn"])
        XCTAssertEqual(doc.lines(.meta), ["Mô tả & tóm tắt", "Báo Mẫu", "2024-05-01T08:00:00+07:00"])
        XCTAssertEqual(doc.metadata["title"], "Tiêu đề – Báo Mẫu")
        XCTAssertEqual(doc.metadata["description"], "Mô tả & tóm tắt")
        XCTAssertEqual(doc.metadata["site_name"], "Báo Mẫu")
        XCTAssertEqual(doc.metadata["published"], "2024-05-01T08:00:00+07:00")
        XCTAssertEqual(doc.metadata["author"], "Nguyễn Văn A")
        XCTAssertEqual(doc.metadata["language"], "vi")
        XCTAssertEqual(doc.metadata["charset"], "utf-8")
        XCTAssertEqual(doc.notes, [])
        // The alt text maps to the attribute value's bytes, references and all.
        let alt = doc.ranges(.caption)[0].lowerBound
        let altEnd = alt + Array("Ảnh \"minh họa\"".utf8).count
        XCTAssertEqual(source(doc, alt..<altEnd), "Ảnh &quot;minh họa&quot;")
        // Meta content maps to the content attribute.
        XCTAssertEqual(source(doc, doc.ranges(.meta)[0]), "Mô tả &amp; tóm tắt")
        assertSound(doc)
    }

    func testBodyWithoutArticleLeavesOutMenusFootersAndHeader() {
        let doc = html("""
        <html><head><title>T</title></head><body>
        <div id="header"><div class="logo">Logo</div></div>
        <ul class="mainNav"><li>Mục 1</li><li>Mục 2</li></ul>
        <div class="content"><p>Nội dung chính.</p></div>
        <footer><p>Bản quyền</p></footer>
        </body></html>
        """)
        XCTAssertEqual(doc.strings(.body), ["Nội dung chính."])
        XCTAssertEqual(doc.lines(.menu), ["Mục 1", "Mục 2"])
        // Menu items are not paragraphs; a footer's paragraph is.
        XCTAssertEqual(doc.strings(.paragraph), ["Nội dung chính.", "Bản quyền"])
        XCTAssertFalse(doc.structured == false)
        assertSound(doc)
    }

    func testFallbacksForTitleAndLead() {
        let doc = html("""
        <head><meta property="og:title" content="Tiêu đề OG"><meta name="description" content="Mô tả"></head>
        <body><p>Thân</p></body>
        """)
        XCTAssertEqual(doc.strings(.title), ["Tiêu đề OG"])
        XCTAssertEqual(doc.metadata["title"], "Tiêu đề OG")
        XCTAssertEqual(doc.strings(.lead), ["Mô tả"])
        XCTAssertEqual(doc.strings(.body), ["Thân"])
        assertSound(doc)
    }

    func testOnlyTheFirstTitleCounts() {
        let doc = html("<title>Trang</title><body><div><title>Chia sẻ</title>Nội dung</div></body>")
        XCTAssertEqual(doc.strings(.title), ["Trang"])
        XCTAssertFalse(doc.string(0..<doc.text.count).contains("Chia sẻ"))
    }

    func testDeclaredCharsetIsRecordedAndASCIIReadsTheSame() {
        // Decoding itself is DecodingTests' business; pure ASCII reads the same in every charset.
        let doc = html("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1258\"><p>x</p>")
        XCTAssertEqual(doc.metadata["charset"], "windows-1258")
        XCTAssertEqual(doc.notes, [])
        let other = html("<meta charset=ISO-8859-1><p>x</p>")
        XCTAssertEqual(other.metadata["charset"], "iso-8859-1")
        XCTAssertEqual(other.notes, [])
    }

    func testImpliedEndTags() {
        let doc = html("<ul><li>Một<li>Hai<p>Ba<p>Bốn</ul><table><tr><td>A<td>B<tr><td>C</table>")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Một\nHai\nBa\nBốn\nA\nB\nC")
        XCTAssertEqual(doc.strings(.paragraph), ["Một", "Hai\nBa\nBốn"])
        assertSound(doc)
    }

    func testStrayEndTagsDoNotCloseOuterScopes() {
        // A stray </div> in a table cell is ignored by browsers; the footer must go on.
        let doc = html("<div class=\"footer\"><table><tr><td></div>Giấy phép</td></tr></table>Liên hệ</div><p>Sau</p>")
        XCTAssertEqual(doc.strings(.footer), ["Giấy phép\nLiên hệ"])
        XCTAssertEqual(doc.strings(.body), ["Sau"])
    }

    // MARK: Hostile input

    func testUnclosedTags() {
        let doc = html("<div class=\"menu\"><p>Hello <b>world")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Hello world")
        XCTAssertEqual(doc.strings(.menu), ["Hello world"])
        assertSound(doc)
    }

    func testScriptNeverClosed() {
        let doc = html("<p>Trước</p><script>var s = '<p>ẩn</p>'; for (;;) {")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Trước")
        assertSound(doc)
    }

    func testAngleBracketsInsideAttributes() {
        let doc = html("<a title=\"a<b>c\" href='x>y'>Liên kết</a> và <img alt=\"1 < 2 > 0\"> 3 < 4 <5")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Liên kết và\n1 < 2 > 0\n3 < 4 <5")
        XCTAssertEqual(doc.strings(.caption), ["1 < 2 > 0"])
        assertSound(doc)
    }

    func testTruncatedInput() {
        XCTAssertEqual(html("Tab&#x1F").text, Array("Tab".utf8) + [0x1F])
        let entity = html("Tab&#x1F")
        XCTAssertEqual(source(entity, 3..<4), "&#x1F")
        XCTAssertEqual(html("a &am").text, Array("a &am".utf8))
        XCTAssertEqual(html("a &#").text, Array("a &#".utf8))
        XCTAssertEqual(html("<p>text</p><a href=\"unterminated").text, Array("text".utf8))
        XCTAssertEqual(html("a<!-- never closed <p>b</p>").text, Array("a".utf8))
        XCTAssertEqual(html("a</").text, Array("a</".utf8))
        XCTAssertEqual(html("a<").text, Array("a<".utf8))
        XCTAssertEqual(html("<").text, Array("<".utf8))
        XCTAssertEqual(html("").text, [])
        for cut in ["<p>x</p", "<p title='x", "<!DOCTYPE", "<title>x", "&#99999999999;", "<img alt=\"a&"] {
            assertSound(html(cut))
        }
        XCTAssertEqual(html("&#99999999999;").string(0..<3), "\u{FFFD}")
    }

    func testDeepNesting() {
        let depth = 100_000
        let page = String(repeating: "<div>", count: depth) + "sâu" + String(repeating: "</div>", count: depth)
            + String(repeating: "<span><nav>", count: depth) + "<p>sau</p>"
        let doc = html(page)
        XCTAssertEqual(doc.string(0..<doc.text.count), "sâu\nsau")
        assertSound(doc)
    }

    func testManyAttributesAndUnclosedSkips() {
        let attributes = (0..<100_000).map { "a\($0)=\"v\"" }.joined(separator: " ")
        let doc = html("<div \(attributes) class=\"footer\">x</div>" + String(repeating: "<iframe>y", count: 20_000))
        XCTAssertEqual(doc.string(0..<2), "x\n")
        XCTAssertEqual(doc.text.count, 2 + 20_000 * 2 - 1)
        assertSound(doc)
    }

    func testRandomBytesNeverBreakTheMap() {
        var generator = SplitMix(seed: 0x7041)
        let alphabet = Array("<>/=\"'&#;!-ap divscriptx \n\u{1EA1}".utf8)
        for round in 0..<200 {
            let count = Int(generator.next() % 2000)
            let bytes: [UInt8] = (0..<count).map { _ in
                round % 2 == 0 ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let doc = Extractor.extract(bytes, format: .html, url: round % 3 == 0 ? "http://x.vn/" : nil)
            XCTAssertEqual(mappingProblems(doc), [], "round \(round)")
            XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: true), [], "round \(round)")
        }
    }

    /// Random soups of real markup pieces reach the scope logic that random bytes rarely do.
    func testRandomTagSoupInEveryFormat() {
        let pieces = ["<", ">", "/", "=", "\"", "'", "&", "#", ";", "x", "1F", "amp", "agrave", " ", "\n", "!--", "-->",
                      "<p>", "</p>", "<li>", "<div class=\"menu\">", "<div id=footer>", "</div>", "<nav>", "</nav>",
                      "<article>", "</article>", "<header>", "</header>", "<img alt=\"", "<meta name=description content=\"",
                      "<meta property=og:title content='", "<title>", "</title>", "<script>", "</script>", "<svg>", "</svg>",
                      "<iframe>", "<table>", "<tr>", "<td>", "<h1>", "</h1>", "<span class=author>", "</span>", "<a>", "</a>",
                      "<br>", "<head>", "</head>", "<body>", "Việt", "\u{FF}", "<!DOCTYPE html>", "<![CDATA[", "<template>",
                      "<noscript>", "<figcaption>", "<button>", "<select><option>", "<dd>", "<dt>", "<p/>", "</br>", "</",
                      "# ", "===", "---", "```", "![", "](", "]", "\r\n"]
        var generator = SplitMix(seed: 0x50C0)
        for round in 0..<1500 {
            let text = (0..<Int(generator.next() % 120)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let format: InputFormat = [.html, .html, .html, .markdown, .plainText][round % 5]
            let doc = Extractor.extract(Array(text.utf8), format: format, url: round % 4 == 0 ? "http://a.vn/b" : nil)
            XCTAssertEqual(mappingProblems(doc), [], "\(format) \(text)")
            XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: format == .html), [], "\(format) \(text)")
        }
    }

    /// A quadratic step would show as a 16x slower run on 4x the input; allow plenty of noise.
    func testLargePagesExtractInLinearTime() throws {
        let pieces = try Corpus.allPageFiles().map { try Corpus.bytes($0) }
        let unit = pieces.reduce([], +)
        func page(_ size: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(size)
            while bytes.count < size { bytes.append(contentsOf: unit.prefix(size - bytes.count)) }
            return bytes
        }
        func seconds(_ bytes: [UInt8]) -> Double {
            let start = Date()
            let doc = Extractor.extract(bytes, format: .html)
            XCTAssertFalse(doc.text.isEmpty)
            return Date().timeIntervalSince(start)
        }
        let small = seconds(page(16 << 20))
        let big = seconds(page(64 << 20))
        XCTAssertLessThan(big, small * 10, "64 MB took \(big)s, 16 MB took \(small)s")
        XCTAssertLessThan(big, 120)
    }

    func testHostilePatternsFinishQuickly() {
        let patterns: [String] = [
            String(repeating: "<a ", count: 200_000),
            String(repeating: "&#x1F", count: 200_000),
            String(repeating: "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", count: 20_000),
            "<table><td>" + String(repeating: "<span>", count: 600) + String(repeating: "</div>", count: 200_000),
            String(repeating: "<title>", count: 100_000),
            String(repeating: "<!", count: 100_000),
            String(repeating: "<p class=\"", count: 100_000),
            String(repeating: "<li><p>", count: 100_000),
        ]
        for pattern in patterns {
            let start = Date()
            let doc = html(pattern)
            XCTAssertLessThan(Date().timeIntervalSince(start), 20, String(pattern.prefix(20)))
            XCTAssertEqual(mappingProblems(doc), [], String(pattern.prefix(20)))
        }
    }
}
