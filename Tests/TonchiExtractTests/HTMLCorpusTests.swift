import XCTest
import TonchiCore
import TonchiExtract

/// Real pages of Vietnamese newspapers and information sites (shared/corpus/html). The expected
/// strings were read off the pages by hand.
final class HTMLCorpusTests: XCTestCase {
    private func extract(_ file: String, url: String? = nil) throws -> ExtractedDocument {
        Extractor.extract(try Corpus.bytes(file), format: .html, url: url)
    }

    private struct Expectation {
        let file: String
        let title: String
        let menuItem: String
        let footer: String
        let heading: String?
        let paragraph: String?
    }

    /// Hand-checked facts of ten pages (titles exact, the rest as fragments or whole lines).
    private let expectations: [Expectation] = [
        Expectation(file: "myfeed-2012/dantri1.html",
                    title: "Chốt lịch nghỉ lễ Tết 2013 của công chức, viên chức - Sự kiện - Dân trí",
                    menuItem: "Thể thao",
                    footer: "Giấy phép hoạt động báo điện tử Dân trí trên Internet số 1050/GP - BTTTT Hà Nội, ngày 15-07-2008.",
                    heading: "Chốt lịch nghỉ lễ Tết 2013 của công chức, viên chức",
                    paragraph: "Dịp Tết Âm lịch năm 2013, công chức, viên chức sẽ được nghỉ 9 ngày liên tục"),
        Expectation(file: "myfeed-2012/nld1.html",
                    title: "Thiếu tiền hụi, xách dao đi “nói chuyện” với chủ nợ | Pháp luật | Người Lao Động Online",
                    menuItem: "Chính trị",
                    footer: "Giấy phép số 1872/GP- BTTTT cấp ngày 9 tháng 10 năm 2012",
                    heading: "Thiếu tiền hụi, xách dao đi “nói chuyện” với chủ nợ",
                    paragraph: nil),
        Expectation(file: "myfeed-2012/zing1.html",
                    title: "Mọi ngả đường về nhà thờ tắc nghẽn đêm Giáng sinh - Zing News | Xã hội",
                    menuItem: "Phóng sự",
                    footer: "Giấy phép ICP số: 41/GP-TTĐT.",
                    heading: "Mọi ngả đường về nhà thờ tắc nghẽn đêm Giáng sinh",
                    paragraph: "Tại Hà Nội, dòng người đổ lên khu vực nhà thờ Lớn để đón không khí Noel"),
        Expectation(file: "myfeed-2012/genk1.html",
                    title: "Amazon: Kẻ lão luyện đầy chiến lược trong cuộc chiến công nghệ | Internet | GenK.vn",
                    menuItem: "Máy tính bảng",
                    footer: "giấy phép số 25/GP-TTĐT",
                    heading: nil,
                    paragraph: "Đây là quan điểm của tác giả Venkatesh Rao trên Forbes."),
        Expectation(file: "myfeed-2012/thanhnien1.html",
                    title: "5 \"bóng hồng\" buôn ma túy lãnh án | Thanh Niên Online",
                    menuItem: "Trang chủ",
                    footer: "Giấy phép xuất bản số 14GP/BC cấp ngày 25.9.2003",
                    heading: "5 \"bóng hồng\" buôn ma túy lãnh án",
                    paragraph: "Theo cáo trạng, khoảng 16 giờ ngày 8.6.2012"),
        Expectation(file: "myfeed-2012/tinhte1.html",
                    title: "[Vui vẻ] Chuyện giữa 2 người trên Facebook | Tinhte.vn - Cộng đồng Khoa học & Công nghệ",
                    menuItem: "Diễn đàn",
                    footer: "Giấy phép số 24/GP-TTĐT và 59/GXN-TTĐT do Bộ TTTT cấp.",
                    heading: "[Vui vẻ] Chuyện giữa 2 người trên Facebook",
                    paragraph: nil),
        Expectation(file: "myfeed-2012/xinh1.html",
                    title: "4 bước mix đồ giúp bạn tự tin tỏa sáng đêm Noel - Phong cách - Xinhxinh.com.vn",
                    menuItem: "Trang điểm",
                    footer: "Giấy phép số 13/GP-TTĐT, Cục phát thanh, truyền hình và thông tin điện tử",
                    heading: "4 bước mix đồ giúp bạn tự tin tỏa sáng đêm Noel",
                    paragraph: "1. Lựa chọn item \"đinh\""),
        Expectation(file: "scrapy-tutorial-dantri/dantri.html",
                    title: "Tin tức Việt Nam và quốc tế nóng, nhanh, cập nhật 24h | Báo Dân trí",
                    menuItem: "Giáo dục",
                    footer: "Giấy phép hoạt động báo điện tử Dân trí trên Internet số 378/GP - BTTTT",
                    heading: "Điểm mặt các ứng viên ngồi \"ghế nóng\" thay ông Cấn Văn Nghĩa",
                    paragraph: "Đường dây nóng: 0973 567 567 - 0974 567 567"),
    ]

    func testHandCheckedPages() throws {
        for e in expectations {
            let doc = try extract(e.file)
            XCTAssertTrue(doc.structured, e.file)
            XCTAssertEqual(doc.strings(.title).map(collapsed), [e.title], e.file)
            XCTAssertEqual(doc.metadata["title"].map(collapsed), e.title, e.file)
            XCTAssertTrue(doc.lines(.menu).contains(e.menuItem), "\(e.file): menu lacks \(e.menuItem)")
            XCTAssertTrue(doc.joined(.footer).contains(e.footer), "\(e.file): footer lacks \(e.footer)")
            XCTAssertFalse(doc.joined(.body).contains(e.footer), "\(e.file): footer leaked into body")
            if let heading = e.heading {
                XCTAssertTrue(doc.lines(.heading).contains(heading), "\(e.file): headings lack \(heading)")
            }
            if let paragraph = e.paragraph {
                XCTAssertTrue(doc.strings(.paragraph).contains { collapsed($0).contains(paragraph) }, "\(e.file): no paragraph with \(paragraph)")
                XCTAssertTrue(doc.joined(.body).contains(paragraph), "\(e.file): body lacks \(paragraph)")
            }
            XCTAssertEqual(doc.notes, [], e.file)
        }
    }

    func testMetadataOfAnArticle() throws {
        let doc = try extract("myfeed-2012/dantri1.html")
        XCTAssertEqual(doc.metadata["published"], "2012-12-25")
        XCTAssertEqual(doc.metadata["site_name"], "Dantri")
        XCTAssertEqual(doc.metadata["charset"], "utf-8")
        XCTAssertEqual(doc.metadata["url"], "http://dantri.com.vn/su-kien/chot-lich-nghi-le-tet-2013-cua-cong-chuc-vien-chuc-677792.htm")
        XCTAssertTrue(doc.metadata["description"]?.hasPrefix("(Dân trí) - UBND Hà Nội vừa thông báo") == true)
        // No element is marked as the lead, so the meta description stands in for it.
        XCTAssertEqual(doc.ranges(.lead).count, 1)
        XCTAssertTrue(doc.joined(.lead).hasPrefix("(Dân trí) - UBND Hà Nội vừa thông báo"))
        XCTAssertTrue(doc.lines(.meta).contains("Dantri"))
        // The author byline of the article body is marked by class.
        let zing = try extract("myfeed-2012/zing1.html")
        XCTAssertEqual(zing.lines(.byline), ["Nhóm PV"])
        XCTAssertEqual(zing.metadata["author"], "Nhóm PV")
    }

    func testArticleElementsAreTheBodyWhenPresent() throws {
        // XenForo marks each forum post as <article>; the page chrome around them is not body.
        let doc = try extract("myfeed-2012/tinhte1.html")
        let body = doc.joined(.body)
        XCTAssertTrue(body.contains("Có rất nhiều điều thú vị với Facebook"))
        XCTAssertFalse(body.contains("Giấy phép số 24/GP-TTĐT"))
        XCTAssertFalse(body.contains("Những chủ đề mới"))
        XCTAssertTrue(doc.lines(.byline).contains("cuLong"))
    }

    func testURLAndDomainLinesGoAtTheEnd() throws {
        let doc = try extract("myfeed-2012/genk1.html", url: "http://genk.vn/internet/amazon-ke-lao-luyen.chn")
        XCTAssertEqual(doc.strings(.url), ["http://genk.vn/internet/amazon-ke-lao-luyen.chn"])
        XCTAssertEqual(doc.strings(.domain), ["genk.vn"])
        for r in doc.ranges(.url) + doc.ranges(.domain) {
            XCTAssertEqual(doc.map.sourceRange(of: r), doc.source.count..<doc.source.count)
        }
        XCTAssertEqual(doc.ranges(.text), [0..<doc.text.count])
        XCTAssertEqual(doc.metadata["url"], "http://genk.vn/internet/amazon-ke-lao-luyen.chn")
    }

    /// The 2021 homepages are valid UTF-8 but double-encoded. The decoder repairs them before
    /// extraction and says so; the map still points at the original (mojibake) bytes.
    func testDoubleEncodedPagesAreRepaired() throws {
        let doc = try extract("obfuscation-automation-2021/2aa4b7ebf5fd71fce265bea554aa8e59.js")
        XCTAssertTrue(doc.notes.contains { $0.hasPrefix("double-encoded UTF-8 repaired") }, "\(doc.notes)")
        XCTAssertEqual(doc.encoding, "utf-8 (repaired double encoding)")
        XCTAssertEqual(doc.metadata["title"], "Lao Động Online | LAODONG.VN - Tin tức mới nhất 24h")
        XCTAssertEqual(String(decoding: doc.source[doc.map.sourceRange(of: doc.ranges(.title)[0])], as: UTF8.self),
                       mojibake("Lao Động Online | LAODONG.VN - Tin tức mới nhất 24h"))
        XCTAssertTrue(doc.strings(.footer).joined().contains("Giấy phép số 2013/GP-BTTT do Bộ TTTT cấp ngày 30.10.2012"))
        XCTAssertTrue(doc.lines(.menu).contains("Công đoàn"))
        XCTAssertFalse(doc.strings(.heading).joined().contains("á»"))

        let forum = try extract("obfuscation-automation-2021/41337781c0681947fa6be9f54e05d7ed.js")
        XCTAssertEqual(forum.metadata["title"], "Diễn đàn xe máy | Kênh thông tin xe máy Việt Nam - 2banh.vn")
        XCTAssertTrue(forum.strings(.footer).joined().contains("Giấy phép MXH số 277/GP-BTTTT do Bộ TTTT cấp ngày 29/06/2015"))
        XCTAssertTrue(forum.lines(.menu).contains("Diễn đàn"))
    }

    func testEveryPageAgainstPagesList() throws {
        let pages = try Corpus.pages()
        XCTAssertGreaterThanOrEqual(pages.count, 20)
        for page in pages {
            let bytes = try Corpus.bytes(page.file)
            XCTAssertEqual(bytes.count, page.bytes, page.file)
            // The list calls some pages "mojibake": their bytes are valid UTF-8 all the same.
            XCTAssertTrue(isValidUTF8(bytes), "\(page.file) is not valid UTF-8")
            let doc = Extractor.extract(bytes, format: .html)
            let doubleEncoded = doc.notes.contains { $0.contains("double-encoded") }
            XCTAssertEqual(doubleEncoded, page.encodingState == "mojibake", page.file)

            // The list keeps references undecoded and may cut titles short. vnexpress2 has its
            // first <title> inside a comment; the list took that one, browsers show the second.
            var expected = collapsed(String(decoding: referenceDecode(ArraySlice(page.title.utf8)), as: UTF8.self))
            if page.file == "myfeed-2012/vnexpress2.html" {
                expected = "Những người khổ hạnh vì bớt lạ - Ảnh | Trang thông tin dành cho giới trẻ - VnExpress iOne"
            }
            let title = doc.metadata["title"] ?? ""   // double-encoded pages come repaired
            XCTAssertTrue(collapsed(title).hasPrefix(expected), "\(page.file): title \(title) vs \(expected)")

            // Licence lines sit in the footer, except TraderViet's, which the list took from a link title.
            let licence = collapsed(page.licence)
            if !licence.isEmpty && !licence.hasSuffix("\">") {
                let footer = doc.strings(.footer).joined(separator: "\n")
                XCTAssertTrue(collapsed(footer).contains(licence), "\(page.file): footer lacks \(licence)")
            }
        }
    }

    /// The property every rule relies on: whatever a scope says, the report can point at the
    /// exact source bytes. Checked for all pages, all scopes, every range.
    func testEveryScopeRangeMapsBackToItsSource() throws {
        let files = try Corpus.allPageFiles()
        XCTAssertGreaterThanOrEqual(files.count, 20)
        for file in files {
            let doc = try extract(file, url: "https://example.vn/a/b.html")
            XCTAssertEqual(mappingProblems(doc), [], file)
            XCTAssertEqual(scopeShapeProblems(doc, requireLineBreaks: true), [], file)
            for scope in [Scope.title, .body, .paragraph, .heading, .menu, .footer, .caption, .byline, .lead, .meta] {
                XCTAssertFalse(doc.ranges(scope).isEmpty && [.title, .body, .paragraph, .menu, .footer, .meta].contains(scope),
                               "\(file) has no \(scope)")
            }
            for (scope, ranges) in doc.scopes where scope != .url && scope != .domain && scope != .text {
                for r in ranges {
                    let source = doc.map.sourceRange(of: r)
                    XCTAssertEqual(source.lowerBound, doc.map.sourceRange(of: r.lowerBound..<(r.lowerBound + 1)).lowerBound)
                    XCTAssertEqual(source.upperBound, doc.map.sourceRange(of: (r.upperBound - 1)..<r.upperBound).upperBound)
                    // And back again: the source range carries over to the same text range.
                    XCTAssertEqual(doc.map.derivedRange(forSource: source), r, "\(file) \(scope)")
                    // Read the original bytes the way the page was decoded (double-encoded pages).
                    let original = SourceDecoder.decode(Array(doc.source[source]), as: doc.encoding)?.utf8 ?? Array(doc.source[source])
                    let readable = referenceContent(original[...])
                    if !isSubsequenceIgnoringWhitespace(Array(doc.text[r]), of: readable) {
                        XCTFail("\(file) \(scope) \(r): \(doc.string(r).prefix(80)) not found in source \(source)")
                    }
                }
            }
        }
    }
}
