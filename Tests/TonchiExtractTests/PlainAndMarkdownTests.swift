import XCTest
import TonchiCore
import TonchiExtract

final class PlainTextTests: XCTestCase {
    func testTextIsTheSourceWithBlankLineParagraphs() {
        let source = "  Tiêu đề bài viết\n\nĐoạn một,\ndòng hai.  \n \t \n\n  Đoạn hai.\n"
        let doc = Extractor.extract(Array(source.utf8), format: .plainText)
        XCTAssertEqual(doc.text, doc.source)
        XCTAssertEqual(doc.map, OffsetMap.identity(length: doc.source.count))
        XCTAssertFalse(doc.structured)
        XCTAssertEqual(doc.strings(.paragraph), ["Tiêu đề bài viết", "Đoạn một,\ndòng hai.", "Đoạn hai."])
        XCTAssertEqual(doc.strings(.body), ["Tiêu đề bài viết\n\nĐoạn một,\ndòng hai.  \n \t \n\n  Đoạn hai."])
        XCTAssertEqual(doc.ranges(.text), [0..<doc.text.count])
        XCTAssertNil(doc.scopes[.title])
        for r in doc.ranges(.paragraph) { XCTAssertEqual(doc.map.sourceRange(of: r), r) }
    }

    func testCRLFAndByteOrderMark() {
        let source: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Một\r\n\r\nHai\r\n".utf8)
        let doc = Extractor.extract(source, format: .plainText)
        XCTAssertEqual(doc.strings(.paragraph), ["Một", "Hai"])
        XCTAssertEqual(doc.ranges(.body).first?.lowerBound, 3)
    }

    func testEmptyAndURL() {
        let empty = Extractor.extract([], format: .plainText)
        XCTAssertTrue(empty.scopes.isEmpty)
        let doc = Extractor.extract(Array("Nội dung".utf8), format: .plainText, url: "https://tin.vn/x")
        XCTAssertEqual(doc.string(0..<doc.text.count), "Nội dung\nhttps://tin.vn/x\ntin.vn")
        XCTAssertEqual(doc.strings(.url), ["https://tin.vn/x"])
        XCTAssertEqual(doc.strings(.domain), ["tin.vn"])
        XCTAssertEqual(doc.strings(.body), ["Nội dung"])
        XCTAssertEqual(doc.ranges(.text), [0..<doc.text.count])
        XCTAssertEqual(doc.map.sourceRange(of: doc.ranges(.domain)[0]), doc.source.count..<doc.source.count)
        XCTAssertEqual(mappingProblems(doc), [])
    }
}

final class MarkdownTests: XCTestCase {
    private func md(_ s: String) -> ExtractedDocument { Extractor.extract(Array(s.utf8), format: .markdown) }

    func testHeadingsTitleParagraphsAndBody() {
        let doc = md("""
        Lời dẫn trước tiêu đề.

        ## Mục phụ ##
        # Tiêu đề chính #

        Đoạn một có [liên kết](http://x.vn) và ảnh ![Ảnh [nhỏ] đẹp](a.png).
        Vẫn đoạn một.

        Tiêu đề setext
        --------------

        ```
        # không phải tiêu đề
        ```
        """)
        XCTAssertEqual(doc.text, doc.source)
        XCTAssertFalse(doc.structured)
        XCTAssertEqual(doc.strings(.heading), ["Mục phụ", "Tiêu đề chính", "Tiêu đề setext"])
        XCTAssertEqual(doc.strings(.title), ["Tiêu đề chính"])
        XCTAssertEqual(doc.metadata["title"], "Tiêu đề chính")
        XCTAssertEqual(doc.strings(.caption), ["Ảnh [nhỏ] đẹp"])
        XCTAssertEqual(doc.strings(.paragraph), [
            "Lời dẫn trước tiêu đề.",
            "Đoạn một có [liên kết](http://x.vn) và ảnh ![Ảnh [nhỏ] đẹp](a.png).\nVẫn đoạn một.",
            "```\n# không phải tiêu đề\n```",
        ])
        let body = doc.strings(.body)
        XCTAssertEqual(body.count, 2)
        XCTAssertTrue(body[0].hasSuffix("## Mục phụ ##"))
        XCTAssertTrue(body[1].hasPrefix("Đoạn một"))
        XCTAssertFalse(body.joined().contains("Tiêu đề chính"))
        XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: false), [])
    }

    func testFirstHeadingIsTitleWithoutLevelOne() {
        let doc = md("### Nhỏ\n\nChữ.\n\nSetext một\n===\n")
        XCTAssertEqual(doc.strings(.title), ["Setext một"])
        let plain = md("#### Chỉ có\n\nChữ.")
        XCTAssertEqual(plain.strings(.title), ["Chỉ có"])
        XCTAssertEqual(plain.strings(.body), ["Chữ."])
    }

    func testFrontMatter() {
        let doc = md("---\ntitle: \"Bài viết\"\nauthor: Lê C\ndate: 2024-01-02\n---\nNội dung.\n")
        XCTAssertEqual(doc.metadata["title"], "Bài viết")
        XCTAssertEqual(doc.metadata["author"], "Lê C")
        XCTAssertEqual(doc.metadata["published"], "2024-01-02")
        XCTAssertEqual(doc.strings(.title), ["Bài viết"])
        XCTAssertEqual(doc.strings(.body), ["Nội dung."])
        XCTAssertEqual(doc.strings(.paragraph), ["Nội dung."])
    }

    func testNotHeadings() {
        let doc = md("#hashtag\n\n####### bảy\n\n    # thụt lề\n\n#\n")
        XCTAssertNil(doc.scopes[.heading])
        XCTAssertNil(doc.scopes[.title])
        XCTAssertEqual(doc.ranges(.paragraph).count, 3)
    }

    func testHostileMarkdownStaysLinear() {
        let line = String(repeating: "![", count: 50_000) + String(repeating: "](", count: 50_000)
        let doc = md(line + "\n" + String(repeating: "#", count: 100_000) + "\n" + String(repeating: "`", count: 100_000))
        XCTAssertEqual(doc.text.count, doc.source.count)
    }
}
